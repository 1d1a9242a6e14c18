package dev.lapstream.dashboard;

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
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.ops.Health;
import dev.lapstream.ops.OpsServer;
import dev.lapstream.ops.ProcessMetrics;
import dev.lapstream.processor.Worker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A running pipeline for the dashboard's tests: an embedded broker, a worker, one live stream of a small moving
 * picture at about 8 fps (an endless clip, so there is always a next frame), one garbage record for the
 * dead-letter topic, and the dashboard with {@code /metrics} in the same process, as {@code upscale --dashboard}
 * runs it.
 */
final class LivePipeline implements AutoCloseable {

    static final String STREAM = "cam-live";
    static final Topics TOPICS = Topics.withPrefix("dash-it");
    private static final int W = 64;
    private static final int H = 48;

    final ProcessMetrics metrics = new ProcessMetrics();
    final Health health = new Health();
    final EmbeddedKafka kafka = EmbeddedKafka.start();
    final OpsServer server;
    final Dashboard dashboard;
    private final Upscaler upscaler = new SubnetBicubic();
    private final Worker worker;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread source;
    private volatile boolean running = true;

    LivePipeline() {
        int max = EmbeddedKafka.MAX_MESSAGE_BYTES;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicSetup.ensure(admin, TOPICS, 1, max);
        }
        StreamSpecs.publish(kafka.client(), TOPICS, STREAM, StreamSpec.ofScale(2).toJson());
        worker = new Worker(Worker.Settings.defaults(kafka.client(), TOPICS, max)
                .withApplicationId("dash-it").withCommitInterval(Duration.ofMillis(200)), upscaler, metrics.registry());
        worker.start(Duration.ofSeconds(60));
        server = new OpsServer("127.0.0.1", 0, metrics, health);
        dashboard = new Dashboard(kafka.client(), TOPICS, max, Duration.ofMinutes(5), server, health,
                metrics.registry());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, max, ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
        producer.send(new ProducerRecord<>(TOPICS.frames(), STREAM, "not a frame record".getBytes()));
        source = new Thread(this::play, "live-source");
        source.setDaemon(true);
        source.start();
    }

    /** Frames of a bright bar sweeping across a gradient, paced like a camera; at most ten minutes of them. */
    private void play() {
        send(new FrameRecord.Start(new StreamInfo(W, H, 8, 0, 0, 0, 0, "test pattern")));
        for (long i = 0; running && i < 8 * 600; i++) {
            byte[] px = new byte[W * H * 3];
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int o = (y * W + x) * 3;
                    boolean bar = Math.abs(x - (int) (i % W)) < 4;
                    px[o] = (byte) (bar ? 255 : x * 4);
                    px[o + 1] = (byte) (bar ? 220 : y * 5);
                    px[o + 2] = (byte) (bar ? 40 : 128);
                }
            }
            send(new FrameRecord.Video(new VideoFrame(i, i * 125_000, System.currentTimeMillis(),
                    new RgbImage(W, H, px))));
            try {
                Thread.sleep(125); // the camera's frame interval
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void send(FrameRecord record) {
        producer.send(new ProducerRecord<>(TOPICS.frames(), STREAM, FrameCodec.encode(record)));
    }

    @Override
    public void close() {
        running = false;
        source.interrupt();
        try {
            source.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(5));
        dashboard.close();
        server.close();
        worker.close();
        kafka.close();
        metrics.close();
    }

    /** Bicubic that offers two subnet widths, so the width controller runs and the width meters exist. */
    private static final class SubnetBicubic implements Upscaler {
        private final BicubicUpscaler bicubic = new BicubicUpscaler();

        @Override
        public RgbImage upscale(RgbImage input, int outWidth, int outHeight) {
            return bicubic.upscale(input, outWidth, outHeight);
        }

        @Override
        public List<Integer> widths() {
            return List.of(32, 64);
        }

        @Override
        public String name() {
            return "bicubic";
        }
    }
}
