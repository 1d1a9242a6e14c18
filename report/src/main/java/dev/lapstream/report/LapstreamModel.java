package dev.lapstream.report;

import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.TiledUpscaler;
import dev.lapstream.model.AsdnUpscaler;
import java.nio.file.Path;
import java.util.List;

/**
 * The only place the report touches the model module's API (still moving): loads a SavedModel
 * directory and exposes its AnySR widths, an upscale per width and the cost per output pixel.
 * Frames run in tiles, as the worker runs them ({@code lapstream worker --tile}'s default), so memory stays bounded.
 */
final class LapstreamModel implements AutoCloseable {

    /** Tile side and context in input pixels: the worker's defaults. */
    static final int TILE = 256;
    static final int TILE_MARGIN = 24;

    private final Path dir;
    private final AsdnUpscaler upscaler;
    private final TiledUpscaler tiled;

    LapstreamModel(Path savedModelDir) {
        this.dir = savedModelDir;
        this.upscaler = new AsdnUpscaler(savedModelDir, 0);
        this.tiled = new TiledUpscaler(upscaler, TILE, TILE_MARGIN);
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
        return tiled.upscale(lr, outW, outH, width);
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
