package dev.lapstream.core.quality;

import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.Resize;
import dev.lapstream.core.image.RgbImage;

/**
 * The evaluation protocol of the SR literature, generalised to non-integer and asymmetric scales:
 * the HR image is cropped (top-left kept) so that each side divided by its scale is an integer
 * (for s = p/q in lowest terms with q | 10^k, each side becomes a multiple of p; for integer s a
 * multiple of s, MATLAB's {@code modcrop}); the LR image is MATLAB-style antialiased bicubic of
 * the HR; PSNR/SSIM are measured on Y (BT.601) with {@code ceil(max scale)} pixels shaved.
 */
public final class Protocol {

    private Protocol() {
    }

    /** Smallest positive integer m such that m / scale is an integer (scale given to 1e-6). */
    public static int multipleFor(double scale) {
        if (!(scale >= 1.0)) {
            throw new IllegalArgumentException("scale must be >= 1, got " + scale);
        }
        long den = 1;
        while (den < 1_000_000 && Math.abs(scale * den - Math.rint(scale * den)) > 1e-6) {
            den *= 10;
        }
        long num = Math.round(scale * den);
        long g = gcd(num, den);
        return (int) (num / g);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** HR cropped for a (vertical, horizontal) scale pair. */
    public static RgbImage cropHr(RgbImage hr, double scaleH, double scaleW) {
        int mw = multipleFor(scaleW);
        int mh = multipleFor(scaleH);
        int w = hr.width() - hr.width() % mw;
        int h = hr.height() - hr.height() % mh;
        if (w == hr.width() && h == hr.height()) {
            return hr;
        }
        return Images.crop(hr, 0, 0, w, h);
    }

    /** LR of an already cropped HR: MATLAB antialiased bicubic to (W / scaleW) x (H / scaleH). */
    public static RgbImage degrade(RgbImage croppedHr, double scaleH, double scaleW) {
        int lw = (int) Math.round(croppedHr.width() / scaleW);
        int lh = (int) Math.round(croppedHr.height() / scaleH);
        return Resize.resize(croppedHr, lw, lh);
    }

    /**
     * The second degradation, for peers trained on it: plain cubic (OpenCV {@code INTER_CUBIC},
     * a = -0.75, no antialiasing) of an already cropped HR, to the same size as {@link #degrade}.
     */
    public static RgbImage degradePlainCubic(RgbImage croppedHr, double scaleH, double scaleW) {
        int lw = (int) Math.round(croppedHr.width() / scaleW);
        int lh = (int) Math.round(croppedHr.height() / scaleH);
        return Resize.opencvCubic(croppedHr, lw, lh);
    }

    /** Border shaved for a scale pair: ceil of the larger factor. */
    public static int shave(double scaleH, double scaleW) {
        return (int) Math.ceil(Math.max(scaleH, scaleW) - 1e-9);
    }
}
