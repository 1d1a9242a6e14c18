package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.sink.SegmentRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A sink service process is killed with SIGKILL while two live streams are mid-flight and started again with
 * the same instance name: the encoded topic must hold every segment of each stream once, in order, and their
 * concatenation must decode to every frame once at its timestamp and the sound once; the restarted sink resumes at a segment
 * boundary, HLS ends with the whole stream's last segments (served over HTTP by the sink), and the stream's file
 * goes on in a part from there.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SinkKillTest {

    private static final Topics TOPICS = Topics.withPrefix("skill");
    private static final List<String> STREAMS = List.of("cam-0", "cam-1");
    private static final int FRAMES = 60;
    private static final int FPS = 20;
    private static final int RATE = 48_000;
    private static final int MAX = EmbeddedKafka.MAX_MESSAGE_BYTES;

    @TempDir
    Path dir;
    private final List<Process> sinks = new ArrayList<>();
    private final List<String> output = new CopyOnWriteArrayList<>();
    private EmbeddedKafka kafka;

    @AfterEach
    void stop() throws InterruptedException {
        for (Process p : sinks) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void killedSinkPublishesEverySegmentOnce() throws Exception {
        kafka = EmbeddedKafka.start();
        try (Admin admin = Admin.create(kafka.client().admin())) {
            TopicSetup.ensure(admin, TOPICS, 2, MAX);
        }
        Process victim = startSink();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (String id : STREAMS) {
                send(producer, id, new FrameRecord.Start(new StreamInfo(32, 24, FPS, FRAMES * 50_000L, FRAMES, RATE, 1,
                        "synthetic")));
            }
            // a live source: frames trickle in, so the kill lands while both streams have a segment open
            for (int i = 0; i < FRAMES; i++) {
                long due = System.nanoTime() + 1_000_000_000L / FPS;
                for (int s = 0; s < STREAMS.size(); s++) {
                    send(producer, STREAMS.get(s), new FrameRecord.Video(frame(i, s)));
                    send(producer, STREAMS.get(s), new FrameRecord.Audio(new AudioChunk(i * 50_000L, RATE, 1,
                            new short[RATE / FPS])));
                }
                producer.flush();
                if (i == FRAMES / 2) {
                    await().atMost(Duration.ofSeconds(60)).until(() -> readEncoded().values().stream()
                            .filter(l -> l.size() >= 2).count() == STREAMS.size());
                    victim.destroyForcibly().waitFor();
                    startSink();
                }
                await().pollInterval(Duration.ofMillis(5)).until(() -> System.nanoTime() >= due);
            }
            for (String id : STREAMS) {
                send(producer, id, new FrameRecord.End(FRAMES, FRAMES * 50_000L, false));
            }
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> readEncoded().values().stream()
                .filter(l -> !l.isEmpty() && "true".equals(SegmentRecords.text(l.get(l.size() - 1).headers(),
                        SegmentRecords.LAST))).count() == STREAMS.size());

        Map<String, List<ConsumerRecord<String, byte[]>>> encoded = readEncoded();
        for (String id : STREAMS) {
            List<ConsumerRecord<String, byte[]>> records = encoded.get(id);
            assertThat(records).extracting(r -> Long.parseLong(SegmentRecords.text(r.headers(), SegmentRecords.INDEX)))
                    .as("segments of %s, once each, in order", id).containsExactlyElementsOf(
                            LongStream.range(0, FRAMES / 10).boxed().toList());
            assertThat(records).extracting(r -> SegmentRecords.text(r.headers(), SegmentRecords.FIRST_FRAME))
                    .containsExactly("0", "10", "20", "30", "40", "50");
            Path ts = dir.resolve(id + ".ts");
            try (var out = Files.newOutputStream(ts)) {
                for (ConsumerRecord<String, byte[]> r : records) {
                    out.write(r.value());
                }
            }
            Clips.Decoded decoded = Clips.decode(ts);
            List<Long> pts = decoded.pts();
            assertThat(pts).as("frames of %s", id).hasSize(FRAMES);
            // 3 s of sound once: a segment's audio twice or lost would be 0.5 s off; each segment's own AAC
            // encoder adds at most two 21 ms frames of priming and padding
            assertThat(decoded.audioSamples() * 1e6 / RATE).as("audio of %s in microseconds", id)
                    .isBetween(FRAMES * 50_000 - 50_000.0, FRAMES * 50_000 + 6 * 2 * 21_334.0);
            for (int i = 0; i < FRAMES; i++) {
                assertThat(pts.get(i) - pts.get(0)).as("%s frame %d", id, i).isEqualTo(i * 50_000L);
            }
            // an MP4 cannot be appended to: the restarted run's frames go to a part named by its first frame
            List<Path> parts;
            try (var list = Files.list(dir.resolve("files"))) {
                parts = list.filter(p -> p.getFileName().toString().startsWith(id + ".from-frame-")).toList();
            }
            assertThat(parts).as("%s resumed in one new part", id).hasSize(1);
            String name = parts.get(0).getFileName().toString();
            int resumedAt = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1, name.indexOf(".mp4")));
            assertThat(Clips.decode(parts.get(0)).pts()).hasSize(FRAMES - resumedAt);
            List<String> playlist = Files.readAllLines(dir.resolve("hls").resolve(id).resolve("index.m3u8"));
            assertThat(playlist).endsWith("seg-000005.ts", "#EXT-X-ENDLIST");
        }
        // and serves it: the HLS directory over HTTP on its metrics port, on by default with --hls-dir
        String served = output.stream().filter(l -> l.startsWith("HLS: ")).reduce((first, last) -> last)
                .orElseThrow(() -> new AssertionError("the sink says nothing of where it serves HLS"));
        URI hls = URI.create(served.substring("HLS: ".length()).replace("<stream>/index.m3u8", ""));
        HttpClient http = HttpClient.newHttpClient();
        for (String id : STREAMS) {
            HttpResponse<String> playlist = http.send(HttpRequest.newBuilder(hls.resolve(id + "/index.m3u8")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(playlist.statusCode()).isEqualTo(200);
            assertThat(playlist.body())
                    .isEqualTo(Files.readString(dir.resolve("hls").resolve(id).resolve("index.m3u8")));
        }
        assertThat(http.send(HttpRequest.newBuilder(hls).build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("{\"name\":\"cam-0\",\"playlist\":\"cam-0/index.m3u8\",\"ended\":true}",
                        "{\"name\":\"cam-1\",\"playlist\":\"cam-1/index.m3u8\",\"ended\":true}");
        assertThat(output).as("the restarted sink continues at a segment boundary")
                .anyMatch(l -> l.matches(".*stream 'cam-[01]': resuming at segment [1-5], frame [1-5]0.*"));
        await().atMost(Duration.ofSeconds(10)).until(() -> reports().size() == STREAMS.size());
        reports().forEach(System.out::println); // the measured latency, for the record
    }

    /** The streams the sink reported as done (one line each, with their latency). */
    private List<String> reports() {
        return output.stream().filter(l -> l.contains("capture to publish latency")).toList();
    }

    private Process startSink() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Lapstream.class.getName(), "sink",
                "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "skill", "--group-id", "skill-sinks",
                "--instance", "sink-0", "--segment-seconds", "0.5", "--session-timeout", "10",
                "--hls-dir", dir.resolve("hls").toString(), "--hls-window", "3",
                "--output-dir", dir.resolve("files").toString())
                .redirectErrorStream(true).start();
        sinks.add(p);
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.add(line);
                    if (line.contains("now follows partitions")) {
                        running.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertThat(running.await(90, TimeUnit.SECONDS)).as("sink process follows the upscaled topic").isTrue();
        return p;
    }

    private static VideoFrame frame(int i, int stream) {
        byte[] px = new byte[32 * 24 * 3];
        java.util.Arrays.fill(px, (byte) (i * 4 + stream * 60));
        return new VideoFrame(i, i * 50_000L, System.currentTimeMillis(), new RgbImage(32, 24, px));
    }

    private Map<String, List<ConsumerRecord<String, byte[]>>> readEncoded() {
        Map<String, List<ConsumerRecord<String, byte[]>>> out = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPICS.encoded()).stream()
                    .map(p -> new TopicPartition(TOPICS.encoded(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
            }
        }
        return out;
    }

    private static void send(KafkaProducer<String, byte[]> producer, String stream, FrameRecord record) {
        producer.send(new ProducerRecord<>(TOPICS.upscaled(), stream, FrameCodec.encode(record)));
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX), new StringSerializer(), new ByteArraySerializer());
    }
}
