package dev.lapstream.processor;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.metrics.FrameMetrics;
import dev.lapstream.core.metrics.WindowStats;
import dev.lapstream.core.spec.StreamSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The worker against a real (embedded KRaft) broker, with the bicubic upscaler. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WorkerKafkaTest {

    private static EmbeddedKafka kafka;
    private static final Topics TOPICS = Topics.withPrefix("worker-it");
    private static final int MAX = EmbeddedKafka.MAX_MESSAGE_BYTES;
    private static final int PARTITIONS = 2;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, TOPICS, PARTITIONS, MAX);
        }
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void upscalesKnownStreamsAndDeadLettersTheRest() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(TOPICS.streams(), "cam-1", StreamSpec.ofScale(2.5).toJson())).get();
            producer.send(new ProducerRecord<>(TOPICS.streams(), "cam-2", StreamSpec.ofScales(2, 1.5).toJson())).get();
            producer.send(new ProducerRecord<>(TOPICS.streams(), "cam-bad", "{\"scale\":\"NaN\"}".getBytes())).get();
        }
        Path stateDir;
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Worker worker = new Worker(Worker.Settings.defaults(kafka.client(), TOPICS, MAX)
                .withApplicationId("worker-it"), new BicubicUpscaler(), registry)) {
            stateDir = worker.stateDir();
            worker.start(Duration.ofSeconds(60));
            try (KafkaProducer<String, byte[]> producer = producer()) {
                for (String stream : List.of("cam-1", "cam-2", "nobody")) {
                    send(producer, stream, new FrameRecord.Start(new StreamInfo(20, 12, 10, 300_000, 3, 0, 0, "test")));
                    for (int i = 0; i < 3; i++) {
                        byte[] px = new byte[20 * 12 * 3];
                        java.util.Arrays.fill(px, (byte) (40 * i));
                        send(producer, stream, new FrameRecord.Video(
                                new VideoFrame(i, i * 100_000L, System.currentTimeMillis(), new RgbImage(20, 12, px))));
                    }
                    send(producer, stream, new FrameRecord.End(3, 300_000, false));
                }
                producer.send(new ProducerRecord<>(TOPICS.frames(), "cam-1", "garbage, not a frame".getBytes())).get();
            }

            List<ConsumerRecord<String, byte[]>> upscaled = consume(TOPICS.upscaled(), 10);
            List<ConsumerRecord<String, byte[]>> dead = consume(TOPICS.dlq(), 5);
            List<ConsumerRecord<String, byte[]>> metrics = consume(TOPICS.metrics(), 6);

            List<FrameRecord> cam1 = decoded(upscaled, "cam-1");
            assertThat(cam1).hasSize(5);
            assertThat(((FrameRecord.Start) cam1.get(0)).info().width()).isEqualTo(50);
            for (int i = 0; i < 3; i++) {
                VideoFrame f = ((FrameRecord.Video) cam1.get(1 + i)).frame();
                assertThat(f.index()).isEqualTo(i);
                assertThat(f.ptsMicros()).isEqualTo(i * 100_000L);
                assertThat(f.image().width()).isEqualTo(50);
                assertThat(f.image().height()).isEqualTo(30);
                assertThat(f.image().get(12, 7, 1)).isEqualTo(40 * i);
            }
            assertThat(cam1.get(4)).isEqualTo(new FrameRecord.End(3, 300_000, false));
            VideoFrame cam2 = ((FrameRecord.Video) decoded(upscaled, "cam-2").get(1)).frame();
            assertThat(cam2.image().width()).isEqualTo(40);
            assertThat(cam2.image().height()).isEqualTo(18);

            // the unknown stream's start and frames, and the garbage record, all land in the DLQ with a reason
            assertThat(dead).extracting(r -> DeadLetter.reason(r.headers()))
                    .filteredOn(reason -> reason.contains("unknown stream 'nobody'")).hasSize(4);
            assertThat(dead).extracting(r -> DeadLetter.reason(r.headers()))
                    .anyMatch(reason -> reason.contains("bad magic"));

            FrameMetrics m = FrameMetrics.fromJson(metrics.stream().filter(r -> r.key().equals("cam-1"))
                    .findFirst().orElseThrow().value());
            assertThat(m.upscaler()).isEqualTo("bicubic");
            assertThat(m.outWidth()).isEqualTo(50);
            assertThat(m.scaleX()).isEqualTo(2.5);
            assertThat(m.width()).isNull();
            assertThat(m.partitionLag()).isGreaterThanOrEqualTo(0);

            List<ConsumerRecord<String, byte[]>> stats = consume(TOPICS.stats(), 6);
            WindowStats.Summary last = null;
            for (ConsumerRecord<String, byte[]> r : stats) {
                if (r.key().equals("cam-1")) {
                    last = WindowStats.Summary.fromJson(r.value());
                }
            }
            assertThat(last).as("windowed aggregate for cam-1").isNotNull();
            assertThat(last.frames()).isBetween(1L, 3L);
            assertThat(last.widthMix()).containsKey("bicubic");
            assertThat(last.p95LatencyMs()).isGreaterThanOrEqualTo(last.p50LatencyMs());

            // the same frames in the worker's own meters, dead letters by kind of reason
            assertThat(registry.get("lapstream.frames.in").tag("stream", "cam-1").counter().count()).isEqualTo(3);
            assertThat(registry.get("lapstream.frames.out").tag("stream", "cam-1").counter().count()).isEqualTo(3);
            // bytes out: the three encoded video records of cam-1 as they went to the upscaled topic
            long videoBytes = upscaled.stream().filter(r -> r.key().equals("cam-1"))
                    .filter(r -> FrameCodec.decode(r.value()) instanceof FrameRecord.Video)
                    .mapToLong(r -> r.value().length).sum();
            assertThat(registry.get("lapstream.output").tag("stream", "cam-1").counter().count())
                    .isEqualTo((double) videoBytes);
            assertThat(registry.get("lapstream.inference").tag("stream", "cam-1").timer().count()).isEqualTo(3);
            assertThat(registry.get("lapstream.subnet.frames").tags("stream", "cam-2", "width", "bicubic").counter()
                    .count()).isEqualTo(3);
            assertThat(registry.get("lapstream.dead.letters").tags("stream", "nobody", "reason", "unknown_stream")
                    .counter().count()).isEqualTo(4);
            assertThat(registry.get("lapstream.dead.letters").tags("stream", "cam-1", "reason", "malformed")
                    .counter().count()).isEqualTo(1);
            assertThat(registry.find("lapstream.partition.lag").tag("stream", "cam-1").gauge())
                    .as("an ended stream's lag gauge is removed").isNull();
            assertThat(registry.find("kafka.stream.thread.process.total").meters())
                    .as("the Kafka Streams client's metrics are bound").isNotEmpty();

            // a spec that reaches the worker after the stream's first records (within the grace) still serves them all
            try (KafkaProducer<String, byte[]> producer = producer()) {
                send(producer, "late", new FrameRecord.Start(new StreamInfo(20, 12, 10, 100_000, 1, 0, 0, "test")));
                send(producer, "late", new FrameRecord.Video(
                        new VideoFrame(0, 0, System.currentTimeMillis(), new RgbImage(20, 12, new byte[20 * 12 * 3]))));
                send(producer, "late", new FrameRecord.End(1, 100_000, false));
                producer.flush();
                awaitInputCommitted("worker-it"); // so they wait in the worker's store, not on the topic
                producer.send(new ProducerRecord<>(TOPICS.streams(), "late", StreamSpec.ofScale(2).toJson())).get();
            }
            assertThat(decoded(consume(TOPICS.upscaled(), 3), "late")).hasSize(3)
                    .first().satisfies(start -> assertThat(((FrameRecord.Start) start).info().width()).isEqualTo(40));
            assertThat(worker.failure()).isNull();
        }
        assertThat(stateDir).as("the worker's private state directory, removed on close").doesNotExist();
    }

    /**
     * Specs that can never be served: one whose frames exceed the worker's record limit and one whose frames
     * exceed only the upscaled topic's {@code max.message.bytes} (under exactly-once the broker's refusal would
     * abort the transaction of every stream, again on every retry). Each refused record reaches the dead-letter topic with its reason, the
     * stream's later frames are refused too, and a good stream on the same worker is untouched.
     */
    @Test
    void unservableSpecsDeadLetterTheirFramesAndStopNothing() throws Exception {
        Topics topics = Topics.withPrefix("tight");
        int topicLimit = 100_000;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, topics, 1, topicLimit);
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topics.streams(), "huge", StreamSpec.ofSize(6000, 4500).toJson())).get();
            producer.send(new ProducerRecord<>(topics.streams(), "big", StreamSpec.ofScale(16).toJson())).get();
            producer.send(new ProducerRecord<>(topics.streams(), "fine", StreamSpec.ofScale(2).toJson())).get();
        }
        int workerLimit = 8 << 20; // 6000x4500 (81 MB) is over it; 320x192 (184 KB) only over the topic's
        // raw frames: their size is known where the spec is applied, so the start records are refused too
        try (Worker worker = new Worker(Worker.Settings.defaults(kafka.client(), topics, workerLimit)
                .withApplicationId("tight-worker").withUpscaledCodec(PixelCodec.RAW_CODEC), new BicubicUpscaler())) {
            worker.start(Duration.ofSeconds(60));
            try (KafkaProducer<String, byte[]> producer = producer()) {
                for (String stream : List.of("huge", "big", "fine")) {
                    send(producer, topics, stream, new FrameRecord.Start(new StreamInfo(20, 12, 10, 300_000, 3, 0, 0,
                            "test")));
                    for (int i = 0; i < 3; i++) {
                        send(producer, topics, stream, new FrameRecord.Video(new VideoFrame(i, i * 100_000L,
                                System.currentTimeMillis(), new RgbImage(20, 12, new byte[20 * 12 * 3]))));
                    }
                    send(producer, topics, stream, new FrameRecord.End(3, 300_000, false));
                }
            }
            List<ConsumerRecord<String, byte[]>> upscaled = consume(topics.upscaled(), 5 + 1 + 1);
            List<ConsumerRecord<String, byte[]>> dead = consume(topics.dlq(), 4 + 4);

            assertThat(decoded(upscaled, "fine")).hasSize(5);
            assertThat(dead).filteredOn(r -> r.key().equals("huge")).hasSize(4)
                    .allSatisfy(r -> assertThat(DeadLetter.reason(r.headers()))
                            .contains("6000x4500").contains("record limit"));
            assertThat(dead).filteredOn(r -> r.key().equals("big")).hasSize(4)
                    .allSatisfy(r -> assertThat(DeadLetter.reason(r.headers())).contains("320x192")
                            .contains("record limit"));
            assertThat(worker.failure()).isNull();
        }
    }

    /**
     * Compressed frames have no size before encoding: the worker checks each encoded upscaled frame against the
     * lower of its max.request.size and the upscaled topic's max.message.bytes, and dead-letters a frame over it
     * naming the topic's setting, while the stream's start and end and a stream whose frames fit go through.
     */
    @Test
    void encodedFramesOverTheUpscaledTopicsLimitAreDeadLetteredNamingIt() throws Exception {
        Topics topics = Topics.withPrefix("tight-jpeg");
        int topicLimit = 20_000;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, topics, 1, topicLimit);
        }
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topics.streams(), "noisy", StreamSpec.ofSize(1600, 960).toJson())).get();
            producer.send(new ProducerRecord<>(topics.streams(), "fine", StreamSpec.ofScale(2).toJson())).get();
        }
        java.util.Random random = new java.util.Random(7);
        try (Worker worker = new Worker(Worker.Settings.defaults(kafka.client(), topics, 8 << 20)
                .withApplicationId("tight-jpeg-worker"), new BicubicUpscaler())) {
            worker.start(Duration.ofSeconds(60));
            try (KafkaProducer<String, byte[]> producer = producer()) {
                for (String stream : List.of("noisy", "fine")) {
                    send(producer, topics, stream, new FrameRecord.Start(new StreamInfo(20, 12, 10, 300_000, 3, 0, 0,
                            "test")));
                    for (int i = 0; i < 3; i++) {
                        byte[] pixels = new byte[20 * 12 * 3];
                        if (stream.equals("noisy")) {
                            random.nextBytes(pixels);
                        }
                        send(producer, topics, stream, new FrameRecord.Video(new VideoFrame(i, i * 100_000L,
                                System.currentTimeMillis(), new RgbImage(20, 12, pixels))));
                    }
                    send(producer, topics, stream, new FrameRecord.End(3, 300_000, false));
                }
            }
            List<ConsumerRecord<String, byte[]>> upscaled = consume(topics.upscaled(), 5 + 2);
            List<ConsumerRecord<String, byte[]>> dead = consume(topics.dlq(), 3);

            assertThat(decoded(upscaled, "fine")).hasSize(5);
            assertThat(decoded(upscaled, "noisy")).hasSize(2);
            assertThat(dead).hasSize(3).allSatisfy(r -> {
                assertThat(r.key()).isEqualTo("noisy");
                assertThat(DeadLetter.reason(r.headers())).contains("1600x960", "jpeg:90",
                        "max.message.bytes of " + topics.upscaled());
            });
            assertThat(worker.failure()).isNull();
        }
    }

    /**
     * Frames held for a batch when the worker commits (their input offsets committed, no output yet) are in the
     * changelog: the worker that takes over the partition restores and serves them, each once.
     */
    @Test
    void framesHeldForABatchSurviveTheWorkerThatHeldThem() throws Exception {
        Topics topics = Topics.withPrefix("batch-it");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, topics, PARTITIONS, MAX);
        }
        Worker.Settings settings = Worker.Settings.defaults(kafka.client(), topics, MAX).withApplicationId("batch-it");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(topics.streams(), "cam", StreamSpec.ofScale(2).toJson())).get();
        }
        try (Worker holding = new Worker(settings.withBatching(new Batching(8, Duration.ofMinutes(10))),
                new BicubicUpscaler())) {
            holding.start(Duration.ofSeconds(60));
            try (KafkaProducer<String, byte[]> producer = producer()) {
                for (int i = 0; i < 3; i++) {
                    send(producer, topics, "cam", new FrameRecord.Video(new VideoFrame(i, i * 100_000L, 0,
                            new RgbImage(16, 16, new byte[16 * 16 * 3]))));
                }
                producer.flush();
            }
            awaitInputCommitted("batch-it", topics);
        }
        try (Worker next = new Worker(settings.withBatching(new Batching(8, Duration.ofMillis(100))),
                new BicubicUpscaler())) {
            next.start(Duration.ofSeconds(60));
            List<FrameRecord> out = decoded(consume(topics.upscaled(), 3), "cam");
            assertThat(out).extracting(r -> ((FrameRecord.Video) r).frame().index()).containsExactly(0L, 1L, 2L);
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, Topics topics, String stream, FrameRecord record) {
        producer.send(new ProducerRecord<>(topics.frames(), stream, FrameCodec.encode(record)));
    }

    private static List<FrameRecord> decoded(List<ConsumerRecord<String, byte[]>> records, String stream) {
        return records.stream().filter(r -> r.key().equals(stream)).map(r -> FrameCodec.decode(r.value())).toList();
    }

    private static void send(KafkaProducer<String, byte[]> producer, String stream, FrameRecord record) {
        producer.send(new ProducerRecord<>(TOPICS.frames(), stream, FrameCodec.encode(record)));
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX), new StringSerializer(), new ByteArraySerializer());
    }

    /** Waits until the worker group has committed every record on the frames topic. */
    private static void awaitInputCommitted(String group) {
        awaitInputCommitted(group, TOPICS);
    }

    private static void awaitInputCommitted(String group, Topics topics) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            await("the worker commits the frames topic's records").atMost(Duration.ofSeconds(30)).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    ends.put(new TopicPartition(topics.frames(), p), OffsetSpec.latest());
                }
                return admin.listOffsets(ends).all().get().entrySet().stream().allMatch(e -> e.getValue().offset()
                        == (committed.containsKey(e.getKey()) ? committed.get(e.getKey()).offset() : 0));
            });
        }
    }

    private static List<ConsumerRecord<String, byte[]>> consume(String topic, int atLeast) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + topic,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
                if (out.size() >= atLeast) {
                    // drain whatever else is already committed
                    consumer.poll(Duration.ofSeconds(2)).forEach(out::add);
                    break;
                }
            }
        }
        return out;
    }
}
