package dev.lapstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lapstream.core.Topics;
import dev.lapstream.core.metrics.FrameMetrics;
import dev.lapstream.core.metrics.WindowStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-stream window aggregates under stream time the test controls. */
class StatsTopologyTest {

    private static final Topics TOPICS = Topics.withPrefix("stats");
    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> metrics;
    private TestOutputTopic<String, byte[]> stats;

    @BeforeEach
    void start() {
        StreamsBuilder builder = new StreamsBuilder();
        StatsTopology.addTo(builder, TOPICS, Duration.ofSeconds(10));
        Properties props = new Properties();
        props.put("application.id", "stats-test");
        props.put("bootstrap.servers", "unused:9092");
        driver = new TopologyTestDriver(builder.build(), props);
        metrics = driver.createInputTopic(TOPICS.metrics(), new StringSerializer(), new ByteArraySerializer());
        stats = driver.createOutputTopic(TOPICS.stats(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void frame(String stream, long index, long atMillis, String upscaler, Integer width, long latencyMs,
                       double inferenceMs, long lag) {
        FrameMetrics m = new FrameMetrics(stream, index, index * 100_000, 8, 6, 16, 12, 2, 2, upscaler, width,
                "test", lag, inferenceMs, 0, latencyMs, 100, "w", T0.toEpochMilli() + atMillis);
        metrics.pipeInput(stream, m.toJson(), T0.plusMillis(atMillis));
    }

    private static WindowStats.Summary summary(byte[] json) {
        try {
            return WindowStats.Summary.fromJson(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void windowsCountFramesAndGiveFpsPercentilesAndTheWidthMix() {
        // 20 frames of cam in the first 10 s window, latency 10..200 ms, widths 64 (x15) and 32 (x5)
        for (int i = 0; i < 20; i++) {
            frame("cam", i, i * 500L, "asdn", i < 15 ? 64 : 32, 10L * (i + 1), 4.0, i);
        }
        frame("other", 0, 1_000, "bicubic", null, 7, 1.0, 0);
        // cam's first frame of the next window
        frame("cam", 20, 10_500, "asdn", 64, 30, 2.0, 0);

        List<WindowStats.Summary> all = stats.readValuesToList().stream().map(StatsTopologyTest::summary).toList();
        WindowStats.Summary first = all.stream().filter(s -> s.stream().equals("cam") && s.frames() == 20)
                .reduce((a, b) -> b).orElseThrow();
        assertThat(first.windowStartMs()).isEqualTo(T0.toEpochMilli());
        assertThat(first.windowEndMs()).isEqualTo(T0.toEpochMilli() + 10_000);
        assertThat(first.fps()).isCloseTo(2.0, within(0.01)); // 20 frames in a 10 s window
        assertThat(first.p50LatencyMs()).isEqualTo(110);
        assertThat(first.p95LatencyMs()).isEqualTo(200);
        assertThat(first.meanInferenceMs()).isCloseTo(4.0, within(1e-9));
        assertThat(first.widthMix()).isEqualTo(Map.of("64", 15L, "32", 5L));
        assertThat(first.maxPartitionLag()).isEqualTo(19);

        WindowStats.Summary next = all.get(all.size() - 1);
        assertThat(next.stream()).isEqualTo("cam");
        assertThat(next.frames()).isEqualTo(1);
        assertThat(next.windowStartMs()).isEqualTo(T0.toEpochMilli() + 10_000);

        WindowStats.Summary other = all.stream().filter(s -> s.stream().equals("other")).findFirst().orElseThrow();
        assertThat(other.frames()).isEqualTo(1);
        assertThat(other.widthMix()).isEqualTo(Map.of("bicubic", 1L));
    }

    @Test
    void unreadableMetricsRecordsAreSkipped() {
        metrics.pipeInput("cam", "{not json".getBytes(), T0);
        frame("cam", 0, 100, "bicubic", null, 5, 1.0, 0);
        List<WindowStats.Summary> all = stats.readValuesToList().stream().map(StatsTopologyTest::summary).toList();
        assertThat(all).hasSize(1);
        assertThat(all.get(0).frames()).isEqualTo(1);
    }
}
