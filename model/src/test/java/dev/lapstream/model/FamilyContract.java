package dev.lapstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lapstream.core.image.Resize;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.ToDoubleFunction;

/** What every LR-space family's tests check the same way: serving, training and the graphs' agreement. */
final class FamilyContract {
    private FamilyContract() {
    }

    /** Random weights plus Gaussian jitter of {@code std(name)}, so biases and zero-initialised heads matter too. */
    static Map<String, float[]> jittered(AsdnConfig cfg, long seed, ToDoubleFunction<String> std) {
        Map<String, float[]> w = Weights.random(cfg, seed);
        Random rnd = new Random(seed + 1);
        w.forEach((name, a) -> {
            double s = std.applyAsDouble(name);
            for (int i = 0; i < a.length; i++) {
                a[i] += (float) (s * rnd.nextGaussian());
            }
        });
        return w;
    }

    static Map<String, float[]> jittered(AsdnConfig cfg, long seed) {
        return jittered(cfg, seed, name -> 0.05);
    }

    /**
     * Every target of x1.1 ... x4.0 (and three asymmetric pairs) at every width is one pass to the exact size; x8 is
     * two passes of sqrt(8) with the output in [0, 1].
     */
    static void assertOnePassUpToFourThenRecursion(AsdnConfig cfg, Map<String, float[]> weights) {
        ModelFamily family = cfg.implementation();
        assertEquals(4.0, family.maxStepFactor());
        try (AsdnUpscaler up = new AsdnUpscaler(cfg, weights, 1)) {
            int h = 7;
            int w = 5;
            float[] img = TinyNet.smoothImage(h, w, 6);
            List<double[]> passes = new ArrayList<>();
            SrPass counted = (x, ih, iw, oh, ow, sh, sw, wd) -> {
                passes.add(new double[] {ih, iw, oh, ow, sh, sw});
                return up.pass(x, ih, iw, sh, sw, wd);
            };
            List<int[]> targets = new ArrayList<>();
            for (int t = 11; t <= 40; t++) {
                targets.add(new int[] {(int) Math.round(h * t / 10.0), (int) Math.round(w * t / 10.0)});
            }
            targets.add(new int[] {11, 20});  // x1.57 : x4 (asymmetric)
            targets.add(new int[] {28, 6});   // x4 : x1.2
            targets.add(new int[] {7, 13});   // x1 : x2.6
            for (int[] t : targets) {
                for (int width : cfg.widths()) {
                    passes.clear();
                    float[] out = AsdnUpscaler.upscale(counted, family, img, h, w, t[0], t[1], width);
                    assertEquals(t[0] * t[1] * 3, out.length);
                    assertEquals(1, passes.size(), "one pass to " + t[0] + "x" + t[1]);
                    assertEquals(t[0], (int) passes.get(0)[2]);
                    assertEquals(t[1], (int) passes.get(0)[3]);
                }
            }
            passes.clear();
            float[] x8 = AsdnUpscaler.upscale(counted, family, img, h, w, 56, 40, 8);
            assertEquals(56 * 40 * 3, x8.length);
            assertEquals(2, passes.size());
            assertEquals(Math.sqrt(8), passes.get(0)[4], 0.05);
            assertEquals(56, (int) passes.get(1)[2]);
            assertEquals(40, (int) passes.get(1)[3]);
            for (float v : x8) {
                assertTrue(v >= 0 && v <= 1 && Float.isFinite(v));
            }
        }
    }

    /** A batch of {@code n} smooth HR images (hh x hw) and their antialiased bicubic LR (lh x lw): {lr, hr}. */
    static float[][] pairs(int n, int hh, int hw, int lh, int lw) {
        float[] hr = new float[n * hh * hw * 3];
        float[] lr = new float[n * lh * lw * 3];
        for (int b = 0; b < n; b++) {
            float[] hi = TinyNet.smoothImage(hh, hw, 20 + b);
            System.arraycopy(hi, 0, hr, b * hi.length, hi.length);
            float[] lo = Resize.resizeInterleaved(hi, hw, hh, 3, lw, lh, true);
            System.arraycopy(lo, 0, lr, b * lo.length, lo.length);
        }
        return new float[][] {lr, hr};
    }

    /**
     * Trains the half-width subnet at 8x6 -> 29x15 (x3.625 : x2.5 in one pass) after one full-width step (which gives
     * every weight non-zero moments), asserts the loss fell by 10 %, and returns the states {before, after} of the
     * half-width steps (each {weights, m, v}).
     */
    static Map<String, float[]>[][] trainHalfWidthAtAnAsymmetricScale(AsdnConfig cfg) {
        int n = 2;
        float[][] pair = pairs(n, 29, 15, 8, 6);
        float[] lr = pair[0];
        float[] hr = pair[1];
        int half = cfg.channels() / 2;
        try (AsdnTraining tr = new AsdnTraining(cfg, 1)) {
            tr.initialize(9);
            tr.step(lr, hr, n, 8, 6, 29, 15, 29 / 8.0, 2.5, cfg.channels(), 1e-3, 1);
            Map<String, float[]>[] before = tr.getState();
            float first = tr.evalLoss(lr, hr, n, 8, 6, 29, 15, 29 / 8.0, 2.5, half);
            for (int t = 2; t <= 40; t++) {
                tr.step(lr, hr, n, 8, 6, 29, 15, 29 / 8.0, 2.5, half, 2e-3, t);
            }
            float last = tr.evalLoss(lr, hr, n, 8, 6, 29, 15, 29 / 8.0, 2.5, half);
            assertTrue(last < first * 0.9, "loss " + first + " -> " + last);
            @SuppressWarnings("unchecked")
            Map<String, float[]>[][] states = new Map[][] {before, tr.getState()};
            return states;
        }
    }

    /** In weights and both Adam moments, {@code name} kept every element outside {@code used}; some inside moved. */
    static void assertOnlySubnetMoved(Map<String, float[]>[] before, Map<String, float[]>[] after, String name,
                                      IntPredicate used) {
        boolean usedChanged = false;
        for (int k = 0; k < 3; k++) {
            float[] wb = before[k].get(name);
            float[] wa = after[k].get(name);
            for (int i = 0; i < wb.length; i++) {
                if (!used.test(i)) {
                    assertEquals(Float.floatToIntBits(wb[i]), Float.floatToIntBits(wa[i]), name + "[" + i + "] state "
                            + k + " moved");
                } else if (k == 0 && wb[i] != wa[i]) {
                    usedChanged = true;
                }
            }
        }
        assertTrue(usedChanged, "the subnet's part of " + name + " did not change");
    }

    /** The training graph's inference (clipped) equals the serving graph's pass at 9x7 -> 31x10, every width. */
    static void assertServingAndTrainingAgree(AsdnConfig cfg, Map<String, float[]> w) {
        float[] img = TinyNet.smoothImage(9, 7, 3);
        try (AsdnTraining tr = new AsdnTraining(cfg, 1); AsdnUpscaler up = new AsdnUpscaler(cfg, w, 1)) {
            tr.setState(w, null, null);
            for (int width : cfg.widths()) {
                float[] trained = tr.infer(img, 1, 9, 7, 31, 10, 31 / 9.0, 10 / 7.0, width);
                for (int i = 0; i < trained.length; i++) {
                    trained[i] = Math.min(1f, Math.max(0f, trained[i]));
                }
                assertArrayEquals(trained, up.pass(img, 9, 7, 31 / 9.0, 10 / 7.0, width), 1e-5f, "width " + width);
            }
        }
    }
}
