package dev.lapstream.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lapstream.model.AsdnConfig;
import dev.lapstream.model.AsdnTraining;
import dev.lapstream.model.Checkpoint;
import dev.lapstream.model.ModelFamily;
import dev.lapstream.model.RecursionPlanner;
import dev.lapstream.model.SrPass;
import dev.lapstream.model.TrainingScales;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The training loop: deterministic batches ({@link BatchSampler}) made on a Java thread while
 * TensorFlow runs, masked Adam steps ({@link AsdnTraining}), a learning-rate schedule, progress
 * (loss, steps/s) to stdout and {@code train.log}, periodic validation and resumable checkpoints
 * ({@code ckpt.bin}: weights, Adam moments, step, seed).
 */
public final class Trainer {

    /** Scales of two-pass batches: the standard benchmark scales above x2. */
    static final int[] TWO_PASS_SCALES = {3, 4};

    /** All settings of a run. */
    public static final class Options {
        public Path data;
        public Path val;
        public Path checkpointDir;
        public boolean resume = true;
        public long steps = Long.MAX_VALUE;
        public double minutes = Double.POSITIVE_INFINITY;
        public int batch = 16;
        public int patch = 48;
        /** {@link #patch} is the LR side (constant cost per step at low resolution) rather than the HR side. */
        public boolean lrPatch;
        public double lr = 1e-3;
        public String schedule = "step";
        public long decaySteps = 40_000;
        public double decayFactor = 0.5;
        public double lrMin = 1e-5;
        public long totalSteps = 200_000;
        public long seed = 1;
        public double checkpointMinutes = 5;
        /** Also keep every checkpoint as {@code snap/ckpt-<step>.bin} (for selection on val and averaging). */
        public boolean keepSnapshots;
        public double valMinutes = 15;
        public int logEvery = 50;
        public int threads = 0;
        public int valCrop = 240;
        public AsdnConfig config = AsdnConfig.defaults();
        public double pFull = 0.6;
        /** Probability of a two-pass batch (x3 or x4, {@link AsdnTraining#stepTwoPass}). */
        public double pTwoPass = 0;
        public double flatStd = 3.0;
    }

    private final Options o;
    private final Consumer<String> out;
    private volatile boolean stop;
    private final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);

    public Trainer(Options o, Consumer<String> out) {
        this.o = o;
        this.out = out;
    }

    /** Asks the loop to checkpoint and return (from a shutdown hook or another thread). */
    public void requestStop() {
        stop = true;
    }

    public static double learningRate(Options o, long step) {
        switch (o.schedule) {
            case "constant":
                return o.lr;
            case "cosine": {
                double t = Math.min(1.0, (double) step / o.totalSteps);
                return o.lrMin + 0.5 * (o.lr - o.lrMin) * (1 + Math.cos(Math.PI * t));
            }
            case "step":
            default:
                return Math.max(o.lrMin, o.lr * Math.pow(o.decayFactor, Math.floor((double) step / o.decaySteps)));
        }
    }

    public Path checkpointFile() {
        return o.checkpointDir.resolve("ckpt.bin");
    }

    private PrintWriter log;

    private void say(String s) {
        String line = Instant.now().toString().substring(0, 19) + " " + s;
        out.accept(line);
        if (log != null) {
            log.println(line);
            log.flush();
        }
    }

    /** Waits until {@link #run()} has returned (its final checkpoint written). */
    public boolean awaitFinished(long millis) throws InterruptedException {
        return finished.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Runs until the step or time budget is used or {@link #requestStop()}; returns the last step. */
    public long run() throws Exception {
        try {
            Files.createDirectories(o.checkpointDir);
            log = new PrintWriter(Files.newBufferedWriter(o.checkpointDir.resolve("train.log"),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
            try {
                return loop();
            } finally {
                log.close();
            }
        } finally {
            finished.countDown();
        }
    }

    private long loop() throws Exception {
        Checkpoint ck = null;
        if (o.resume && Files.exists(checkpointFile())) {
            ck = Checkpoint.read(checkpointFile());
            say("resuming from " + checkpointFile() + " at step " + ck.step() + " (seed " + ck.seed() + ")");
        }
        AsdnConfig cfg = ck != null ? ck.config() : o.config;
        long seed = ck != null ? ck.seed() : o.seed;
        long startStep = ck != null ? ck.step() : 0;
        double wallBefore = ck != null ? ck.wallSeconds() : 0;
        say(String.format(Locale.ROOT,
                "config %s params %d MACs/px full (x2) %.0f; data %s; batch %d patch %d; lr %s %.2e; p_full %.2f; "
                        + "two-pass %.2f",
                cfg.toJson(), cfg.parameters(), cfg.macsPerOutputPixel(cfg.channels(), 2, 2), o.data, o.batch, o.patch,
                o.schedule, o.lr, o.pFull, o.pTwoPass));
        long t0 = System.nanoTime();
        TrainingScales scales = cfg.implementation().trainingScales(cfg);
        TrainData data = TrainData.load(o.data, scales.tenths(), o.pTwoPass > 0 ? TWO_PASS_SCALES : new int[0],
                Math.max(1, Runtime.getRuntime().availableProcessors()));
        say(String.format(Locale.ROOT, "loaded %d images and LR images at %d scales in %.1f s", data.files.size(),
                data.levels.length, (System.nanoTime() - t0) / 1e9));
        Validator val = o.val != null && Files.isDirectory(o.val) ? new Validator(o.val, o.valCrop) : null;
        BatchSampler sampler = new BatchSampler(data, seed, o.batch, o.patch, o.lrPatch, cfg.widths(), cfg.channels(), o.pFull,
                scales.weights(), o.flatStd, o.pTwoPass);
        double maxStep = cfg.implementation().maxStepFactor();

        try (AsdnTraining tr = new AsdnTraining(cfg, o.threads, o.pTwoPass > 0)) {
            if (ck != null) {
                tr.setState(ck.weights(), ck.m(), ck.v());
            } else {
                tr.initialize(seed);
            }
            BlockingQueue<BatchSampler.Batch> q = new ArrayBlockingQueue<>(3);
            final long first = startStep + 1;
            Thread producer = new Thread(() -> {
                try {
                    for (long s = first; !Thread.currentThread().isInterrupted(); s++) {
                        q.put(sampler.make(s));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "patch-producer");
            producer.setDaemon(true);
            producer.setPriority(Thread.NORM_PRIORITY - 1);
            producer.start();

            long step = startStep;
            long runStart = System.nanoTime();
            long lastCkpt = runStart;
            long lastValAt = runStart;
            long winStart = runStart;
            long winSteps = 0;
            double winLoss = 0;
            Validation lastVal = null;
            try {
                while (!stop && step - startStep < o.steps
                        && (System.nanoTime() - runStart) / 60e9 < o.minutes) {
                    BatchSampler.Batch b = q.poll(60, TimeUnit.SECONDS);
                    if (b == null) {
                        throw new IllegalStateException("patch producer stalled");
                    }
                    long t = b.step;
                    double lr = learningRate(o, t);
                    float loss = step(tr, b, maxStep, lr, t);
                    if (!Float.isFinite(loss)) {
                        throw new IllegalStateException("loss is " + loss + " at step " + t);
                    }
                    step = t;
                    winSteps++;
                    winLoss += loss;
                    if (step % o.logEvery == 0) {
                        double dt = (System.nanoTime() - winStart) / 1e9;
                        say(String.format(Locale.ROOT, "step %d loss %.5f lr %.2e %.2f steps/s (last: x%.1f w%d)",
                                step, winLoss / winSteps, lr, winSteps / dt, b.scale, b.width));
                        winStart = System.nanoTime();
                        winSteps = 0;
                        winLoss = 0;
                    }
                    if ((System.nanoTime() - lastCkpt) / 60e9 >= o.checkpointMinutes) {
                        if (val != null && (System.nanoTime() - lastValAt) / 60e9 >= o.valMinutes) {
                            lastVal = validate(tr, val, cfg, step);
                            lastValAt = System.nanoTime();
                        }
                        save(tr, cfg, seed, step, wallBefore + (System.nanoTime() - runStart) / 1e9, lastVal);
                        lastCkpt = System.nanoTime();
                    }
                }
            } finally {
                producer.interrupt();
                if (step > startStep) {
                    save(tr, cfg, seed, step, wallBefore + (System.nanoTime() - runStart) / 1e9, lastVal);
                }
            }
            return step;
        }
    }

    private static float step(AsdnTraining tr, BatchSampler.Batch b, double maxStep, double lr, long t) {
        List<RecursionPlanner.Step> p = b.passes(maxStep);
        switch (p.size()) {
            case 1:
                return tr.step(b.lr, b.hr, b.n, b.lrSize, b.lrSize, b.hrSize, b.hrSize, b.scale, b.scale, b.width, lr,
                        t);
            case 2:
                return tr.stepTwoPass(b.lr, b.hr, b.n, b.lrSize, b.lrSize, p.get(0).outHeight(), p.get(0).outWidth(),
                        b.hrSize, b.hrSize, p.get(0).scaleH(), p.get(1).scaleH(), b.width, lr, t);
            default:
                throw new IllegalStateException("x" + b.scale + " needs " + p.size() + " passes; training runs 1 or 2");
        }
    }

    /** Validation PSNR at a step (x2 at full and the narrowest width, x1.5, x4), kept in the checkpoint. */
    record Validation(long step, double x2, int narrowWidth, double x2Narrow, @JsonProperty("x1.5") double x15,
                      double x4) {
    }

    /** The run's settings as stored in each checkpoint (and in an exported model's training.json). */
    record Settings(int batch, int patch, boolean lrPatch, double lr, String schedule, long decaySteps,
                    double decayFactor, double pFull, double pTwoPass, String data, Validation lastVal) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private Validation validate(AsdnTraining tr, Validator val, AsdnConfig cfg, long step) {
        long t0 = System.nanoTime();
        SrPass pass = (x, h, w, oh, ow, sh, sw, wd) -> {
            float[] r = tr.infer(x, 1, h, w, oh, ow, sh, sw, wd);
            for (int i = 0; i < r.length; i++) {
                r[i] = Math.min(1f, Math.max(0f, r[i]));
            }
            return r;
        };
        int narrow = cfg.widths()[0];
        ModelFamily family = cfg.implementation();
        double x2 = val.psnr(pass, family, 2, cfg.channels());
        double x2n = val.psnr(pass, family, 2, narrow);
        double x4 = val.psnr(pass, family, 4, cfg.channels());
        double x15 = val.psnr(pass, family, 1.5, cfg.channels());
        say(String.format(Locale.ROOT, "val step %d: PSNR x2 %.3f (w%d %.3f) x1.5 %.3f x4 %.3f dB (%.1f s)", step,
                x2, narrow, x2n, x15, x4, (System.nanoTime() - t0) / 1e9));
        return new Validation(step, x2, narrow, x2n, x15, x4);
    }

    private void save(AsdnTraining tr, AsdnConfig cfg, long seed, long step, double wall, Validation lastVal) {
        try {
            Map<String, float[]>[] st = tr.getState();
            String trainer = JSON.writeValueAsString(new Settings(o.batch, o.patch, o.lrPatch, o.lr, o.schedule,
                    o.decaySteps, o.decayFactor, o.pFull, o.pTwoPass, o.data.toString().replace('\\', '/'), lastVal));
            new Checkpoint(cfg, step, seed, wall, trainer, st[0], st[1], st[2]).write(checkpointFile());
            if (o.keepSnapshots) {
                Path snap = o.checkpointDir.resolve("snap").resolve("ckpt-" + step + ".bin");
                Files.createDirectories(snap.getParent());
                Files.copy(checkpointFile(), snap, StandardCopyOption.REPLACE_EXISTING);
            }
            say(String.format(Locale.ROOT, "checkpoint step %d (%.0f s of training) -> %s", step, wall,
                    checkpointFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
