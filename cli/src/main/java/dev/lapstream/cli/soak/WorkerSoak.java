package dev.lapstream.cli.soak;

import dev.lapstream.bench.DurationConverter;
import dev.lapstream.bench.ResidentMemory;
import dev.lapstream.bench.SoakRunner;
import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.StreamSpecs;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.cli.faults.ChildJvm;
import dev.lapstream.cli.faults.MetricsEndpoint;
import dev.lapstream.core.Topics;
import dev.lapstream.core.spec.StreamSpec;
import org.apache.kafka.clients.admin.Admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * {@code lapstream bench --soak}: a {@code lapstream worker} process with the launcher's default heap serves
 * looping live streams on an embedded broker for the given time, while its resident set ({@code /proc}) and
 * Java heap in use (its {@code /metrics}) are sampled; a table of the samples, then their slope.
 */
public final class WorkerSoak implements SoakRunner {

    /** The launcher's default JVM options for {@code lapstream worker}; {@code WorkerHeapDefaultTest} keeps both equal. */
    public static final String WORKER_HEAP = "-Xmx2g";
    private static final String PREFIX = "soak";
    private static final Topics TOPICS = Topics.withPrefix(PREFIX);
    private static final int PARTITIONS = 4;
    private static final int MAX = EmbeddedKafka.MAX_MESSAGE_BYTES;
    private static final String RUNNING = "lapstream worker running";
    /** Longest wait for the worker to start or to upscale its next frame (a first ASDN frame at a width builds its graph). */
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    /** Old records go, so a soak of hours does not fill the disk (a partition keeps 64 MB). */
    private static final Map<String, String> RETENTION = Map.of(
            "log.retention.bytes", String.valueOf(64 << 20),
            "log.segment.bytes", String.valueOf(16 << 20),
            "log.retention.check.interval.ms", "10000");

    @Override
    public void run(Options options, PrintStream out) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("lapstream-soak-");
        boolean passed = false;
        try {
            soak(options, dir, out);
            passed = true;
        } finally {
            if (passed) {
                deleteTree(dir);
            } else {
                System.err.println("soak: broker and worker logs kept in " + dir);
            }
        }
    }

    private void soak(Options options, Path dir, PrintStream out) throws InterruptedException {
        LoopedClip clip = LoopedClip.decode(options.clip());
        List<String> ids = IntStream.range(0, options.streams()).mapToObj(i -> "soak-" + i).toList();
        try (EmbeddedKafka kafka = EmbeddedKafka.startKept(dir.resolve("kafka"), RETENTION)) {
            try (Admin admin = Admin.create(kafka.client().admin())) {
                TopicSetup.ensure(admin, TOPICS, PARTITIONS, MAX);
            }
            byte[] spec = StreamSpec.ofScale(options.scale()).toJson();
            ids.forEach(id -> StreamSpecs.publish(kafka.client(), TOPICS, id, spec));
            ChildJvm worker = ChildJvm.start("worker", List.of(WORKER_HEAP), workerArgs(options, kafka),
                    dir.resolve("worker.log"), dir.resolve("tmp"), List.of(RUNNING, MetricsEndpoint.MARKER));
            try (LoopingStreams streams = new LoopingStreams(kafka.client(), TOPICS, MAX, ids, clip)) {
                awaitRunning(worker);
                out.printf(Locale.ROOT, "soak: %d streams of %s looped (%dx%d at %.0f fps, x%s, %s upscaler), one"
                                + " worker (pid %d, %s), for %s, sampled every %s%n", ids.size(), options.clip(),
                        clip.info().width(), clip.info().height(), clip.info().frameRate(), fmt(options.scale()),
                        options.upscaler(), worker.pid(), WORKER_HEAP, DurationConverter.format(options.duration()),
                        DurationConverter.format(options.interval()));
                out.println("| elapsed | frames upscaled | fps | worker RSS MB | least heap used MB | heap committed MB |");
                out.println("|---|---|---|---|---|---|");
                streams.start();
                MemoryTrend trend = sample(options, worker, streams, out);
                printSlopes(trend, out);
            } finally {
                worker.stop();
            }
        }
    }

    private static List<String> workerArgs(Options options, EmbeddedKafka kafka) {
        List<String> args = new ArrayList<>(List.of("worker", "--bootstrap", kafka.bootstrapServers(),
                "--topic-prefix", PREFIX, "--application-id", "soak-worker", "--partitions", "" + PARTITIONS,
                "--upscaler", options.upscaler().name(), "--threads", "" + options.threads()));
        if (options.model() != null) {
            args.addAll(List.of("--model", options.model().toString()));
        }
        return args;
    }

    private static void awaitRunning(ChildJvm worker) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (worker.line(RUNNING).isEmpty()) {
            checkAlive(worker);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the soak's worker did not start within " + PATIENCE.toSeconds()
                        + " s; its log: " + worker.log());
            }
            Thread.sleep(100);
        }
    }

    /**
     * One sample per interval on a fixed clock, so the slope's time axis is the real one. The heap figure is the
     * least heap in use seen over the interval (scraped every second): its level after collections, where a leak
     * shows, rather than wherever the young generation happened to be at the tick.
     */
    private static MemoryTrend sample(Options options, ChildJvm worker, LoopingStreams streams, PrintStream out)
            throws InterruptedException {
        MemoryTrend trend = new MemoryTrend();
        long t0 = System.nanoTime();
        long lastProgress = t0;
        long lastFrames = 0;
        for (long k = 0; ; k++) {
            Duration elapsed = options.interval().multipliedBy(k);
            if (elapsed.compareTo(options.duration()) > 0) {
                return trend;
            }
            double heap = Double.MAX_VALUE;
            String page;
            long tick = t0 + elapsed.toNanos();
            while (true) {
                checkAlive(worker);
                page = MetricsEndpoint.scrape(worker).orElseThrow(() -> new IllegalStateException(
                        "the soak's worker does not answer on its metrics endpoint; its log: " + worker.log()));
                heap = Math.min(heap, MetricsEndpoint.sum(page, "jvm_memory_used_bytes", "area=\"heap\"") / (1 << 20));
                long wait = tick - System.nanoTime();
                if (wait <= 0) {
                    break;
                }
                Thread.sleep(Math.min(1000, wait / 1_000_000 + 1));
            }
            long frames = streams.upscaled();
            long now = System.nanoTime();
            if (frames > lastFrames) {
                lastProgress = now;
            } else if (now - lastProgress > PATIENCE.toNanos()) {
                throw new IllegalStateException("the soak's worker upscaled nothing for " + PATIENCE.toSeconds()
                        + " s; its log: " + worker.log());
            }
            MemoryTrend.Sample s = new MemoryTrend.Sample(elapsed, frames, ResidentMemory.megabytes(worker.pid()), heap);
            double committed = MetricsEndpoint.sum(page, "jvm_memory_committed_bytes", "area=\"heap\"") / (1 << 20);
            double fps = k == 0 ? 0 : (frames - lastFrames) / (double) options.interval().toMillis() * 1000;
            out.printf(Locale.ROOT, "| %s | %d | %.1f | %.0f | %.0f | %.0f |%n", DurationConverter.format(elapsed),
                    frames, fps, s.residentMb(), s.heapMb(), committed);
            trend.add(s);
            lastFrames = frames;
        }
    }

    private static void printSlopes(MemoryTrend trend, PrintStream out) {
        List<MemoryTrend.Sample> later = trend.laterHalf();
        MemoryTrend.Sample from = later.get(0);
        MemoryTrend.Sample to = later.get(later.size() - 1);
        out.printf(Locale.ROOT, "slope over the later half (%s to %s, %d samples, least squares): worker RSS %+.2f"
                        + " MB/min, least heap used %+.2f MB/min; RSS %.0f -> %.0f MB, max %.0f MB; %d frames in all%n",
                DurationConverter.format(from.elapsed()), DurationConverter.format(to.elapsed()), later.size(),
                trend.residentSlope(), trend.heapSlope(), from.residentMb(), to.residentMb(),
                later.stream().mapToDouble(MemoryTrend.Sample::residentMb).max().orElseThrow(), to.frames());
    }

    private static void checkAlive(ChildJvm worker) {
        if (!worker.alive()) {
            throw new IllegalStateException("the soak's worker exited with " + worker.exitValue() + "; its last"
                    + " output:\n" + worker.tail());
        }
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
