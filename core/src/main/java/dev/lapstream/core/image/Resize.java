package dev.lapstream.core.image;

import java.util.stream.IntStream;

/**
 * MATLAB-compatible bicubic {@code imresize}: Keys cubic kernel with a = -0.5, antialiasing
 * (kernel stretched by 1/scale) when downscaling, symmetric (mirrored) borders, separable, and
 * independent factors per axis. As in MATLAB, the axis with the smaller scale factor is resized
 * first (the vertical axis on ties) and the intermediate is kept in floating point.
 *
 * <p>Weights and source indices are precomputed per axis, so an upscale reads 4 taps per output
 * sample; large images are processed in parallel row bands.
 */
public final class Resize {

    private static final double KERNEL_WIDTH = 4.0;
    /** Below this many output samples a pass runs on the calling thread. */
    private static final long PARALLEL_THRESHOLD = 1L << 18;

    private Resize() {
    }

    /** Keys cubic convolution kernel, a = -0.5 (MATLAB's {@code cubic}). */
    static double cubic(double x) {
        double ax = Math.abs(x);
        double ax2 = ax * ax;
        double ax3 = ax2 * ax;
        if (ax <= 1) {
            return 1.5 * ax3 - 2.5 * ax2 + 1;
        } else if (ax <= 2) {
            return -0.5 * ax3 + 2.5 * ax2 - 4 * ax + 2;
        }
        return 0;
    }

    /**
     * Kernels of the MATLAB-style resampler (antialiased when downscaling, mirrored borders).
     * {@link #CUBIC} is the default everywhere (the protocol's); {@link #LANCZOS3} is a baseline.
     * OpenCV's non-antialiased cubic is {@link #opencvCubic}.
     */
    public enum Kernel {
        /** Keys cubic, a = -0.5, support 4: MATLAB {@code imresize} 'bicubic'. */
        CUBIC(KERNEL_WIDTH),
        /** Lanczos, a = 3, support 6: MATLAB {@code imresize} 'lanczos3'. */
        LANCZOS3(6.0);

        final double width;

        Kernel(double width) {
            this.width = width;
        }

        double weight(double x) {
            return this == CUBIC ? cubic(x) : lanczos3(x);
        }
    }

    /** Lanczos-3: sinc(x) sinc(x / 3) on |x| < 3 (MATLAB's formula, with the x = 0 limit). */
    static double lanczos3(double x) {
        double ax = Math.abs(x);
        if (ax < 1e-12) {
            return 1;
        }
        if (ax >= 3) {
            return 0;
        }
        double px = Math.PI * x;
        return 3 * Math.sin(px) * Math.sin(px / 3) / (px * px);
    }

    /** Per-axis contributions: for output i, taps {@code idx[i*taps + t]} with weights {@code w[i*taps + t]}. */
    static final class Axis {
        final int inLen;
        final int outLen;
        final int taps;
        final int[] idx;
        final float[] w;

        Axis(int inLen, int outLen, int taps, int[] idx, float[] w) {
            this.inLen = inLen;
            this.outLen = outLen;
            this.taps = taps;
            this.idx = idx;
            this.w = w;
        }

        boolean identity() {
            if (inLen != outLen) {
                return false;
            }
            for (int i = 0; i < outLen; i++) {
                for (int t = 0; t < taps; t++) {
                    float wt = w[i * taps + t];
                    if (wt != 0f && (idx[i * taps + t] != i || wt != 1f)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /**
     * Builds the contributions of one axis as MATLAB's {@code contributions()} does, with scale
     * = outLen / inLen.
     */
    static Axis axis(int inLen, int outLen, double scale, boolean antialias) {
        return axis(inLen, outLen, scale, antialias, Kernel.CUBIC);
    }

    /** As {@link #axis(int, int, double, boolean)} with another kernel (and its border rule). */
    static Axis axis(int inLen, int outLen, double scale, boolean antialias, Kernel kernel) {
        if (inLen <= 0 || outLen <= 0) {
            throw new IllegalArgumentException("lengths must be positive: " + inLen + " -> " + outLen);
        }
        boolean aa = antialias && scale < 1;
        double kw = aa ? kernel.width / scale : kernel.width;
        int p = (int) Math.ceil(kw) + 2;
        double[] wd = new double[outLen * p];
        int[] ind = new int[outLen * p];
        for (int i = 0; i < outLen; i++) {
            double u = (i + 1) / scale + 0.5 * (1 - 1 / scale);
            int left = (int) Math.floor(u - kw / 2);
            double sum = 0;
            for (int j = 0; j < p; j++) {
                int index = left + j; // 1-based as in MATLAB
                double d = u - index;
                double wt = aa ? scale * kernel.weight(scale * d) : kernel.weight(d);
                wd[i * p + j] = wt;
                sum += wt;
                ind[i * p + j] = mirror(index - 1, inLen);
            }
            if (sum != 0) {
                for (int j = 0; j < p; j++) {
                    wd[i * p + j] /= sum;
                }
            }
        }
        // drop columns whose weight is zero for every output (as MATLAB does)
        boolean[] keep = new boolean[p];
        int taps = 0;
        for (int j = 0; j < p; j++) {
            for (int i = 0; i < outLen; i++) {
                if (wd[i * p + j] != 0) {
                    keep[j] = true;
                    break;
                }
            }
            if (keep[j]) {
                taps++;
            }
        }
        int[] idx = new int[outLen * taps];
        float[] w = new float[outLen * taps];
        for (int i = 0; i < outLen; i++) {
            int t = 0;
            for (int j = 0; j < p; j++) {
                if (keep[j]) {
                    idx[i * taps + t] = ind[i * p + j];
                    w[i * taps + t] = (float) wd[i * p + j];
                    t++;
                }
            }
        }
        return new Axis(inLen, outLen, taps, idx, w);
    }

    /** Symmetric padding index (0-based): ... 1 0 | 0 1 2 ... n-1 | n-1 n-2 ... */
    static int mirror(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    /**
     * Resizes one float plane (row-major, {@code width x height}) to {@code outWidth x outHeight}
     * with MATLAB bicubic, antialiased when downscaling.
     */
    public static float[] imresize(float[] plane, int width, int height, int outWidth, int outHeight) {
        return resizeInterleaved(plane, width, height, 1, outWidth, outHeight, true);
    }

    /**
     * Resizes {@code channels} interleaved float planes (e.g. RGB, row-major, channel fastest).
     */
    public static float[] resizeInterleaved(float[] data, int width, int height, int channels,
                                            int outWidth, int outHeight, boolean antialias) {
        return resize(data, width, height, channels, outWidth, outHeight,
                (double) outWidth / width, (double) outHeight / height, antialias);
    }

    static float[] resize(float[] data, int width, int height, int channels, int outWidth, int outHeight,
                          double scaleW, double scaleH, boolean antialias) {
        return resize(data, width, height, channels, outWidth, outHeight, scaleW, scaleH, antialias, Kernel.CUBIC);
    }

    static float[] resize(float[] data, int width, int height, int channels, int outWidth, int outHeight,
                          double scaleW, double scaleH, boolean antialias, Kernel kernel) {
        if ((long) width * height * channels != data.length) {
            throw new IllegalArgumentException("expected " + (long) width * height * channels
                    + " samples, got " + data.length);
        }
        Axis ax = axis(width, outWidth, scaleW, antialias, kernel);
        Axis ay = axis(height, outHeight, scaleH, antialias, kernel);
        boolean doX = !ax.identity();
        boolean doY = !ay.identity();
        if (!doX && !doY) {
            return data.clone();
        }
        if (!doX) {
            return vertical(data, width * channels, ay);
        }
        if (!doY) {
            return horizontal(data, height, channels, ax);
        }
        if (scaleH <= scaleW) {
            float[] tmp = vertical(data, width * channels, ay);
            return horizontal(tmp, outHeight, channels, ax);
        } else {
            float[] tmp = horizontal(data, height, channels, ax);
            return vertical(tmp, outWidth * channels, ay);
        }
    }

    private static float[] vertical(float[] in, int rowLen, Axis ay) {
        float[] out = new float[ay.outLen * rowLen];
        int taps = ay.taps;
        IntStream rows = IntStream.range(0, ay.outLen);
        if ((long) ay.outLen * rowLen >= PARALLEL_THRESHOLD) {
            rows = rows.parallel();
        }
        rows.forEach(o -> {
            int ob = o * rowLen;
            for (int t = 0; t < taps; t++) {
                float wt = ay.w[o * taps + t];
                if (wt == 0f) {
                    continue;
                }
                int ib = ay.idx[o * taps + t] * rowLen;
                for (int k = 0; k < rowLen; k++) {
                    out[ob + k] += wt * in[ib + k];
                }
            }
        });
        return out;
    }

    private static float[] horizontal(float[] in, int rowsCount, int channels, Axis ax) {
        int inRow = ax.inLen * channels;
        int outRow = ax.outLen * channels;
        float[] out = new float[rowsCount * outRow];
        int taps = ax.taps;
        IntStream rows = IntStream.range(0, rowsCount);
        if ((long) rowsCount * outRow >= PARALLEL_THRESHOLD) {
            rows = rows.parallel();
        }
        if (channels == 3) {
            rows.forEach(y -> {
                int ib = y * inRow;
                int ob = y * outRow;
                for (int o = 0; o < ax.outLen; o++) {
                    float r = 0, g = 0, b = 0;
                    for (int t = 0; t < taps; t++) {
                        float wt = ax.w[o * taps + t];
                        int s = ib + ax.idx[o * taps + t] * 3;
                        r += wt * in[s];
                        g += wt * in[s + 1];
                        b += wt * in[s + 2];
                    }
                    out[ob + o * 3] = r;
                    out[ob + o * 3 + 1] = g;
                    out[ob + o * 3 + 2] = b;
                }
            });
        } else {
            rows.forEach(y -> {
                int ib = y * inRow;
                int ob = y * outRow;
                for (int o = 0; o < ax.outLen; o++) {
                    for (int c = 0; c < channels; c++) {
                        float acc = 0;
                        for (int t = 0; t < taps; t++) {
                            acc += ax.w[o * taps + t] * in[ib + ax.idx[o * taps + t] * channels + c];
                        }
                        out[ob + o * channels + c] = acc;
                    }
                }
            });
        }
        return out;
    }

    /**
     * OpenCV's {@code INTER_CUBIC}: Keys kernel with a = -0.75, 4 taps, no antialiasing even when
     * downscaling, half-pixel centres, replicated borders. The "plain cubic" degradation the
     * OpenCV dnn_superres peers were trained on.
     */
    public static float[] opencvCubic(float[] data, int width, int height, int channels, int outWidth, int outHeight) {
        Axis ax = cubicAxis(width, outWidth, -0.75);
        Axis ay = cubicAxis(height, outHeight, -0.75);
        float[] tmp = horizontal(data, height, channels, ax);
        return vertical(tmp, outWidth * channels, ay);
    }

    /** RGB version of {@link #opencvCubic}, rounded and clamped. */
    public static RgbImage opencvCubic(RgbImage in, int outW, int outH) {
        float[] r = opencvCubic(Images.toFloat(in, 1f), in.width(), in.height(), 3, outW, outH);
        return Images.fromFloat(r, outW, outH, 1f);
    }

    private static Axis cubicAxis(int inLen, int outLen, double a) {
        double scale = (double) inLen / outLen;
        int[] idx = new int[outLen * 4];
        float[] w = new float[outLen * 4];
        for (int i = 0; i < outLen; i++) {
            double src = (i + 0.5) * scale - 0.5;
            int x0 = (int) Math.floor(src);
            double f = src - x0;
            for (int t = 0; t < 4; t++) {
                double d = Math.abs(f - (t - 1));
                double k;
                if (d <= 1) {
                    k = ((a + 2) * d - (a + 3)) * d * d + 1;
                } else if (d < 2) {
                    k = ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
                } else {
                    k = 0;
                }
                idx[i * 4 + t] = Math.min(inLen - 1, Math.max(0, x0 - 1 + t));
                w[i * 4 + t] = (float) k;
            }
        }
        return new Axis(inLen, outLen, 4, idx, w);
    }

    /**
     * Resizes an RGB image with MATLAB bicubic (antialiased when downscaling); each channel is
     * rounded and clamped to 0..255 like MATLAB's uint8 output.
     */
    public static RgbImage resize(RgbImage in, int outW, int outH) {
        float[] f = Images.toFloat(in, 1f);
        float[] r = resizeInterleaved(f, in.width(), in.height(), 3, outW, outH, true);
        return Images.fromFloat(r, outW, outH, 1f);
    }

    /**
     * Resizes an RGB image as MATLAB's {@code imresize} with {@code kernel} (antialiased when
     * downscaling), rounded and clamped to 0..255. {@code resize(in, w, h, Kernel.CUBIC)} equals
     * {@code resize(in, w, h)}.
     */
    public static RgbImage resize(RgbImage in, int outW, int outH, Kernel kernel) {
        float[] f = Images.toFloat(in, 1f);
        float[] r = resize(f, in.width(), in.height(), 3, outW, outH,
                (double) outW / in.width(), (double) outH / in.height(), true, kernel);
        return Images.fromFloat(r, outW, outH, 1f);
    }
}
