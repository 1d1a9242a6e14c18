package dev.lapstream.bench;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.StreamSpecs;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.core.metrics.FrameMetrics;
import dev.lapstream.core.quality.Protocol;
import dev.lapstream.core.quality.Quality;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.ingest.MediaItem;
import dev.lapstream.ingest.VideoSource;
import dev.lapstream.model.AsdnUpscaler;
import dev.lapstream.processor.Worker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One run, all figures from the same process and machine state: the model alone vs the model behind
 * Kafka on the same frames, speed and PSNR per AnySR width, achieved GFLOP/s against a MatMul peak and
 * a 3x3 convolution, and the width controller under an input rate 1.5x the full-width capacity, then 0.5x.
 */
public final class PipelineBenchmark {

    /**
     * @param model     SavedModel directory
     * @param input     video whose frames are the ground truth (HR)
     * @param frames    frames to use
     * @param scale     upscaling factor; LR frames are the HR frames degraded by it
     * @param threads   TensorFlow intra-op threads (0 = TensorFlow's default)
     * @param phase     length of each load phase of the controller test
     * @param kafkaFrames backlog per Kafka round (the frames cycled): long enough that filling and draining the
     *                  pipeline (a transaction commit interval or so) is a small part of the timing
     * @param kafkaRounds rounds of (model alone, through Kafka) in alternating order
     * @param client    the cluster and client properties; without bootstrap servers an embedded broker
     * @param batch     the batch size the model alone is compared at against batch 1
     */
    public record Options(Path model, Path input, int frames, double scale, int threads, Duration phase,
                          int soakFrames, int kafkaFrames, int kafkaRounds, ClientConfig client, int batch) {
    }

    /** Speed and quality of one way of upscaling. */
    public record Row(String method, Integer width, double fps, double psnr, double gflops) {
    }

    /** One frame of the controller test. */
    public record ControlSample(long frame, double offeredFps, int width, long lag, double inferenceMs,
                                String reason) {
    }

    public record Report(double matMulGflops, double convGflops, long macsPerPixel, List<Row> rows, double kafkaFps,
                         double modelFps, List<ControlSample> control, BatchBenchmark.Result batches) {

        public double kafkaRatio() {
            return kafkaFps / modelFps;
        }
    }

    private static final int MAX = BenchClients.MAX;
    private static final int BATCH_ROUNDS = 2;
    private final Options options;
    private final PrintStream out;

    public PipelineBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public Report run() throws Exception {
        List<RgbImage> hr = new ArrayList<>();
        List<RgbImage> lr = new ArrayList<>();
        loadFrames(hr, lr);
        int outW = hr.get(0).width();
        int outH = hr.get(0).height();
        out.printf(Locale.ROOT, "frames: %d x %dx%d -> %dx%d (x%s) from %s%n", lr.size(), lr.get(0).width(),
                lr.get(0).height(), outW, outH, fmt(options.scale()), options.input());
        out.println(oneDnnMode());
        try (AsdnUpscaler model = new AsdnUpscaler(options.model(), options.threads())) {
            List<Integer> widths = model.widths();
            int full = widths.get(widths.size() - 1);
            List<Row> rows = new ArrayList<>();
            try (Upscaler bicubic = new BicubicUpscaler()) {
                rows.add(measure("bicubic", null, lr, hr, (img, w) -> bicubic.upscale(img, outW, outH), 0));
            }
            for (int w : widths) {
                rows.add(measure("asdn", w, lr, hr, (img, width) -> model.upscale(img, outW, outH, width),
                        macs(model, w)));
            }
            BatchBenchmark.Result batches = new BatchBenchmark(model, out).run(lr, outW, outH, full, options.batch(),
                    BATCH_ROUNDS);
            soak(model, lr, widths.get(0));
            double peak = KernelPeaks.matMul(2048, 5);
            double conv = KernelPeaks.conv3x3(outH, outW, full, 5);
            Row fullRow = rows.get(rows.size() - 1);
            out.printf(Locale.ROOT, "%n| method | width | fps | PSNR-Y dB | GFLOP/s | share of MatMul peak "
                    + "| share of 3x3 conv |%n|---|---|---|---|---|---|---|%n");
            for (Row r : rows) {
                boolean flops = r.gflops() > 0;
                out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %s | %s | %s |%n", r.method(),
                        r.width() == null ? "-" : r.width(), r.fps(), r.psnr(),
                        flops ? String.format(Locale.ROOT, "%.1f", r.gflops()) : "-",
                        flops ? String.format(Locale.ROOT, "%.2f", r.gflops() / peak) : "-",
                        flops ? String.format(Locale.ROOT, "%.2f", r.gflops() / conv) : "-");
            }
            out.printf(Locale.ROOT, "MatMul peak (2048^3, same process and threads): %.1f GFLOP/s; one 3x3 convolution "
                    + "%d -> %d channels at %dx%d: %.1f GFLOP/s (%.2f of the MatMul peak); model: %d multiply-adds "
                    + "per output pixel at full width%n", peak, full, full, outW, outH, conv, conv / peak,
                    macs(model, full));
            // what the CPU's convolution kernels reach by layer width: the ceiling any model of that width meets
            StringBuilder ladder = new StringBuilder();
            for (int c = 16; c <= 128; c *= 2) {
                double g = c == full ? conv : KernelPeaks.conv3x3(outH, outW, c, 3);
                ladder.append(String.format(Locale.ROOT, "%s%d: %.1f (%.2f)", c == 16 ? "" : ", ", c, g, g / peak));
            }
            out.printf(Locale.ROOT, "3x3 convolutions c -> c at %dx%d, GFLOP/s (share of the MatMul peak): %s%n", outW,
                    outH, ladder);

            double kafkaFps;
            double modelFps;
            List<ControlSample> control;
            try (EmbeddedKafka embedded = options.client().bootstrap() == null ? EmbeddedKafka.start() : null) {
                ClientConfig kafka = embedded == null ? options.client()
                        : options.client().withBootstrap(embedded.bootstrapServers());
                Topics topics = Topics.withPrefix("bench");
                try (Admin admin = Admin.create(kafka.admin())) {
                    TopicSetup.ensure(admin, topics, 1, MAX);
                }
                try (Worker worker = new Worker(Worker.Settings.defaults(kafka, topics, MAX)
                        .withApplicationId("bench"), model)) {
                    worker.start(Duration.ofSeconds(120));
                    // rounds alternate which goes first (A K, K A, A K, ...), so a machine that drifts by 10-25 %
                    // within minutes slows both sides alike; the model alone runs the very frames of the round
                    // (cycled to the same count), so both take as long. Rates combine as total frames over total time
                    int n = Math.max(lr.size(), options.kafkaFrames());
                    // one unmeasured round of each first: the worker thread's first inferences (kernel selection,
                    // allocator arenas), the broker's first transactions and the bulk of the Kafka code's JIT
                    // compilation land here (it goes on at a lower rate later; each round prints its share)
                    out.printf(Locale.ROOT, "%nwarm-up round (not counted):");
                    throughKafka(kafka, topics, lr, full, "bench-warmup");
                    aloneOn(model, lr, n, outW, outH, full);
                    List<Double> ratios = new ArrayList<>();
                    double kafkaSecondsPerFrame = 0;
                    double aloneSecondsPerFrame = 0;
                    for (int round = 0; round < options.kafkaRounds(); round++) {
                        double alone = 0;
                        if (round % 2 == 0) {
                            alone = aloneOn(model, lr, n, outW, outH, full);
                        }
                        double kafkaRound = throughKafka(kafka, topics, lr, full,
                                "bench-throughput-" + round);
                        if (round % 2 == 1) {
                            alone = aloneOn(model, lr, n, outW, outH, full);
                        }
                        ratios.add(kafkaRound / alone);
                        kafkaSecondsPerFrame += 1 / kafkaRound;
                        aloneSecondsPerFrame += 1 / alone;
                    }
                    kafkaFps = options.kafkaRounds() / kafkaSecondsPerFrame;
                    modelFps = options.kafkaRounds() / aloneSecondsPerFrame;
                    out.printf(Locale.ROOT, "%nthrough Kafka (ingest -> worker, exactly once -> read_committed), steady "
                            + "state: %.2f fps; model alone on the same %d frames %.2f fps; ratio %.2f (%d alternating "
                            + "rounds each; per round %s, median %.2f)%n", kafkaFps, n, modelFps, kafkaFps / modelFps,
                            options.kafkaRounds(), ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r))
                                    .collect(Collectors.joining(" ")), median(ratios));
                    control = underLoad(kafka, topics, lr, fullRow.fps());
                }
            }
            return new Report(peak, conv, macs(model, full), rows, kafkaFps, modelFps, control, batches);
        }
    }

    /** Only the model alone at batch 1 against {@link Options#batch()}, at full width. */
    public void batches() {
        List<RgbImage> hr = new ArrayList<>();
        List<RgbImage> lr = new ArrayList<>();
        loadFrames(hr, lr);
        out.println(oneDnnMode());
        try (AsdnUpscaler model = new AsdnUpscaler(options.model(), options.threads())) {
            List<Integer> widths = model.widths();
            new BatchBenchmark(model, out).run(lr, hr.get(0).width(), hr.get(0).height(),
                    widths.get(widths.size() - 1), options.batch(), BATCH_ROUNDS);
        }
    }

    /**
     * Resident memory while the model runs many frames: it must stay flat (every tensor closed). Small
     * crops at the narrowest width keep thousands of frames within minutes; a leaked tensor per frame
     * would still add megabytes per hundred frames. Each sample follows a full GC: without it the figure
     * mostly tracks fresh Java heap pages (eden is touched for the first time until the first collection),
     * which hides or fakes a native leak.
     */
    private void soak(AsdnUpscaler model, List<RgbImage> lr, int width) {
        int n = options.soakFrames();
        if (n <= 0) {
            return;
        }
        List<RgbImage> crops = lr.stream()
                .map(f -> Images.crop(f, 0, 0, Math.min(48, f.width()), Math.min(48, f.height()))).toList();
        int outW = (int) Math.round(crops.get(0).width() * options.scale());
        int outH = (int) Math.round(crops.get(0).height() * options.scale());
        out.printf(Locale.ROOT, "%nresident memory after a full GC over %d frames (%dx%d -> %dx%d, width %d), MB:", n,
                crops.get(0).width(), crops.get(0).height(), outW, outH, width);
        int every = Math.max(1, n / 10);
        long warm = -1;
        long last = -1;
        for (int i = 0; i < n; i++) {
            model.upscale(crops.get(i % crops.size()), outW, outH, width);
            if (i % every == 0 || i == n - 1) {
                System.gc();
                last = ResidentMemory.megabytes(ProcessHandle.current().pid());
                if (i <= every) {
                    warm = last; // allocator arenas and kernel caches settle over the first tenth
                }
                out.printf(Locale.ROOT, " %d", last);
            }
        }
        out.printf(Locale.ROOT, "%nafter frame %d: %d MB; after frame %d: %d MB (%+.1f MB per 1000 frames)%n",
                Math.min(every, n - 1), warm, n, last, (last - warm) * 1000.0 / Math.max(1, n - every));
    }

    /** Which convolution kernels TensorFlow uses: CPU-dependent which is faster, so every run says. */
    static String oneDnnMode() {
        String v = System.getenv("TF_ENABLE_ONEDNN_OPTS");
        boolean off = v != null && (v.trim().equals("0") || v.trim().equalsIgnoreCase("false"));
        return "TensorFlow oneDNN kernels: " + (off ? "off (TF_ENABLE_ONEDNN_OPTS=" + v + ")"
                : "on (TensorFlow's default; TF_ENABLE_ONEDNN_OPTS=0 selects the Eigen kernels)");
    }

    private interface Method {
        RgbImage apply(RgbImage lr, int width);
    }

    private Row measure(String name, Integer width, List<RgbImage> lr, List<RgbImage> hr, Method method,
                        long macsPerPixel) {
        int w = width == null ? 0 : width;
        method.apply(lr.get(0), w); // warm-up: graph optimisation and allocations
        double psnr = 0;
        long t0 = System.nanoTime();
        List<RgbImage> outputs = new ArrayList<>();
        for (RgbImage img : lr) {
            outputs.add(method.apply(img, w));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int shave = Protocol.shave(options.scale(), options.scale());
        for (int i = 0; i < outputs.size(); i++) {
            psnr += Quality.psnrY(outputs.get(i), hr.get(i), shave);
        }
        double fps = lr.size() / seconds;
        long pixels = (long) hr.get(0).width() * hr.get(0).height();
        double gflops = macsPerPixel > 0 ? 2.0 * macsPerPixel * pixels * fps / 1e9 : 0;
        out.printf(Locale.ROOT, "  %s%s: %.2f fps%n", name, width == null ? "" : " width " + width, fps);
        return new Row(name, width, fps, psnr / outputs.size(), gflops);
    }

    /** The model alone on {@code n} frames (the list cycled), back to back: the Kafka round's workload without Kafka. */
    private double aloneOn(AsdnUpscaler model, List<RgbImage> lr, int n, int outW, int outH, int width) {
        model.upscale(lr.get(0), outW, outH, width);
        long jit0 = jitMillis();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            model.upscale(lr.get(i % lr.size()), outW, outH, width);
        }
        double fps = n / ((System.nanoTime() - t0) / 1e9);
        out.printf(Locale.ROOT, "%nmodel alone on %d frames: %.2f fps (JIT compiling %d ms meanwhile)%n", n, fps,
                jitMillis() - jit0);
        return fps;
    }

    /**
     * Time the JVM's compiler threads have spent so far: they share the 2 cores with inference, and the Kafka
     * client, broker and Streams code keeps being compiled for minutes after start-up.
     */
    private static long jitMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /**
     * A backlog of {@code kafkaFrames} frames (the same frames, cycled) published at once. Returns the worker's
     * steady-state fps (from the per-frame metrics); prints the time to the first committed output and the
     * end-to-end rate from the first send to the last committed output alongside.
     */
    private double throughKafka(ClientConfig kafka, Topics topics, List<RgbImage> lr, int fullWidth, String stream) {
        StreamSpecs.publish(kafka, topics, stream, StreamSpec.ofScale(options.scale())
                .withPolicy(new StreamSpec.Policy(fullWidth, null, null, null)).toJson());
        int n = Math.max(lr.size(), options.kafkaFrames());
        try (KafkaConsumer<String, byte[]> consumer = BenchClients.tail(kafka, topics.upscaled());
             KafkaConsumer<String, byte[]> metrics = BenchClients.tail(kafka, topics.metrics());
             KafkaProducer<String, byte[]> producer = BenchClients.producer(kafka, 2, "none")) {
            long jit0 = jitMillis();
            long t0 = System.nanoTime();
            publish(producer, topics, stream, lr, n, 0);
            int firstBatch = awaitFrames(consumer, stream, 1, r -> true).size();
            double firstMs = (System.nanoTime() - t0) / 1e6;
            if (firstBatch < n) {
                awaitFrames(consumer, stream, n - firstBatch, r -> true);
            }
            double endToEndFps = n / ((System.nanoTime() - t0) / 1e9);
            double inferenceMs = 0;
            long firstDone = Long.MAX_VALUE;
            long lastDone = Long.MIN_VALUE;
            for (ConsumerRecord<String, byte[]> r : awaitFrames(metrics, stream, n, r -> true)) {
                FrameMetrics m = metrics(r);
                inferenceMs += m.inferenceMs() / n;
                firstDone = Math.min(firstDone, m.doneMillis());
                lastDone = Math.max(lastDone, m.doneMillis());
            }
            // steady state: the worker's rate between its first and last frame, so pipeline fill (first fetch,
            // first transaction) and drain (the last commit interval) are not charged to every frame
            double fps = (n - 1) / Math.max(1e-3, (lastDone - firstDone) / 1000.0);
            out.printf(Locale.ROOT, "%n%d frames through Kafka: first output after %.0f ms, %.2f fps end to end; "
                    + "steady state in the worker %.0f ms per frame (%.0f ms of it inference), %.2f fps (JIT compiling %d ms "
                    + "meanwhile)%n", n, firstMs, endToEndFps, 1000 / fps, inferenceMs, fps, jitMillis() - jit0);
            return fps;
        }
    }

    /** Offers frames at 1.5x the full-width capacity for one phase, then at 0.5x; reads back each frame's width and lag. */
    private List<ControlSample> underLoad(ClientConfig kafka, Topics topics, List<RgbImage> lr, double capacityFps)
            throws InterruptedException {
        String stream = "bench-overload";
        StreamSpecs.publish(kafka, topics, stream, StreamSpec.ofScale(options.scale()).toJson());
        double[] rates = {1.5 * capacityFps, 0.5 * capacityFps};
        Map<Long, Double> offered = new TreeMap<>();
        long index = 0;
        try (KafkaProducer<String, byte[]> producer = BenchClients.producer(kafka, 2, "none");
             KafkaConsumer<String, byte[]> metrics = BenchClients.tail(kafka, topics.metrics())) {
            producer.send(record(topics, stream, new FrameRecord.Start(info(lr.get(0)))));
            for (double rate : rates) {
                long phaseEnd = System.nanoTime() + options.phase().toNanos();
                long next = System.nanoTime();
                while (System.nanoTime() < phaseEnd) {
                    RgbImage img = lr.get((int) (index % lr.size()));
                    producer.send(record(topics, stream, new FrameRecord.Video(new VideoFrame(index,
                            Math.round(index * 1e6 / capacityFps), System.currentTimeMillis(), img))));
                    producer.flush();
                    offered.put(index++, rate);
                    next += (long) (1e9 / rate);
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
            }
            producer.send(record(topics, stream, new FrameRecord.End(index, Math.round(index * 1e6 / capacityFps),
                    false)));
            List<ControlSample> samples = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : awaitFrames(metrics, stream, index, x -> true)) {
                FrameMetrics m = metrics(r);
                samples.add(new ControlSample(m.frame(), offered.get(m.frame()), m.width() == null ? 0 : m.width(),
                        m.partitionLag(), m.inferenceMs(), m.widthReason()));
            }
            printControl(samples, capacityFps);
            return samples;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int m = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(m) : (sorted.get(m - 1) + sorted.get(m)) / 2;
    }

    private long macs(AsdnUpscaler model, int width) {
        return Math.round(model.config().macsPerOutputPixel(width, options.scale(), options.scale()));
    }

    private static FrameMetrics metrics(ConsumerRecord<String, byte[]> r) {
        try {
            return FrameMetrics.fromJson(r.value());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable metrics record", e);
        }
    }

    private void printControl(List<ControlSample> samples, double capacity) {
        out.printf(Locale.ROOT, "%ncontroller: full-width capacity %.2f fps; offered 1.5x for %d s, then 0.5x%n"
                + "| frame | offered fps | width | inference ms | lag (records) | reason |%n|---|---|---|---|---|---|%n",
                capacity, options.phase().toSeconds());
        int step = Math.max(1, samples.size() / 16);
        for (int i = 0; i < samples.size(); i++) {
            ControlSample s = samples.get(i);
            if (i % step == 0 || i == samples.size() - 1) {
                out.printf(Locale.ROOT, "| %d | %.2f | %d | %.0f | %d | %s |%n", s.frame(), s.offeredFps(), s.width(),
                        s.inferenceMs(), s.lag(), s.reason());
            }
        }
        long maxLag = samples.stream().mapToLong(ControlSample::lag).max().orElse(0);
        int minWidth = samples.stream().mapToInt(ControlSample::width).min().orElse(0);
        int lastWidth = samples.isEmpty() ? 0 : samples.get(samples.size() - 1).width();
        out.printf(Locale.ROOT, "max lag %d records; narrowest width %d; width at the end %d%n", maxLag, minWidth,
                lastWidth);
    }

    private void loadFrames(List<RgbImage> hr, List<RgbImage> lr) {
        try (VideoSource source = VideoSource.open(options.input().toString())) {
            for (MediaItem item = source.next(); item != null && hr.size() < options.frames(); item = source.next()) {
                if (item instanceof MediaItem.Video v) {
                    RgbImage cropped = Protocol.cropHr(v.frame().image(), options.scale(), options.scale());
                    hr.add(cropped);
                    lr.add(Protocol.degrade(cropped, options.scale(), options.scale()));
                }
            }
        }
        if (hr.isEmpty()) {
            throw new IllegalArgumentException("no frames in " + options.input());
        }
    }

    private static StreamInfo info(RgbImage frame) {
        return new StreamInfo(frame.width(), frame.height(), 10, -1, -1, 0, 0, "bench");
    }

    private void publish(KafkaProducer<String, byte[]> producer, Topics topics, String stream, List<RgbImage> lr,
                         int count, long firstIndex) {
        producer.send(record(topics, stream, new FrameRecord.Start(info(lr.get(0)))));
        for (int i = 0; i < count; i++) {
            producer.send(record(topics, stream, new FrameRecord.Video(new VideoFrame(firstIndex + i,
                    i * 100_000L, System.currentTimeMillis(), lr.get(i % lr.size())))));
        }
        producer.send(record(topics, stream, new FrameRecord.End(count, count * 100_000L, false)));
        producer.flush();
    }

    private static ProducerRecord<String, byte[]> record(Topics topics, String stream, FrameRecord r) {
        return new ProducerRecord<>(topics.frames(), stream, FrameCodec.encode(r));
    }

    /** Reads records of {@code stream} until {@code count} of them are video frames (or metrics). */
    private static List<ConsumerRecord<String, byte[]>> awaitFrames(KafkaConsumer<String, byte[]> consumer,
                                                                    String stream, long count,
                                                                    Predicate<ConsumerRecord<String, byte[]>> keep) {
        List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        boolean metrics = consumer.assignment().stream().anyMatch(p -> p.topic().endsWith(".metrics"));
        while (got.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("benchmark stalled: " + got.size() + " of " + count + " frames");
            }
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (stream.equals(r.key()) && keep.test(r)
                        && (metrics || FrameCodec.decode(r.value()) instanceof FrameRecord.Video)) {
                    got.add(r);
                }
            }
        }
        return got;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
