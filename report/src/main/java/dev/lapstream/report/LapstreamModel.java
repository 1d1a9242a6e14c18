package dev.lapstream.report;

import dev.lapstream.core.image.RgbImage;
import dev.lapstream.model.AsdnUpscaler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The only place the report touches the model module's API (still moving): loads a SavedModel
 * directory and exposes its AnySR widths, an upscale per width and the cost per output pixel.
 */
final class LapstreamModel implements AutoCloseable {

    private final AsdnUpscaler upscaler;

    LapstreamModel(Path savedModelDir) {
        this.upscaler = new AsdnUpscaler(savedModelDir, 0);
    }

    /** Subnet widths (active base channels), narrowest first. */
    List<Integer> widths() {
        List<Integer> out = new ArrayList<>();
        for (int w : upscaler.config().widths()) {
            out.add(w);
        }
        return out;
    }

    RgbImage upscale(RgbImage lr, int outW, int outH, int width) {
        return upscaler.upscale(lr, outW, outH, width);
    }

    /** Multiply-adds per output pixel of the engine's passes at symmetric {@code scale}. */
    double macsPerPixel(int width, double scale) {
        return upscaler.config().macsPerOutputPixel(width, scale, scale);
    }

    String describe() {
        return upscaler.config().toString();
    }

    @Override
    public void close() {
        upscaler.close();
    }
}
