package dev.lapstream.report;

import java.util.List;

/**
 * Mean PSNR/SSIM on Y of one method over a set at one scale pair and degradation, and the
 * per-image values the means come from.
 */
record Score(double psnr, double ssim, List<ImageScore> perImage) {

    record ImageScore(String image, double psnr, double ssim) {
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.rint(v * f) / f;
    }
}
