package dev.lapstream.cli.faults;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.StreamSpecs;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.sink.StreamSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The fault suite: one run of the real pipeline (an embedded broker, worker and sink processes, the ingest's
 * decoder and producer) that takes a series of faults mid-stream and then checks every output frame by frame
 * against an uninterrupted run of the same input on the same cluster.
 *
 * <p>The streams are held back and released a few frames per fault: a fault waits until everything before is
 * committed, lets its frames go, hits at its random moment among them, and lets one more frame go at once, so the
 * first frame committed after the fault shows when the pipeline recovered. A killed worker or sink is restarted
 * immediately, as an orchestrator would.
 */
final class FaultSuite {

    /**
     * @param frameInterval a live source's frame spacing during the faulted run; a fault lands within the
     *                      span of its window of frames
     * @param timeout       longest wait for any one step (a start, a recovery, the end of the streams)
     */
    record Options(int workers, int streams, int frames, int width, int height, int workerKills, long seed,
                   Duration frameInterval, Duration timeout) {

        Options {
            if (workers < 2) {
                throw new IllegalArgumentException("--workers must be at least 2 (a killed worker's streams move"
                        + " to a survivor), got " + workers);
            }
            if (streams < 1 || workerKills < 0) {
                throw new IllegalArgumentException("--streams must be positive and --kills not negative");
            }
            int faults = workerKills + 2;
            if (frames < 3 * faults) {
                throw new IllegalArgumentException("--frames must be at least " + 3 * faults + " for " + faults
                        + " faults (three frames per fault: two it lands among, one after it), got " + frames);
            }
            if (width < 16 || height < 16) {
                throw new IllegalArgumentException("--size must be at least 16x16, got " + width + "x" + height);
            }
        }

        /** CI size: 2 workers, 2 streams of 40 tiny frames, 10 worker kills. */
        static Options small(long seed) {
            return new Options(2, 2, 40, 64, 48, 10, seed, Duration.ofMillis(200), Duration.ofSeconds(120));
        }
    }

    private static final double SCALE = 2;
    private static final String PREFIX = "faults";
    private static final Topics TOPICS = Topics.withPrefix(PREFIX);
    private static final String GROUP = "faults-workers";
    private static final double FPS = 10;
    private static final int MAX = EmbeddedKafka.MAX_MESSAGE_BYTES;
    /** Lossless on both topics: the committed frames are compared by their exact pixels. */
    private static final String CODEC = "lossless";
    private static final String WORKER_RUNNING = "lapstream worker running";
    /** Seconds: short failure detection so ten kills fit in CI; the broker is told to allow them. */
    private static final int SESSION_TIMEOUT = 3;
    private static final int TRANSACTION_TIMEOUT = 3;
    private static final Map<String, String> BROKER_SETTINGS = Map.of(
            "group.min.session.timeout.ms", "1000",
            // a dead worker's transaction is aborted within half a second of its timeout, not ten
            "transaction.abort.timed.out.transaction.cleanup.interval.ms", "500");

    private final Path dir;
    private final Options options;
    private final Consumer<String> progress;
    private final KillSchedule schedule;
    private final List<ChildJvm> workers = new ArrayList<>();
    private final List<ChildJvm> sinks = new ArrayList<>();
    private final List<PacedIngest> ingests = new ArrayList<>();
    private final List<String> faultStreams;
    private final List<String> referenceStreams;
    private int generation;
    /** Frames the killed sink had written, what its replacement must catch up with. */
    private long sinkFramesAtKill;
    private EmbeddedKafka kafka;
    private CommittedFrames committed;
    private Admin admin;

    /**
     * @param dir      where the input, outputs, broker log and process logs go
     * @param progress receives one line per step, for a user watching a run of minutes
     */
    FaultSuite(Path dir, Options options, Consumer<String> progress) {
        this.dir = dir;
        this.options = options;
        this.progress = progress;
        this.schedule = KillSchedule.draw(options.seed(), options.workerKills(), options.workers(), options.streams());
        int partitions = partitions();
        this.faultStreams = onePerPartition("cam-", options.streams(), partitions);
        this.referenceStreams = onePerPartition("ref-", options.streams(), partitions);
    }

    /** Runs the whole suite; the report says what went wrong rather than throwing, once the cluster is up. */
    FaultReport run() {
        long t0 = System.nanoTime();
        List<FaultReport.FaultResult> results = new ArrayList<>();
        List<FaultReport.StreamResult> streams = new ArrayList<>();
        String failure = null;
        try {
            Path clip = SyntheticClip.write(subdir("input").resolve("clip.mp4"), options.width(), options.height(), FPS,
                    options.frames());
            startCluster();
            List<List<CommittedFrames.Frame>> referenceFrames = new ArrayList<>();
            List<List<FrameHashes.Decoded>> referenceFiles = new ArrayList<>();
            runReference(clip, referenceFrames, referenceFiles);
            try {
                runFaults(clip, results);
            } catch (FaultSuiteException e) {
                failure = e.getMessage();
            }
            if (failure == null) {
                try {
                    finishStreams();
                } catch (FaultSuiteException e) {
                    failure = e.getMessage();
                }
            }
            for (int s = 0; s < options.streams(); s++) {
                ChildJvm sink = sinks.get(s);
                streams.add(FrameVerifier.verify(faultStreams.get(s), options.frames(),
                        committed.frames(faultStreams.get(s)), referenceFrames.get(s), output(s),
                        referenceFiles.get(s), sink.alive() ? -1 : sink.exitValue()));
            }
        } finally {
            shutdown();
        }
        return new FaultReport(setup(), results, streams, Duration.ofNanos(System.nanoTime() - t0), failure);
    }

    private String setup() {
        return options.workers() + " workers, " + options.streams() + " streams x " + options.frames() + " frames "
                + options.width() + "x" + options.height() + " -> " + Math.round(options.width() * SCALE) + "x"
                + Math.round(options.height() * SCALE) + " (bicubic, " + CODEC + " frames), seed " + options.seed();
    }

    private void startCluster() {
        progress.accept("starting the broker and " + options.workers() + " workers");
        kafka = EmbeddedKafka.startKept(subdir("kafka"), BROKER_SETTINGS);
        admin = Admin.create(kafka.client().admin());
        TopicSetup.ensure(admin, TOPICS, partitions(), MAX);
        byte[] spec = StreamSpec.ofScale(SCALE).toJson();
        Stream.concat(faultStreams.stream(), referenceStreams.stream())
                .forEach(id -> StreamSpecs.publish(kafka.client(), TOPICS, id, spec));
        for (int w = 0; w < options.workers(); w++) {
            workers.add(startWorker(w));
        }
        awaitWorkers();
        Set<String> watched = new HashSet<>(faultStreams);
        watched.addAll(referenceStreams);
        committed = new CommittedFrames(kafka.client(), TOPICS, MAX, watched);
    }

    /** The same input through the same workers with nothing going wrong: what every faulted output must equal. */
    private void runReference(Path clip, List<List<CommittedFrames.Frame>> frames,
                              List<List<FrameHashes.Decoded>> files) {
        progress.accept("reference run (no faults)");
        List<PacedIngest> reference = new ArrayList<>();
        try {
            for (String id : referenceStreams) {
                PacedIngest ingest = ingest(id, clip, Duration.ZERO);
                reference.add(ingest);
                ingest.releaseAll();
            }
            await("the reference streams to be upscaled", () -> referenceStreams.stream().allMatch(committed::ended));
        } finally {
            reference.forEach(PacedIngest::close);
        }
        for (String id : referenceStreams) {
            List<CommittedFrames.Frame> got = committed.frames(id);
            if (got.size() != options.frames()) {
                throw new FaultSuiteException("the reference run of " + id + " committed " + got.size() + " of "
                        + options.frames() + " frames");
            }
            frames.add(got);
            Path out = subdir("reference").resolve(id + ".mp4");
            try (StreamSink sink = new StreamSink(kafka.client(), TOPICS, id, out, MAX)) {
                sink.fromNewestStart();
                StreamSink.Result r = sink.run(n -> { }, () -> true, options.timeout());
                if (!r.complete()) {
                    throw new FaultSuiteException("the reference sink of " + id + " wrote " + r.frames() + " of "
                            + r.expectedFrames() + " frames");
                }
            }
            files.add(FrameHashes.decode(out));
        }
    }

    private void runFaults(Path clip, List<FaultReport.FaultResult> results) {
        progress.accept("faulted run: " + schedule.faults().size() + " faults, seed " + schedule.seed()
                + "; process logs in " + subdir("logs"));
        for (int s = 0; s < options.streams(); s++) {
            sinks.add(startSink(s));
            ingests.add(ingest(faultStreams.get(s), clip, options.frameInterval()));
        }
        // per fault: a window of frames it lands in, and one more frame sent after it, so there is always a next
        // frame whose commit shows the recovery
        long window = options.frames() / schedule.faults().size() - 1;
        long released = 0;
        int number = 0;
        for (KillSchedule.Fault fault : schedule.faults()) {
            number++;
            long before = released;
            await("the previous frames to be committed and every worker to own a stream before fault " + number,
                    () -> workersRunning() && faultStreams.stream().allMatch(id -> committed.count(id) >= before)
                            && everyWorkerOwnsPartitions());
            if (fault.kind() == KillSchedule.Kind.SINK) {
                await("the sink of " + faultStreams.get(fault.target()) + " to write frames",
                        () -> SinkMetrics.framesWritten(sinks.get(fault.target())) > 0);
            }
            ingests.forEach(i -> i.release(window));
            released += window;
            await("fault " + number + "'s frames to flow", () -> ingests.stream().allMatch(i -> i.sent() > before));
            pause(options.frameInterval().multipliedBy(window).multipliedBy(Math.round(fault.moment() * 1000))
                    .dividedBy(1000));
            long[] sentAtFault = ingests.stream().mapToLong(PacedIngest::sent).toArray();
            long inFlight = 0;
            for (int s = 0; s < options.streams(); s++) {
                inFlight += Math.max(0, sentAtFault[s] - committed.count(faultStreams.get(s)));
            }
            long t = System.nanoTime();
            String target = inject(fault);
            ingests.forEach(i -> i.release(1));
            released++;
            FaultReport.FaultResult result;
            try {
                result = new FaultReport.FaultResult(number, fault.kind(), target, inFlight,
                        fault.kind() == KillSchedule.Kind.SINK ? sinkRecovery(fault.target(), t)
                                : pipelineRecovery(sentAtFault, t));
            } catch (FaultSuiteException e) {
                results.add(new FaultReport.FaultResult(number, fault.kind(), target, inFlight, null));
                throw e;
            }
            results.add(result);
            progress.accept(String.format(Locale.ROOT, "fault %d/%d: %s %s, %d frames in flight,"
                            + " recovered in %.1f s", number, schedule.faults().size(), fault.kind().label, target,
                    inFlight, result.recovery().toMillis() / 1000.0));
        }
    }

    /** Applies one fault; a killed process is replaced at once, as an orchestrator would. */
    private String inject(KillSchedule.Fault fault) {
        switch (fault.kind()) {
            case WORKER -> {
                ChildJvm victim = workers.get(fault.target());
                victim.kill();
                workers.set(fault.target(), startWorker(fault.target()));
                return victim.name();
            }
            case SINK -> {
                ChildJvm victim = sinks.get(fault.target());
                sinkFramesAtKill = SinkMetrics.framesWritten(victim);
                victim.kill();
                sinks.set(fault.target(), startSink(fault.target()));
                return "sink-" + faultStreams.get(fault.target());
            }
            case BROKER -> {
                kafka.restart();
                return "broker";
            }
            default -> throw new IllegalStateException("unknown fault " + fault.kind());
        }
    }

    /**
     * From the fault until every stream has committed a frame sent after it (one sent before could have been
     * committed before the fault and only seen after it).
     */
    private Duration pipelineRecovery(long[] sentAtFault, long faultNanos) {
        long last = faultNanos;
        for (int s = 0; s < options.streams(); s++) {
            String id = faultStreams.get(s);
            long first = sentAtFault[s];
            await("stream " + id + " to commit frames again after the fault",
                    () -> committed.frames(id).stream().anyMatch(f -> f.index() >= first));
            last = Math.max(last, committed.frames(id).stream().filter(f -> f.index() >= first).findFirst()
                    .orElseThrow().seenNanos());
        }
        return Duration.ofNanos(last - faultNanos);
    }

    /** From the kill until the restarted sink has written as many frames as the killed one had. */
    private Duration sinkRecovery(int stream, long faultNanos) {
        long want = Math.max(1, sinkFramesAtKill);
        await("the restarted sink of " + faultStreams.get(stream) + " to catch up",
                () -> SinkMetrics.framesWritten(sinks.get(stream)) >= want);
        return Duration.ofNanos(System.nanoTime() - faultNanos);
    }

    /** Lets the streams end and waits for every sink to write its file and exit. */
    private void finishStreams() {
        progress.accept("faults done; finishing the streams");
        ingests.forEach(PacedIngest::releaseAll);
        await("the faulted streams to end", () -> ingests.stream().allMatch(PacedIngest::finished)
                && faultStreams.stream().allMatch(committed::ended));
        await("the sinks to finish their files", () -> sinks.stream().noneMatch(ChildJvm::alive));
    }

    private ChildJvm startWorker(int slot) {
        String name = "worker-" + slot + "." + generation++;
        return ChildJvm.start(name, List.of("worker", "--bootstrap", kafka.bootstrapServers(),
                        "--topic-prefix", PREFIX, "--application-id", GROUP, "--partitions", "" + partitions(),
                        "--transaction-timeout", "" + TRANSACTION_TIMEOUT, "--session-timeout", "" + SESSION_TIMEOUT,
                        "--commit-interval", "100", "--upscaler", "bicubic", "--upscaled-codec", CODEC),
                subdir("logs").resolve(name + ".log"), subdir("tmp").resolve(name), List.of(WORKER_RUNNING));
    }

    private ChildJvm startSink(int stream) {
        String id = faultStreams.get(stream);
        String name = "sink-" + id + "." + generation++;
        return ChildJvm.start(name, List.of("sink", "--bootstrap", kafka.bootstrapServers(), "--topic-prefix", PREFIX,
                        "--stream", id, "-o", output(stream).toString(),
                        "--stall-timeout", "" + options.timeout().toSeconds()),
                subdir("logs").resolve(name + ".log"), subdir("tmp").resolve(name), List.of(SinkMetrics.MARKER));
    }

    private PacedIngest ingest(String stream, Path clip, Duration interval) {
        return new PacedIngest(kafka.client(), TOPICS, MAX, PixelCodec.parse(CODEC), stream, clip, interval);
    }

    /**
     * Whether each of the workers has frames partitions assigned, so a kill always hits a worker with work (a
     * replacement reports running before the rebalance that gives it any).
     */
    private boolean everyWorkerOwnsPartitions() {
        try {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all()
                    .get(5, TimeUnit.SECONDS).get(GROUP);
            return group.members().size() == options.workers() && group.members().stream().allMatch(m ->
                    m.assignment().topicPartitions().stream().anyMatch(p -> p.topic().equals(TOPICS.frames())));
        } catch (ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaultSuiteException("interrupted");
        }
    }

    private boolean workersRunning() {
        return workers.stream().allMatch(w -> w.line(WORKER_RUNNING).isPresent());
    }

    private void awaitWorkers() {
        await("the workers to start", this::workersRunning);
    }

    /** A condition wait that also fails as soon as a process or the ingest died on its own. */
    private void await(String what, BooleanSupplier condition) {
        Conditions.await(what, options.timeout(), () -> {
            workers.forEach(ChildJvm::checkNotDied);
            sinks.forEach(ChildJvm::checkNotDied);
            ingests.forEach(PacedIngest::finished);
            return condition.getAsBoolean();
        });
    }

    /** The fault's random moment: deliberately not a condition. */
    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FaultSuiteException("interrupted");
        }
    }

    private Path output(int stream) {
        return subdir("out").resolve(faultStreams.get(stream) + ".mp4");
    }

    private Path subdir(String name) {
        Path d = dir.resolve(name);
        try {
            return Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + d, e);
        }
    }

    /** One partition per worker at least, so every worker can own a stream. */
    private int partitions() {
        return Math.max(options.workers(), options.streams());
    }

    /** Ids {@code prefix + n} on distinct partitions, so the streams spread over the workers. */
    static List<String> onePerPartition(String prefix, int count, int partitions) {
        List<String> ids = new ArrayList<>();
        Set<Integer> taken = new HashSet<>();
        for (int n = 0; ids.size() < count; n++) {
            String id = prefix + n;
            if (taken.add(Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % partitions)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private void shutdown() {
        ingests.forEach(PacedIngest::close);
        sinks.forEach(ChildJvm::stop);
        workers.forEach(ChildJvm::stop);
        if (committed != null) {
            committed.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        deleteTree(dir.resolve("tmp"));
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
