package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.processor.Worker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A producer that knows nothing of lapstream (a plain KafkaProducer sending JPEG files with the contract's headers)
 * feeds a stream; the worker starts it from its spec and the first frame's size, and the sink writes the video.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ImageProducerTest {

    @TempDir
    Path dir;

    private static byte[] jpeg(int w, int h, int i) throws Exception {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                bi.setRGB(x, y, ((x + 3 * i) % w * 255 / w) << 16 | (y * 255 / h) << 8 | 128);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(bi, "jpeg", out);
        return out.toByteArray();
    }

    private static ProducerRecord<String, byte[]> record(String topic, byte[] value, String... headers) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, "door-cam", value);
        for (int i = 0; i < headers.length; i += 2) {
            r.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    @Test
    void jpegRecordsFromAPlainProducerComeOutAsUpscaledVideo() throws Exception {
        Topics topics = Topics.withPrefix("foreign");
        Path out = dir.resolve("door-cam.mp4");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(kafka.client().admin())) {
                TopicSetup.ensure(admin, topics, 2, EmbeddedKafka.MAX_MESSAGE_BYTES);
            }
            assertThat(Lapstream.commandLine().execute("streams", "set", "door-cam", "--scale", "2", "--bootstrap",
                    bootstrap, "--topic-prefix", "foreign")).isZero();
            try (Worker worker = new Worker(Worker.Settings.defaults(kafka.client(), topics,
                    EmbeddedKafka.MAX_MESSAGE_BYTES), new BicubicUpscaler());
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                         new StringSerializer(), new ByteArraySerializer())) {
                worker.start(Duration.ofSeconds(60));
                for (int i = 0; i < 8; i++) { // 12.5 fps in a 90 kHz clock, as an RTP camera would stamp them
                    producer.send(record(topics.frames(), jpeg(48, 32, i), "lapstream.index", "" + i,
                            "lapstream.pts", "" + (7200 * i + 123_000), "lapstream.time-base", "1/90000",
                            "lapstream.fps", "12.5"));
                }
                producer.send(record(topics.frames(), new byte[0], "lapstream.end", "1"));
                producer.flush();

                int exit = Lapstream.commandLine().execute("sink", "--stream", "door-cam", "-o", out.toString(),
                        "--bootstrap", bootstrap, "--topic-prefix", "foreign", "--stall-timeout", "60");
                assertThat(exit).isZero();
            }
        }
        Clips.Decoded video = Clips.decode(out);
        assertThat(video.width()).isEqualTo(96);
        assertThat(video.height()).isEqualTo(64);
        assertThat(video.frameRate()).isEqualTo(12.5);
        assertThat(video.pts()).hasSize(8).isSorted().doesNotHaveDuplicates();
        assertThat(video.pts().get(7) - video.pts().get(0)).isEqualTo(7 * 80_000L);
    }
}
