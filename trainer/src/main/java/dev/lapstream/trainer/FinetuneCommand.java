package dev.lapstream.trainer;

import dev.lapstream.model.Fsdn;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lapstream finetune}: an any-scale model fine-tuned into the fixed-scale FSDN of one scale, exported. */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune an any-scale (asdn-lr) model into the fixed-scale FSDN of one scale (2, 3, 4 or 8) "
                + "on that scale's samples only, and export it (resumable).")
public final class FinetuneCommand implements Callable<Integer> {

    @Option(names = "--model", required = true,
            description = "The any-scale model: a model directory with ckpt.bin (e.g. models/asdn-lr) or a .bin file.")
    Path model;

    @Option(names = "--scale", required = true, description = "The fixed scale: 2, 3, 4 or 8.")
    int scale;

    @Option(names = "--data", required = true, description = "Folder of training images (PNG/JPEG).")
    Path data;

    @Option(names = "--out", required = true, description = "Model directory to (over)write: SavedModel + ckpt.bin.")
    Path out;

    @Option(names = "--checkpoint-dir",
            description = "Where the run's ckpt.bin and train.log live; an existing run there resumes "
                    + "(default: checkpoints/fsdn-x<scale>).")
    Path checkpointDir;

    @Option(names = "--steps", description = "Stop after this many steps in this run.")
    Long steps;

    @Option(names = "--minutes", description = "Stop after this many minutes in this run.")
    Double minutes;

    @Option(names = "--lr", defaultValue = "1e-4",
            description = "Learning rate, constant (default: ${DEFAULT-VALUE}, the paper's for FSDN).")
    double lr;

    @Option(names = "--batch", defaultValue = "16") int batch;

    @Option(names = "--lr-patch", defaultValue = "24",
            description = "LR patch side (px): HR patches are scale times larger (default: ${DEFAULT-VALUE}).")
    int lrPatch;

    @Option(names = "--p-full", defaultValue = "0.6",
            description = "AnySR: probability of the full width, so every subnet keeps training "
                    + "(default: ${DEFAULT-VALUE}).")
    double pFull;

    @Option(names = "--seed", defaultValue = "1") long seed;

    @Option(names = "--checkpoint-minutes", defaultValue = "5") double checkpointMinutes;

    @Option(names = "--log-every", defaultValue = "50") int logEvery;

    @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op threads (0 = default).")
    int threads;

    @Override
    public Integer call() throws Exception {
        Fsdn family = Fsdn.of(scale);
        Trainer.Options o = new Trainer.Options();
        o.data = data;
        o.checkpointDir = checkpointDir != null ? checkpointDir : Path.of("checkpoints", family.name());
        if (steps != null) {
            o.steps = steps;
        }
        if (minutes != null) {
            o.minutes = minutes;
        }
        o.lr = lr;
        o.schedule = "constant";
        o.batch = batch;
        o.patch = lrPatch;
        o.lrPatch = true;
        o.pFull = pFull;
        o.seed = seed;
        o.checkpointMinutes = checkpointMinutes;
        o.logEvery = logEvery;
        o.threads = threads;
        FsdnFinetune.run(o, family, model, out, System.out::println);
        return 0;
    }
}
