package dev.lapstream.report;

import dev.lapstream.core.image.RgbImage;

/**
 * One upscaling method under test.
 *
 * @param name       unique row name ({@code bicubic}, {@code asdn-lr-w32}, {@code ESPCN_x2})
 * @param kind       what it is; decides which tables and plots it enters
 * @param group      the model label of a lapstream width, the family of a peer, else the name
 * @param width      AnySR subnet width of a lapstream row, 0 otherwise
 * @param fixedScale 0 for any (asymmetric) scale; else the only integer factor it serves (the peers)
 * @param fn         the upscale itself
 * @param cost       multiply-adds per output pixel at a scale pair, NaN when not counted
 */
record Method(String name, Kind kind, String group, int width, int fixedScale, Fn fn, Cost cost) {

    enum Kind { BASELINE, LAPSTREAM, PEER }

    @FunctionalInterface
    interface Fn {
        RgbImage upscale(RgbImage lr, int outW, int outH);
    }

    @FunctionalInterface
    interface Cost {
        double macsPerOutputPixel(double scaleH, double scaleW);
    }

    static Method baseline(String name, Fn fn) {
        return new Method(name, Kind.BASELINE, name, 0, 0, fn, (sh, sw) -> Double.NaN);
    }

    /** Whether it runs at the symmetric integer factor {@code scale}. */
    boolean serves(int scale) {
        return fixedScale == 0 || fixedScale == scale;
    }

    RgbImage upscale(RgbImage lr, int outW, int outH) {
        return fn.upscale(lr, outW, outH);
    }
}
