package dev.lapstream.cli;

import dev.lapstream.broker.StreamSpecs;
import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.metrics.FrameMetrics;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.sink.StreamSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two worker processes share a 4-partition frames topic; one is killed with SIGKILL mid-stream. Every
 * stream's committed output must still hold each frame exactly once, in order, and encode to a file
 * that decodes to all of them.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ExactlyOnceKillTest {

    private static final Topics TOPICS = Topics.withPrefix("eos");
    private static final int STREAMS = 4;
    private static final int FRAMES = 60;
    private static final int MAX = EmbeddedKafka.MAX_MESSAGE_BYTES;
    /** One stream per partition, so both workers own streams whatever the task assignment. */
    private static final List<String> STREAM_IDS = onePerPartition(STREAMS);

    @TempDir
    Path dir;
    private final List<Process> workers = new ArrayList<>();
    private EmbeddedKafka kafka;

    @AfterEach
    void stop() throws InterruptedException {
        // SIGTERM first: a surviving worker closes and removes its state directory
        workers.forEach(Process::destroy);
        for (Process w : workers) {
            if (!w.waitFor(30, TimeUnit.SECONDS)) {
                w.destroyForcibly();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void killedWorkerLosesAndDuplicatesNothing() throws Exception {
        kafka = EmbeddedKafka.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, TOPICS, 4, MAX);
        }
        for (int s = 0; s < STREAMS; s++) {
            StreamSpecs.publish(kafka.client(), TOPICS, STREAM_IDS.get(s), StreamSpec.ofScale(2).toJson());
        }
        Process victim = startWorker();
        startWorker();

        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int s = 0; s < STREAMS; s++) {
                send(producer, STREAM_IDS.get(s), new FrameRecord.Start(new StreamInfo(48, 32, 20, FRAMES * 50_000L,
                        FRAMES, 0, 0, "synthetic")));
            }
            // a live source: frames trickle in, so the kill lands while every stream is mid-flight
            for (int i = 0; i < FRAMES; i++) {
                for (int s = 0; s < STREAMS; s++) {
                    send(producer, STREAM_IDS.get(s), new FrameRecord.Video(frame(i, s)));
                }
                producer.flush();
                if (i == FRAMES / 3) {
                    assertThat(committedMetricsWorkers()).as("both workers are upscaling before the kill").hasSize(2);
                    victim.destroyForcibly().waitFor();
                }
                Thread.sleep(60);
            }
            for (int s = 0; s < STREAMS; s++) {
                send(producer, STREAM_IDS.get(s), new FrameRecord.End(FRAMES, FRAMES * 50_000L, false));
            }
        }

        for (int s = 0; s < STREAMS; s++) {
            Path out = dir.resolve(STREAM_IDS.get(s) + ".mp4");
            StreamSink.Result result;
            try (StreamSink sink = new StreamSink(kafka.client(), TOPICS, STREAM_IDS.get(s), out, MAX)) {
                sink.fromNewestStart();
                result = sink.run(n -> { }, () -> true, Duration.ofSeconds(90));
            }
            assertThat(result.duplicates()).as("duplicates in cam-%d", s).isZero();
            assertThat(result.missing()).as("missing in cam-%d", s).isZero();
            assertThat(result.frames()).isEqualTo(FRAMES);
            assertThat(Clips.decode(out).pts()).hasSize(FRAMES).isSorted();
        }
        Map<String, List<Long>> indices = committedFrameIndices();
        for (int s = 0; s < STREAMS; s++) {
            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < FRAMES; i++) {
                expected.add(i);
            }
            assertThat(indices.get(STREAM_IDS.get(s))).as("committed frames of cam-%d, in order", s).isEqualTo(expected);
        }
    }

    private static List<String> onePerPartition(int partitions) {
        String[] ids = new String[partitions];
        for (int n = 0, found = 0; found < partitions; n++) {
            String id = "cam-" + n;
            int p = org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (ids[p] == null) {
                ids[p] = id;
                found++;
            }
        }
        return List.of(ids);
    }

    private Process startWorker() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Lapstream.class.getName(), "worker",
                "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "eos", "--application-id", "eos-workers",
                "--transaction-timeout", "10", "--session-timeout", "6", "--upscaler", "bicubic")
                .redirectErrorStream(true).start();
        workers.add(p);
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.contains("lapstream worker running")) {
                        running.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertThat(running.await(90, TimeUnit.SECONDS)).as("worker process started").isTrue();
        return p;
    }

    private static VideoFrame frame(int i, int stream) {
        byte[] px = new byte[48 * 32 * 3];
        java.util.Arrays.fill(px, (byte) (i * 4 + stream));
        return new VideoFrame(i, i * 50_000L, System.currentTimeMillis(), new RgbImage(48, 32, px));
    }

    private Set<String> committedMetricsWorkers() throws Exception {
        Set<String> seen = new HashSet<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (seen.size() < 2 && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, byte[]> r : readAll(TOPICS.metrics())) {
                seen.add(FrameMetrics.fromJson(r.value()).worker());
            }
        }
        return seen;
    }

    private Map<String, List<Long>> committedFrameIndices() {
        Map<String, List<Long>> out = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : readAll(TOPICS.upscaled())) {
            if (FrameCodec.decode(r.value()) instanceof FrameRecord.Video v) {
                out.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(v.frame().index());
            }
        }
        return out;
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    private static void send(KafkaProducer<String, byte[]> producer, String stream, FrameRecord record) {
        producer.send(new ProducerRecord<>(TOPICS.frames(), stream, FrameCodec.encode(record)));
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX), new StringSerializer(), new ByteArraySerializer());
    }
}
