package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.lapstream.cli.CommandChecksTest.lapstream;
import static org.assertj.core.api.Assertions.assertThat;

/** The cluster commands say what went wrong with a stream and what to do, against a real broker. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterMessagesTest {

    private static final Topics TOPICS = Topics.withPrefix("messages");
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, TOPICS, 1, EmbeddedKafka.MAX_MESSAGE_BYTES);
        }
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void ingestOfAStreamWithoutASpecWarns() throws Exception {
        Path clip = Clips.write(dir.resolve("c.mp4"), 32, 24, 10, 2, 0);
        CommandChecksTest.Run run = lapstream("ingest", clip.toString(), "--stream", "specless", "--bootstrap",
                kafka.bootstrapServers(), "--topic-prefix", "messages");
        assertThat(run.exit()).isZero();
        assertThat(run.err()).contains("warning: stream 'specless' has no spec").contains("streams set specless");
    }

    @Test
    void sinkOfAReusedStreamIdWritesItsNewestRun() throws Exception {
        publishRun("twice", 2, false);
        publishRun("twice", 3, false);
        Path out = dir.resolve("twice.mp4");
        CommandChecksTest.Run run = lapstream("sink", "--stream", "twice", "-o", out.toString(),
                "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "messages");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(Clips.decode(out).pts()).hasSize(3);
    }

    /** One run of a stream as a worker would have upscaled it: start, {@code frames} frames, end. */
    private static void publishRun(String stream, int frames, boolean truncated) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            List<FrameRecord> records = new ArrayList<>();
            records.add(new FrameRecord.Start(new StreamInfo(32, 24, 10, frames * 100_000L, frames, 0, 0, "in.mp4")));
            for (int i = 0; i < frames; i++) {
                records.add(new FrameRecord.Video(new VideoFrame(i, i * 100_000L, 0, new RgbImage(32, 24,
                        new byte[32 * 24 * 3]))));
            }
            records.add(new FrameRecord.End(frames, frames * 100_000L, truncated));
            for (FrameRecord r : records) {
                producer.send(new ProducerRecord<>(TOPICS.upscaled(), stream, FrameCodec.encode(r))).get();
            }
        }
    }

    @Test
    void sinkOfATruncatedStreamSaysSoAndFails() throws Exception {
        publishRun("cut", 1, true);
        CommandChecksTest.Run run = lapstream("sink", "--stream", "cut", "-o", dir.resolve("cut.mp4").toString(),
                "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "messages");
        assertThat(run.exit()).isEqualTo(ErrorHandler.BAD_INPUT);
        assertThat(run.err()).contains("'cut' was truncated").contains("1 frames");
    }
}
