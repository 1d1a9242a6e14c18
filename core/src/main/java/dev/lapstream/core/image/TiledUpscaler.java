package dev.lapstream.core.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Upscales large frames tile by tile so memory stays bounded by the tile size, not the frame size. Each
 * tile is cut from the input with a margin wide enough to cover the network's receptive field, upscaled
 * alone, and only its centre is kept. Tile edges are placed where the input-to-output mapping lands on
 * whole output pixels (x0 * scale an integer), so every tile samples the same grid as the whole frame and
 * the stitched result matches a whole-frame pass. When an axis has no such positions (a scale like
 * 325/191), that axis is not split.
 */
public final class TiledUpscaler implements Upscaler {

    private final Upscaler inner;
    private final int tile;
    private final int margin;

    /**
     * @param tile   largest tile side in input pixels, margins excluded
     * @param margin input pixels of context added on each side of a tile
     */
    public TiledUpscaler(Upscaler inner, int tile, int margin) {
        if (tile < 16 || margin < 0) {
            throw new IllegalArgumentException("tile must be at least 16 and margin non-negative");
        }
        this.inner = inner;
        this.tile = tile;
        this.margin = margin;
    }

    @Override
    public RgbImage upscale(RgbImage input, int outWidth, int outHeight) {
        return upscaleAll(List.of(input), outWidth, outHeight, 0).get(0);
    }

    @Override
    public RgbImage upscale(RgbImage input, int outWidth, int outHeight, int width) {
        return upscaleAll(List.of(input), outWidth, outHeight, width).get(0);
    }

    /** Frames of one size share their tile grid: the tiles at one place in every frame run as one batch. */
    @Override
    public List<RgbImage> upscaleAll(List<RgbImage> inputs, int outWidth, int outHeight, int width) {
        Images.requireOneSize(inputs);
        RgbImage first = inputs.get(0);
        int inW = first.width();
        int inH = first.height();
        int[] xs = cuts(inW, outWidth);
        int[] ys = cuts(inH, outHeight);
        if (xs.length == 2 && ys.length == 2) {
            return inner.upscaleAll(inputs, outWidth, outHeight, width);
        }
        List<byte[]> outs = new ArrayList<>();
        inputs.forEach(in -> outs.add(new byte[outWidth * outHeight * 3]));
        for (int ty = 0; ty + 1 < ys.length; ty++) {
            for (int tx = 0; tx + 1 < xs.length; tx++) {
                int x0 = Math.max(0, xs[tx] - margin);
                int x1 = Math.min(inW, xs[tx + 1] + margin);
                int y0 = Math.max(0, ys[ty] - margin);
                int y1 = Math.min(inH, ys[ty + 1] + margin);
                // margins are cut at aligned positions too, so the tile's own grid matches the frame's
                x0 = alignDown(x0, inW, outWidth);
                y0 = alignDown(y0, inH, outHeight);
                x1 = alignUp(x1, inW, outWidth);
                y1 = alignUp(y1, inH, outHeight);
                List<RgbImage> pieces = new ArrayList<>();
                for (RgbImage in : inputs) {
                    pieces.add(Images.crop(in, x0, y0, x1 - x0, y1 - y0));
                }
                List<RgbImage> ups = inner.upscaleAll(pieces, out(x1, inW, outWidth) - out(x0, inW, outWidth),
                        out(y1, inH, outHeight) - out(y0, inH, outHeight), width);
                int ox0 = out(xs[tx], inW, outWidth);
                int ox1 = out(xs[tx + 1], inW, outWidth);
                int oy0 = out(ys[ty], inH, outHeight);
                int oy1 = out(ys[ty + 1], inH, outHeight);
                int offX = ox0 - out(x0, inW, outWidth);
                int offY = oy0 - out(y0, inH, outHeight);
                for (int i = 0; i < inputs.size(); i++) {
                    RgbImage up = ups.get(i);
                    for (int y = oy0; y < oy1; y++) {
                        System.arraycopy(up.pixels(), ((y - oy0 + offY) * up.width() + offX) * 3, outs.get(i),
                                (y * outWidth + ox0) * 3, (ox1 - ox0) * 3);
                    }
                }
            }
        }
        return outs.stream().map(px -> new RgbImage(outWidth, outHeight, px)).toList();
    }

    /** Output coordinate of input coordinate x on an axis of n input and m output pixels (exact at aligned x). */
    private static int out(int x, int n, int m) {
        return (int) ((long) x * m / n);
    }

    /** Smallest step q such that x * m / n is whole for every multiple x of q. */
    private static int step(int n, int m) {
        return n / gcd(n, m);
    }

    private static int alignDown(int x, int n, int m) {
        int q = step(n, m);
        return x / q * q;
    }

    private static int alignUp(int x, int n, int m) {
        int q = step(n, m);
        return Math.min(n, (x + q - 1) / q * q);
    }

    /** Tile boundaries on one axis: 0, aligned positions about {@code tile} apart, n. */
    private int[] cuts(int n, int m) {
        int q = step(n, m);
        if (n <= tile || q > tile / 2) {
            return new int[]{0, n};
        }
        int count = (n + tile - 1) / tile;
        int[] cuts = new int[count + 1];
        for (int i = 1; i < count; i++) {
            cuts[i] = alignDown((int) ((long) n * i / count), n, m);
        }
        cuts[count] = n;
        return cuts;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    @Override
    public List<Integer> widths() {
        return inner.widths();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void close() {
        inner.close();
    }
}
