package dev.lapstream.trainer;

import dev.lapstream.model.AsdnUpscaler;
import dev.lapstream.model.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a model given as a SavedModel directory or a training checkpoint file. */
final class ModelLoader {
    private ModelLoader() {
    }

    static AsdnUpscaler open(Path model, int threads) throws IOException {
        if (Files.isDirectory(model)) {
            return new AsdnUpscaler(model, threads);
        }
        Checkpoint ck = Checkpoint.read(model);
        return new AsdnUpscaler(ck.config(), ck.weights(), threads);
    }
}
