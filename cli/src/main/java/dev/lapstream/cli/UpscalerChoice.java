package dev.lapstream.cli;

import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.model.AsdnUpscaler;
import dev.lapstream.model.ShippedModel;

import java.nio.file.Files;
import java.nio.file.Path;

/** The upscalers a worker can run. */
enum UpscalerChoice {
    /** The ASDN network with AnySR subnets, from a SavedModel directory (default: the shipped model). */
    asdn,
    /** MATLAB-style bicubic interpolation: no model, the quality baseline. */
    bicubic;

    /** The shipped model, relative to the checkout the launcher runs from. */
    static Path defaultModel() {
        return ShippedModel.directory();
    }

    Upscaler create(Path model, int threads, double gpuMemoryFraction) {
        if (this == bicubic) {
            return new BicubicUpscaler();
        }
        Path dir = model != null ? model : defaultModel();
        if (!Files.isDirectory(dir)) {
            throw new ErrorHandler.UserError("no ASDN model at " + dir + " (give --model DIR, or --upscaler bicubic)",
                    null);
        }
        return new AsdnUpscaler(dir, threads, gpuMemoryFraction);
    }
}
