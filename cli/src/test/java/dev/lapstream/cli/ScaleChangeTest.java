package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.StreamSpecs;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.processor.Worker;
import dev.lapstream.sink.StreamSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.function.Predicate.isEqual;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream's scale changes mid-stream through the streams topic: the frames after the change come out
 * at the new size and the sink closes the first file and starts a new segment at that frame.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ScaleChangeTest {

    private static final Topics TOPICS = Topics.withPrefix("rescale");
    private static final int MAX = EmbeddedKafka.MAX_MESSAGE_BYTES;
    private static final int HALF = 6;

    @TempDir
    Path dir;

    @Test
    void newScaleAppliesFromTheNextFrameAndStartsANewSegment() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                TopicSetup.ensure(admin, TOPICS, 1, MAX);
            }
            StreamSpecs.publish(kafka.client(), TOPICS, "cam", StreamSpec.ofScale(2).toJson());
            try (Worker worker = new Worker(Worker.Settings.defaults(kafka.client(), TOPICS, MAX),
                    new BicubicUpscaler());
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                         ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX), new StringSerializer(), new ByteArraySerializer())) {
                worker.start(Duration.ofSeconds(60));
                send(producer, new FrameRecord.Start(new StreamInfo(32, 24, 20, 2 * HALF * 50_000L, 2 * HALF, 0, 0,
                        "synthetic")));
                for (int i = 0; i < HALF; i++) {
                    send(producer, new FrameRecord.Video(frame(i)));
                }
                awaitCommittedFrames(bootstrap, HALF);

                StreamSpec change = StreamSpec.ofScale(1.5);
                StreamSpecs.publish(kafka.client(), TOPICS, "cam", change.toJson());
                await("the worker's copy of the streams topic has the change").atMost(Duration.ofSeconds(30))
                        .until(() -> worker.spec("cam").map(StreamSpec::describe), isEqual(Optional.of(change.describe())));
                for (int i = HALF; i < 2 * HALF; i++) {
                    send(producer, new FrameRecord.Video(frame(i)));
                }
                send(producer, new FrameRecord.End(2 * HALF, 2 * HALF * 50_000L, false));
                producer.flush();

                Path out = dir.resolve("cam.mp4");
                StreamSink.Result result;
                try (StreamSink sink = new StreamSink(kafka.client(), TOPICS, "cam", out, MAX)) {
                    sink.fromNewestStart();
                    result = sink.run(n -> { }, () -> worker.failure() == null, Duration.ofSeconds(60));
                }
                assertThat(result.complete()).isTrue();
                assertThat(result.segments()).containsExactly(
                        new StreamSink.Segment(out, 0, 64, 48, HALF),
                        new StreamSink.Segment(dir.resolve("cam.from-frame-6.mp4"), HALF, 48, 36, HALF));

                Clips.Decoded first = Clips.decode(out);
                Clips.Decoded second = Clips.decode(result.segments().get(1).file());
                assertThat(List.of(first.width(), first.height(), first.pts().size())).containsExactly(64, 48, HALF);
                assertThat(List.of(second.width(), second.height(), second.pts().size())).containsExactly(48, 36, HALF);
                assertThat(second.pts()).isSorted();
                assertThat(second.pts().get(0)).as("a segment's timeline starts at its first frame").isZero();
            }
        }
    }

    private static VideoFrame frame(int i) {
        byte[] px = new byte[32 * 24 * 3];
        for (int p = 0; p < px.length; p++) {
            px[p] = (byte) ((p / 3 % 32) * 8 + i * 4);
        }
        return new VideoFrame(i, i * 50_000L, System.currentTimeMillis(), new RgbImage(32, 24, px));
    }

    private static void send(KafkaProducer<String, byte[]> producer, FrameRecord record) {
        producer.send(new ProducerRecord<>(TOPICS.frames(), "cam", FrameCodec.encode(record)));
    }

    /** Waits until the worker has committed {@code n} upscaled frames of the stream. */
    private static void awaitCommittedFrames(String bootstrap, int n) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "rescale-check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(TOPICS.upscaled()));
            int frames = 0;
            long deadline = System.currentTimeMillis() + 90_000;
            while (frames < n && System.currentTimeMillis() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(300))) {
                    if (FrameCodec.decode(r.value()) instanceof FrameRecord.Video) {
                        frames++;
                    }
                }
            }
            assertThat(frames).as("upscaled frames before the change").isEqualTo(n);
        }
    }
}
