package dev.lapstream.core.quality;

import dev.lapstream.core.image.ColorSpace;
import dev.lapstream.core.image.RgbImage;

/**
 * PSNR and SSIM on the BT.601 luma (16..235) with a border shave: the protocol of the SR
 * literature (MATLAB {@code rgb2ycbcr}, SSIM of Wang et al. with an 11x11 Gaussian, sigma 1.5,
 * K1 = 0.01, K2 = 0.03, L = 255, 'valid' filtering, mean of the SSIM map).
 */
public final class Quality {

    private Quality() {
    }

    /** PSNR in dB on BT.601 Y of {@code test} against {@code ref}, {@code shave} px dropped at each border. */
    public static double psnrY(RgbImage test, RgbImage ref, int shave) {
        return psnrY(test, ref, shave, false);
    }

    /**
     * PSNR on Y; {@code greyReference} selects the grey plane instead of BT.601 Y (see {@link #luma}):
     * pass true when the reference file is single-channel.
     */
    public static double psnrY(RgbImage test, RgbImage ref, int shave, boolean greyReference) {
        check(test, ref);
        return psnr(luma(test, greyReference), luma(ref, greyReference), ref.width(), ref.height(), shave);
    }

    /** SSIM on BT.601 Y of {@code test} against {@code ref}, {@code shave} px dropped at each border. */
    public static double ssimY(RgbImage test, RgbImage ref, int shave) {
        return ssimY(test, ref, shave, false);
    }

    public static double ssimY(RgbImage test, RgbImage ref, int shave, boolean greyReference) {
        check(test, ref);
        return ssim(luma(test, greyReference), luma(ref, greyReference), ref.width(), ref.height(), shave);
    }

    /**
     * The plane measured: BT.601 studio-range Y normally; for references stored as
     * single-channel files (e.g. Set14's bridge.png) the grey level itself, 0..255, as the MATLAB
     * scripts behind the published tables do for 2-D images (computed as full-range
     * .299R + .587G + .114B, which equals the grey level on grey pixels). This reproduces the
     * published Set14 bicubic rows; treating bridge as BT.601 Y would read 0.09 dB higher.
     */
    public static double[] luma(RgbImage img, boolean greyReference) {
        if (!greyReference) {
            return ColorSpace.yBt601(img);
        }
        byte[] p = img.pixels();
        double[] y = new double[img.width() * img.height()];
        for (int i = 0; i < y.length; i++) {
            y[i] = 0.299 * (p[i * 3] & 0xff) + 0.587 * (p[i * 3 + 1] & 0xff) + 0.114 * (p[i * 3 + 2] & 0xff);
        }
        return y;
    }

    /** PSNR (peak 255) of two planes after shaving. Identical planes give +infinity. */
    public static double psnr(double[] a, double[] b, int w, int h, int shave) {
        int x0 = shave, y0 = shave, x1 = w - shave, y1 = h - shave;
        if (x1 <= x0 || y1 <= y0) {
            throw new IllegalArgumentException("shave " + shave + " leaves nothing of " + w + "x" + h);
        }
        double se = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                double d = a[y * w + x] - b[y * w + x];
                se += d * d;
            }
        }
        double mse = se / ((double) (x1 - x0) * (y1 - y0));
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /** Standard SSIM of two planes (values 0..255) after shaving. */
    public static double ssim(double[] a, double[] b, int w, int h, int shave) {
        int cw = w - 2 * shave;
        int ch = h - 2 * shave;
        if (cw < 11 || ch < 11) {
            throw new IllegalArgumentException("image too small for SSIM after shave: " + cw + "x" + ch);
        }
        double[] x = new double[cw * ch];
        double[] y = new double[cw * ch];
        for (int r = 0; r < ch; r++) {
            for (int c = 0; c < cw; c++) {
                x[r * cw + c] = a[(r + shave) * w + c + shave];
                y[r * cw + c] = b[(r + shave) * w + c + shave];
            }
        }
        double[] g = gaussian(11, 1.5);
        double[] xx = new double[x.length];
        double[] yy = new double[x.length];
        double[] xy = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        int ow = cw - 10;
        int oh = ch - 10;
        double[] mx = filterValid(x, cw, ch, g);
        double[] my = filterValid(y, cw, ch, g);
        double[] sxx = filterValid(xx, cw, ch, g);
        double[] syy = filterValid(yy, cw, ch, g);
        double[] sxy = filterValid(xy, cw, ch, g);
        double c1 = Math.pow(0.01 * 255, 2);
        double c2 = Math.pow(0.03 * 255, 2);
        double sum = 0;
        for (int i = 0; i < ow * oh; i++) {
            double mux = mx[i], muy = my[i];
            double vx = sxx[i] - mux * mux;
            double vy = syy[i] - muy * muy;
            double cov = sxy[i] - mux * muy;
            sum += ((2 * mux * muy + c1) * (2 * cov + c2)) / ((mux * mux + muy * muy + c1) * (vx + vy + c2));
        }
        return sum / (ow * oh);
    }

    static double[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        double s = 0;
        int c = size / 2;
        for (int i = 0; i < size; i++) {
            g[i] = Math.exp(-((i - c) * (i - c)) / (2 * sigma * sigma));
            s += g[i];
        }
        for (int i = 0; i < size; i++) {
            g[i] /= s;
        }
        return g;
    }

    /** Separable 'valid' filtering with a symmetric 1-D kernel (the 2-D Gaussian is its outer product). */
    private static double[] filterValid(double[] in, int w, int h, double[] k) {
        int n = k.length;
        int ow = w - n + 1;
        int oh = h - n + 1;
        double[] tmp = new double[h * ow];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < ow; c++) {
                double s = 0;
                for (int t = 0; t < n; t++) {
                    s += k[t] * in[r * w + c + t];
                }
                tmp[r * ow + c] = s;
            }
        }
        double[] out = new double[oh * ow];
        for (int r = 0; r < oh; r++) {
            for (int c = 0; c < ow; c++) {
                double s = 0;
                for (int t = 0; t < n; t++) {
                    s += k[t] * tmp[(r + t) * ow + c];
                }
                out[r * ow + c] = s;
            }
        }
        return out;
    }

    private static void check(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new IllegalArgumentException("size mismatch: " + a.width() + "x" + a.height()
                    + " vs " + b.width() + "x" + b.height());
        }
    }
}
