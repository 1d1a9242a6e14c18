package dev.lapstream.report;

import dev.lapstream.core.image.RgbImage;
import dev.lapstream.model.AsdnUpscaler;
import java.nio.file.Path;
import java.util.List;

/**
 * The only place the report touches the model module's API (still moving): loads a SavedModel
 * directory and exposes its AnySR widths, an upscale per width and the cost per output pixel.
 */
final class LapstreamModel implements AutoCloseable {

    private final Path dir;
    private final AsdnUpscaler upscaler;

    LapstreamModel(Path savedModelDir) {
        this.dir = savedModelDir;
        this.upscaler = new AsdnUpscaler(savedModelDir, 0);
    }

    /** The folder name ({@code models/asdn-lr} -> {@code asdn-lr}): what the rows are called after. */
    String label() {
        return label(dir);
    }

    static String label(Path dir) {
        return dir.toAbsolutePath().normalize().getFileName().toString();
    }

    Path dir() {
        return dir;
    }

    /** Subnet widths (active base channels), narrowest first; the last is the full width. */
    List<Integer> widths() {
        return upscaler.widths();
    }

    /** The width's rows are called {@code <label>-w<width>}. */
    String methodName(int width) {
        return label() + "-w" + width;
    }

    RgbImage upscale(RgbImage lr, int outW, int outH, int width) {
        return upscaler.upscale(lr, outW, outH, width);
    }

    /** Multiply-adds per output pixel of the engine's passes at the scale pair (the LR family's falls with it). */
    double macsPerOutputPixel(int width, double scaleH, double scaleW) {
        return upscaler.config().macsPerOutputPixel(width, scaleH, scaleW);
    }

    /** The architecture as the model's asdn.json spells it. */
    String configJson() {
        return upscaler.config().toJson();
    }

    @Override
    public void close() {
        upscaler.close();
    }
}
