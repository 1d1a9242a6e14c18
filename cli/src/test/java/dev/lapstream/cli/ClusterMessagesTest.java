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
    void sinkOfATruncatedStreamSaysSoAndFails() throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            for (FrameRecord r : new FrameRecord[]{new FrameRecord.Start(new StreamInfo(32, 24, 10, 1_000_000, 10, 0,
                    0, "cut.mp4")), new FrameRecord.Video(new VideoFrame(0, 0, 0, new RgbImage(32, 24,
                    new byte[32 * 24 * 3]))), new FrameRecord.End(1, 100_000, true)}) {
                producer.send(new ProducerRecord<>(TOPICS.upscaled(), "cut", FrameCodec.encode(r))).get();
            }
        }
        CommandChecksTest.Run run = lapstream("sink", "--stream", "cut", "-o", dir.resolve("cut.mp4").toString(),
                "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", "messages");
        assertThat(run.exit()).isEqualTo(ErrorHandler.BAD_INPUT);
        assertThat(run.err()).contains("'cut' was truncated").contains("1 frames");
    }
}
