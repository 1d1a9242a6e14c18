package dev.lapstream.core.image;

/** Colour conversions used by evaluation and peers. */
public final class ColorSpace {

    private ColorSpace() {
    }

    /**
     * BT.601 studio-range luma (MATLAB {@code rgb2ycbcr}, Y in 16..235) from RGB in 0..255:
     * {@code Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255}. Not rounded.
     */
    public static double[] yBt601(RgbImage img) {
        byte[] p = img.pixels();
        int n = img.width() * img.height();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = lumaBt601(p[i * 3] & 0xff, p[i * 3 + 1] & 0xff, p[i * 3 + 2] & 0xff);
        }
        return y;
    }

    public static double lumaBt601(double r, double g, double b) {
        return 16.0 + (65.481 * r + 128.553 * g + 24.966 * b) / 255.0;
    }

    /** Full-range luma Y = .299R + .587G + .114B in [0,1] (the OpenCV peers' input). */
    public static float[] yFullRange01(RgbImage img) {
        byte[] p = img.pixels();
        int n = img.width() * img.height();
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (0.299f * (p[i * 3] & 0xff) + 0.587f * (p[i * 3 + 1] & 0xff) + 0.114f * (p[i * 3 + 2] & 0xff)) / 255f;
        }
        return y;
    }
}
