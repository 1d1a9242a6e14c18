package dev.lapstream.trainer;

import dev.lapstream.model.AsdnConfig;
import dev.lapstream.model.ModelFamily;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lapstream train}: trains (or resumes) the ASDN/AnySR model on a folder of images. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the ASDN + AnySR model on a folder of images (resumable).")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "A training run file (config/train/*.yaml: a "
            + "'train' section keyed by these options' names); flags on the command line win over it. Every run "
            + "writes its effective settings to <checkpoint-dir>/train.yaml in the same form.")
    Path config;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Folder of training images (PNG/JPEG).")
    Path data;

    @Option(names = "--val", description = "Folder of validation images (never the benchmark sets).")
    Path val;

    @Option(names = "--checkpoint-dir", defaultValue = "checkpoints/asdn",
            description = "Where ckpt.bin and train.log live (default: ${DEFAULT-VALUE}).")
    Path checkpointDir;

    @Option(names = "--resume", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Continue from <checkpoint-dir>/ckpt.bin if present (default: ${DEFAULT-VALUE}).")
    boolean resume;

    @Option(names = "--steps", description = "Stop after this many steps in this run.")
    Long steps;

    @Option(names = "--minutes", description = "Stop after this many minutes in this run.")
    Double minutes;

    @Option(names = "--batch", defaultValue = "16") int batch;

    @Option(names = "--patch", defaultValue = "48", description = "HR patch side (px, approx.).") int patch;

    @Option(names = "--lr-patch", description = "LR patch side instead (px, approx.): a constant cost per step "
            + "for networks that run at low resolution.")
    Integer lrPatch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Initial learning rate.") double lr;

    @Option(names = "--lr-schedule", defaultValue = "step", description = "step | cosine | constant.")
    String schedule;

    @Option(names = "--lr-decay-steps", defaultValue = "40000") long decaySteps;

    @Option(names = "--lr-decay-factor", defaultValue = "0.5") double decayFactor;

    @Option(names = "--lr-min", defaultValue = "1e-5") double lrMin;

    @Option(names = "--total-steps", defaultValue = "200000", description = "Horizon of the cosine schedule.")
    long totalSteps;

    @Option(names = "--seed", defaultValue = "1") long seed;

    @Option(names = "--p-full", defaultValue = "0.6",
            description = "AnySR Algorithm 1: probability of resetting the drawn subnet to the full width "
                    + "(default: ${DEFAULT-VALUE}, the paper's).")
    double pFull;

    @Option(names = "--two-pass", defaultValue = "0",
            description = "Probability of a two-pass batch: x3 or x4 through the engine's two recursive passes, "
                    + "trained end to end so the second pass sees the first pass's output (default: ${DEFAULT-VALUE}).")
    double pTwoPass;

    @Option(names = "--keep-checkpoints",
            description = "Also keep every checkpoint as <checkpoint-dir>/snap/ckpt-<step>.bin "
                    + "(to pick one on val or `lapstream average` them).")
    boolean keepSnapshots;

    @Option(names = "--checkpoint-minutes", defaultValue = "5") double checkpointMinutes;

    @Option(names = "--val-minutes", defaultValue = "15",
            description = "Validate (at a checkpoint) at most this often (default: ${DEFAULT-VALUE}).")
    double valMinutes;

    @Option(names = "--log-every", defaultValue = "50") int logEvery;

    @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op threads (0 = default).")
    int threads;

    // architecture defaults come from AsdnConfig.defaults()
    @Option(names = "--family", description = "Network family: asdn-lr (FMB at low resolution), asdn "
            + "(pre-upsampling), meta-sr (FMB at low resolution, Meta-Upscale to any scale in one pass) or arbsr "
            + "(FMB at low resolution with scale-aware adaption, scale-aware upsampler); meta-sr and arbsr train on "
            + "x1.1 ... x4.0 (default: ${DEFAULT-VALUE}).")
    String family = AsdnConfig.defaults().family();
    @Option(names = "--up-channels", description = "Channels carried at the output size: the upsampled features "
            + "(asdn-lr) or the hidden units of the MLP on geometry and scale (meta-sr, arbsr; their config/train "
            + "files: 64) "
            + "(default: ${DEFAULT-VALUE}).")
    int upChannels = AsdnConfig.defaults().upChannels();
    @Option(names = "--channels", description = "Base width C (default: ${DEFAULT-VALUE}).")
    int channels = AsdnConfig.defaults().channels();
    @Option(names = "--growth", description = "Growth of the dense layers (default: ${DEFAULT-VALUE}).")
    int growth = AsdnConfig.defaults().growth();
    @Option(names = "--blocks", description = "Dense attention blocks (default: ${DEFAULT-VALUE}).")
    int blocks = AsdnConfig.defaults().blocks();
    @Option(names = "--layers", description = "Dense layers per block (default: ${DEFAULT-VALUE}).")
    int layers = AsdnConfig.defaults().layers();
    @Option(names = "--widths", split = ",",
            description = "AnySR subnet widths (active base channels), last = --channels (default: ${DEFAULT-VALUE}).")
    int[] widths = AsdnConfig.defaults().widths();

    @Override
    public Integer call() throws Exception {
        Trainer.Options o = new Trainer.Options();
        o.data = data;
        o.val = val;
        o.checkpointDir = checkpointDir;
        o.resume = resume;
        if (steps != null) {
            o.steps = steps;
        }
        if (minutes != null) {
            o.minutes = minutes;
        }
        o.batch = batch;
        o.patch = patch;
        o.lrPatch = lrPatch != null;
        if (lrPatch != null) {
            o.patch = lrPatch;
        }
        o.lr = lr;
        o.schedule = schedule;
        o.decaySteps = decaySteps;
        o.decayFactor = decayFactor;
        o.lrMin = lrMin;
        o.totalSteps = totalSteps;
        o.seed = seed;
        o.pFull = pFull;
        o.pTwoPass = pTwoPass;
        o.checkpointMinutes = checkpointMinutes;
        o.keepSnapshots = keepSnapshots;
        o.valMinutes = valMinutes;
        o.logEvery = logEvery;
        o.threads = threads;
        AsdnConfig d = AsdnConfig.defaults();
        o.config = new AsdnConfig(family, channels, growth, blocks, layers, d.caHidden(), d.lambda(), d.saHidden(),
                d.levels(), ModelFamily.of(family).upsamplesFeatures() ? upChannels : 0, widths);
        TrainRunFile.write(spec, checkpointDir.resolve("train.yaml"));
        Trainer t = new Trainer(o, System.out::println);
        // on SIGTERM/SIGINT: stop after the current step and write the checkpoint before exiting
        Thread hook = new Thread(() -> {
            t.requestStop();
            try {
                t.awaitFinished(120_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "train-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        t.run();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
        return 0;
    }
}
