package dev.lapstream.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Which upscaler a worker runs and how. */
final class ModelOptions {

    @Option(names = "--upscaler", defaultValue = "asdn",
            description = "Upscaler: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    UpscalerChoice upscaler;

    @Option(names = "--model", paramLabel = "DIR",
            description = "ASDN SavedModel directory (default: models/asdn of this checkout).")
    Path model;

    @Option(names = "--threads", defaultValue = "0",
            description = "TensorFlow intra-op threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    dev.lapstream.core.image.Upscaler create() {
        return upscaler.create(model, threads);
    }
}
