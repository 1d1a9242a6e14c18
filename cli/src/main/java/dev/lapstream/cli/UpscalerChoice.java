package dev.lapstream.cli;

import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.Upscaler;

/** The upscalers a worker can run. */
enum UpscalerChoice {
    bicubic;

    Upscaler create() {
        return new BicubicUpscaler();
    }
}
