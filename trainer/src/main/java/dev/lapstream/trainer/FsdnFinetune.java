package dev.lapstream.trainer;

import dev.lapstream.model.AsdnConfig;
import dev.lapstream.model.Checkpoint;
import dev.lapstream.model.Fsdn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;

/**
 * Fine-tunes an any-scale {@code asdn-lr} model into the fixed-scale FSDN of one scale: seeds a training checkpoint
 * from the model ({@link Fsdn#fromAnyScale}), trains it with the {@link Trainer} on that scale's samples only (the
 * family's training scales), resumable from the checkpoint directory, and exports the SavedModel and
 * {@code ckpt.bin}.
 */
final class FsdnFinetune {

    static final String CHECKPOINT = "ckpt.bin";

    private FsdnFinetune() {
    }

    /** The any-scale model's checkpoint: a model directory holding {@code ckpt.bin}, or a checkpoint file. */
    static Checkpoint source(Path model) throws IOException {
        Path file = Files.isDirectory(model) ? model.resolve(CHECKPOINT) : model;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no checkpoint at " + file + " (--model takes a model directory "
                    + "with " + CHECKPOINT + " or a .bin file)");
        }
        return Checkpoint.read(file);
    }

    /**
     * Writes the step-0 checkpoint of {@code family} from {@code model} into the run's directory, unless the
     * directory already holds a run of that family (which then resumes); a run of another family is refused.
     */
    static void prepare(Trainer.Options o, Fsdn family, Path model, Consumer<String> out) throws IOException {
        Path file = o.checkpointDir.resolve(CHECKPOINT);
        if (Files.exists(file)) {
            AsdnConfig there = Checkpoint.read(file).config();
            if (!there.family().equals(family.name())) {
                throw new IllegalArgumentException(o.checkpointDir + " holds a " + there.family() + " run, not "
                        + family.name() + " (choose another --checkpoint-dir)");
            }
            return;
        }
        Checkpoint src = source(model);
        AsdnConfig cfg = family.config(src.config());
        new Checkpoint(cfg, 0, o.seed, 0, null, family.fromAnyScale(src.config(), src.weights()), null, null)
                .write(file);
        out.accept("initialised " + family.name() + " from " + model + " (step " + src.step() + ") -> " + file);
    }

    /** Prepares, trains for the options' budget, exports to {@code dir}; returns the last step. */
    static long run(Trainer.Options o, Fsdn family, Path model, Path dir, Consumer<String> out) throws Exception {
        prepare(o, family, model, out);
        o.resume = true;
        long step = new Trainer(o, out).run();
        Checkpoint ck = Checkpoint.read(o.checkpointDir.resolve(CHECKPOINT));
        ExportCommand.export(ck, dir);
        Files.copy(o.checkpointDir.resolve(CHECKPOINT), dir.resolve(CHECKPOINT), StandardCopyOption.REPLACE_EXISTING);
        out.accept("exported " + family.name() + " at step " + ck.step() + " to " + dir);
        return step;
    }
}
