package dev.lapstream.report;

import dev.lapstream.core.image.RgbImage;

/**
 * One upscaling method under test. {@code fixedScale} 0 means any (asymmetric) scale; otherwise
 * the method only runs at exactly that integer factor (the peers).
 */
record Method(String name, String family, int fixedScale, Fn fn) {

    @FunctionalInterface
    interface Fn {
        RgbImage upscale(RgbImage lr, int outW, int outH);
    }

    boolean supports(double sh, double sw) {
        return fixedScale == 0 || (Math.abs(sh - fixedScale) < 1e-9 && Math.abs(sw - fixedScale) < 1e-9);
    }

    RgbImage upscale(RgbImage lr, int outW, int outH) {
        return fn.upscale(lr, outW, outH);
    }
}
