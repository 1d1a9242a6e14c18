package dev.lapstream.bench;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.StreamSpecs;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.Resize;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.core.quality.Quality;
import dev.lapstream.core.spec.Size;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.processor.Worker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code lapstream bench --codecs}: what each frame codec costs at each frame size, on photos cropped and
 * resized to the size (camera-like content; synthetic frames compress far better than real ones). Per codec:
 * bytes per frame, encode and decode ms per frame, PSNR-Y of the decoded frame, the producer's batch
 * compression ({@code compression.type} lz4 and zstd) on top of the payload, and end-to-end fps of a backlog
 * through Kafka: producer (encoding) -> worker (decode, pass-through, encode with the same codec, exactly once)
 * -> read_committed reader (decoding). The worker's pass-through keeps inference out of the figure, so it is
 * the ceiling the transport and the codec leave.
 */
public final class CodecBenchmark {

    /**
     * @param images     photos to cut the frames from
     * @param sizes      frame sizes
     * @param codecs     codec names as {@link PixelCodec#parse} reads them
     * @param frames     distinct frames per size
     * @param kafkaFrames backlog per codec through Kafka (the frames cycled)
     * @param client     the cluster; without bootstrap servers an embedded broker
     */
    public record Options(Path images, List<Size> sizes, List<String> codecs, int frames, int kafkaFrames,
                          ClientConfig client) {
    }

    public record Row(Size size, String codec, double bytes, double encodeMs, double decodeMs, double psnr,
                      double lz4, double zstd, double fps) {
    }

    private static final int MAX = BenchClients.MAX;
    private final Options options;
    private final PrintStream out;

    public CodecBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public List<Row> run() {
        List<Row> rows = new ArrayList<>();
        try (EmbeddedKafka embedded = options.client().bootstrap() == null ? EmbeddedKafka.start() : null) {
            ClientConfig kafka = embedded == null ? options.client()
                    : options.client().withBootstrap(embedded.bootstrapServers());
            for (Size size : options.sizes()) {
                List<RgbImage> frames = frames(size);
                if (rows.isEmpty()) { // JIT of the Kafka path and the worker's first transactions: not counted
                    measure(kafka, size, frames, PixelCodec.parse(options.codecs().get(0)), "warm-up");
                }
                for (String name : options.codecs()) {
                    PixelCodec codec = PixelCodec.parse(name);
                    rows.add(measure(kafka, size, frames, codec, ""));
                }
            }
        }
        out.printf(Locale.ROOT, "%n| size | codec | KB per frame | of raw | encode ms | decode ms | PSNR-Y dB "
                + "| lz4 on top | zstd on top | fps through Kafka |%n|---|---|---|---|---|---|---|---|---|---|%n");
        for (Row r : rows) {
            double raw = 3.0 * r.size().width() * r.size().height();
            out.printf(Locale.ROOT, "| %s | %s | %.0f | %.3f | %.1f | %.1f | %s | %.3f | %.3f | %.1f |%n", r.size(),
                    r.codec(), r.bytes() / 1024, r.bytes() / raw, r.encodeMs(), r.decodeMs(),
                    Double.isInfinite(r.psnr()) ? "lossless" : String.format(Locale.ROOT, "%.2f", r.psnr()), r.lz4(),
                    r.zstd(), r.fps());
        }
        out.println("(lz4 / zstd on top: the producer's compression-rate-avg with that compression.type, "
                + "compressed / uncompressed batch size)");
        return rows;
    }

    /** The largest photos, centre-cropped to the size's aspect ratio and resized to it. */
    private List<RgbImage> frames(Size size) {
        List<RgbImage> photos = new ArrayList<>(Images.list(options.images()).stream().map(Images::load).toList());
        if (photos.isEmpty()) {
            throw new IllegalArgumentException("no images in " + options.images());
        }
        photos.sort(Comparator.comparingLong((RgbImage p) -> (long) p.width() * p.height()).reversed());
        List<RgbImage> frames = new ArrayList<>();
        for (RgbImage p : photos.subList(0, Math.min(options.frames(), photos.size()))) {
            double aspect = (double) size.width() / size.height();
            int w = (int) Math.min(p.width(), Math.round(p.height() * aspect));
            int h = (int) Math.min(p.height(), Math.round(w / aspect));
            RgbImage crop = Images.crop(p, (p.width() - w) / 2, (p.height() - h) / 2, w, h);
            frames.add(Resize.resize(crop, size.width(), size.height()));
        }
        out.printf(Locale.ROOT, "%n%s: %d frames from the largest photos of %s (smallest source %dx%d)%n", size,
                frames.size(), options.images(), photos.get(frames.size() - 1).width(),
                photos.get(frames.size() - 1).height());
        return frames;
    }

    private Row measure(ClientConfig kafka, Size size, List<RgbImage> frames, PixelCodec codec, String round) {
        List<byte[]> encoded = new ArrayList<>();
        frames.forEach(codec::encode); // warm-up: JIT and ImageIO's native codecs
        long t0 = System.nanoTime();
        for (RgbImage f : frames) {
            encoded.add(codec.encode(f));
        }
        double encodeMs = (System.nanoTime() - t0) / 1e6 / frames.size();
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            records.add(FrameCodec.encode(new FrameRecord.Video(new VideoFrame(i, 0, 0, frames.get(i))), codec));
        }
        records.forEach(FrameCodec::decode);
        double psnr = 0;
        t0 = System.nanoTime();
        List<RgbImage> decoded = new ArrayList<>();
        for (byte[] r : records) {
            decoded.add(((FrameRecord.Video) FrameCodec.decode(r)).frame().image());
        }
        double decodeMs = (System.nanoTime() - t0) / 1e6 / frames.size();
        for (int i = 0; i < frames.size(); i++) {
            psnr += Quality.psnrY(decoded.get(i), frames.get(i), 0) / frames.size();
        }
        double bytes = encoded.stream().mapToInt(b -> b.length).average().orElse(0);
        Topics topics = Topics.withPrefix("codec-bench-" + round + size.width() + "-"
                + codec.describe().replace(':', '-'));
        try (Admin admin = Admin.create(kafka.admin())) {
            TopicSetup.ensure(admin, topics, 1, MAX);
        }
        double lz4 = batchCompression(kafka, topics.dlq(), records, "lz4");
        double zstd = batchCompression(kafka, topics.dlq(), records, "zstd");
        double fps = throughKafka(kafka, topics, frames, codec);
        out.printf(Locale.ROOT, "  %s%s %s: %.0f KB, encode %.1f ms, decode %.1f ms, lz4 %.3f, zstd %.3f, %.1f fps%n",
                round.isEmpty() ? "" : round + " ", size, codec.describe(), bytes / 1024, encodeMs, decodeMs, lz4, zstd,
                fps);
        return new Row(size, codec.describe(), bytes, encodeMs, decodeMs, psnr, lz4, zstd, fps);
    }

    /** The producer's own measure of what its compression.type saves on these records. */
    private static double batchCompression(ClientConfig kafka, String topic, List<byte[]> records, String type) {
        try (KafkaProducer<String, byte[]> producer = BenchClients.producer(kafka, 4, type)) {
            for (byte[] r : records) {
                producer.send(new ProducerRecord<>(topic, "compression", r));
            }
            producer.flush();
            return producer.metrics().entrySet().stream()
                    .filter(m -> m.getKey().name().equals("compression-rate-avg")
                            && m.getKey().group().equals("producer-metrics"))
                    .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue()).findFirst().orElse(1);
        }
    }

    /** A backlog through a pass-through worker that re-encodes with the same codec; fps from first send to last read. */
    private double throughKafka(ClientConfig kafka, Topics topics, List<RgbImage> frames, PixelCodec codec) {
        String stream = "codec-" + codec.describe();
        StreamSpecs.publish(kafka, topics, stream, StreamSpec.ofScale(1).toJson());
        int n = options.kafkaFrames();
        RgbImage first = frames.get(0);
        try (Worker worker = new Worker(Worker.Settings.defaults(kafka, topics, MAX).withApplicationId(
                topics.frames()).withUpscaledCodec(codec), new PassThrough());
             KafkaConsumer<String, byte[]> consumer = BenchClients.tail(kafka, topics.upscaled());
             KafkaProducer<String, byte[]> producer = BenchClients.producer(kafka, 4, "none")) {
            worker.start(Duration.ofSeconds(120));
            long t0 = System.nanoTime();
            producer.send(new ProducerRecord<>(topics.frames(), stream, FrameCodec.encode(new FrameRecord.Start(
                    new StreamInfo(first.width(), first.height(), 25, -1, n, 0, 0, "bench")))));
            for (int i = 0; i < n; i++) {
                producer.send(new ProducerRecord<>(topics.frames(), stream, FrameCodec.encode(new FrameRecord.Video(
                        new VideoFrame(i, i * 40_000L, System.currentTimeMillis(), frames.get(i % frames.size()))),
                        codec)));
            }
            producer.flush();
            int got = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (got < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("codec benchmark stalled: " + got + " of " + n + " frames");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (FrameCodec.decode(r.value()) instanceof FrameRecord.Video) {
                        got++;
                    }
                }
            }
            return n / ((System.nanoTime() - t0) / 1e9);
        }
    }

    /** Frames unchanged (scale 1): the worker's Kafka and codec work without inference. */
    private static final class PassThrough implements Upscaler {
        @Override
        public RgbImage upscale(RgbImage input, int outWidth, int outHeight) {
            return input;
        }

        @Override
        public String name() {
            return "pass-through";
        }
    }
}
