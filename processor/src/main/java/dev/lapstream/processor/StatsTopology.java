package dev.lapstream.processor;

import dev.lapstream.core.Topics;
import dev.lapstream.core.json.Json;
import dev.lapstream.core.metrics.FrameMetrics;
import dev.lapstream.core.metrics.WindowStats;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * Per-stream aggregates of the per-frame metrics over tumbling windows, published as JSON summaries on the
 * stats topic, keyed by stream id. Every frame updates its window's summary, so a dashboard reading the
 * topic always has the current window; the last update of a window is its final value.
 */
final class StatsTopology {

    private static final Logger LOG = LoggerFactory.getLogger(StatsTopology.class);
    static final String STORE = "stream-stats";

    private StatsTopology() {
    }

    static void addTo(StreamsBuilder builder, Topics topics, Duration window) {
        Serde<WindowStats> statsSerde = Serdes.serdeFrom((topic, stats) -> stats.toJson(), (topic, bytes) -> {
            try {
                return WindowStats.fromJson(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Duration grace = Duration.ofSeconds(5);
        builder.stream(topics.metrics(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .flatMapValues(StatsTopology::parse)
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(window, grace))
                .aggregate(WindowStats::empty, (stream, metrics, stats) -> stats.add(metrics),
                        Materialized.<String, WindowStats>as(Stores.inMemoryWindowStore(STORE,
                                        window.plus(grace).multipliedBy(2), window, false))
                                .withKeySerde(Serdes.String()).withValueSerde(statsSerde))
                .toStream()
                .map((windowed, stats) -> org.apache.kafka.streams.KeyValue.pair(windowed.key(),
                        summaryJson(stats.inWindow(windowed.window().start(), windowed.window().end()))))
                .to(topics.stats(), Produced.with(Serdes.String(), Serdes.ByteArray()));
    }

    private static Iterable<FrameMetrics> parse(byte[] json) {
        try {
            return java.util.List.of(FrameMetrics.fromJson(json));
        } catch (IOException e) {
            LOG.warn("skipping unreadable metrics record: {}", e.getMessage());
            return java.util.List.of();
        }
    }

    private static byte[] summaryJson(WindowStats stats) {
        try {
            return Json.MAPPER.writeValueAsBytes(stats.summary());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
