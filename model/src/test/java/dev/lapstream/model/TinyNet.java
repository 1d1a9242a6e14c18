package dev.lapstream.model;

/** A tiny architecture for fast tests. */
final class TinyNet {
    private TinyNet() {
    }

    static AsdnConfig config() {
        return config("asdn");
    }

    /** The tiny net of a family; what it carries at the output size (upChannels) is as wide as C. */
    static AsdnConfig config(String family) {
        return new AsdnConfig(family, 8, 4, 2, 2, 4, 2, 4, 11, ModelFamily.of(family).upsamplesFeatures() ? 8 : 0,
                new int[] {4, 8});
    }

    static float[] smoothImage(int h, int w, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double fx = 0.2 + r.nextDouble() * 0.5;
        double fy = 0.2 + r.nextDouble() * 0.5;
        float[] a = new float[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    a[(y * w + x) * 3 + c] = (float) (0.5 + 0.4 * Math.sin(fx * x + c) * Math.cos(fy * y - c));
                }
            }
        }
        return a;
    }
}
