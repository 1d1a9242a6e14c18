package dev.lapstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The ArbSR family: projection, the upsampler's sampling against a Java reference, one-pass serving, training. */
class ArbSrTest {

    private static final AsdnConfig CFG = TinyNet.config("arbsr");
    private static final int K = ScaleAwareUpsampler.EXPERTS;

    /** Random weights with non-zero biases and offset heads, so every term of the upsampler matters. */
    private static Map<String, float[]> weights(long seed) {
        return FamilyContract.jittered(CFG, seed, name -> name.startsWith("arb_offset") ? 0.5 : 0.05);
    }

    @Test
    void upsamplerSamplesLikeAJavaReferenceWithAndWithoutOffsets() {
        Map<String, float[]> w = weights(3);
        Map<String, float[]> centred = weights(3);
        Arrays.fill(centred.get("arb_offset_w"), 0f);
        Arrays.fill(centred.get("arb_offset_b"), 0f);
        int h = 5;
        int wd = 4;
        int oh = 13; // x2.6
        int ow = 7;  // x1.75
        float[] img = TinyNet.smoothImage(h, wd, 4);
        for (Map<String, float[]> weights : List.of(w, centred)) {
            boolean zeroOffsets = weights == centred;
            try (AsdnTraining tr = new AsdnTraining(CFG, 1)) {
                tr.setState(weights, null, null);
                for (int width : CFG.widths()) {
                    try (TFloat32 lr = Tensors.of(img, 1, h, wd, 3);
                         TFloat32 hr = Tensors.of(new float[oh * ow * 3], 1, oh, ow, 3);
                         TFloat32 sh = TFloat32.scalarOf((float) oh / h);
                         TFloat32 sw = TFloat32.scalarOf((float) ow / wd);
                         TInt32 tw = TInt32.scalarOf(width);
                         Result r = tr.session().runner().feed("lr", lr).feed("hr", hr).feed("scale_h", sh)
                                 .feed("scale_w", sw).feed("width", tw).fetch("lr_features").fetch("upsampled")
                                 .fetch("sr").fetch("arb_row_centre").fetch("arb_col_centre").fetch("arb_offsets")
                                 .run()) {
                        float[] features = Tensors.toArray(r.get(0));
                        float[] up = Tensors.toArray(r.get(1));
                        float[] sr = Tensors.toArray(r.get(2));
                        float[] rowCentre = Tensors.toArray(r.get(3));
                        float[] colCentre = Tensors.toArray(r.get(4));
                        float[] offsets = Tensors.toArray(r.get(5));
                        for (int i = 0; i < oh; i++) {
                            assertEquals((i + 0.5) * h / oh - 0.5, rowCentre[i], 1e-6, "C(" + i + ")");
                        }
                        for (int j = 0; j < ow; j++) {
                            assertEquals((j + 0.5) * wd / ow - 0.5, colCentre[j], 1e-6, "C(" + j + ")");
                        }
                        boolean moved = false;
                        for (float o : offsets) {
                            moved |= o != 0;
                        }
                        assertEquals(!zeroOffsets, moved, "offsets");
                        int ca = CFG.active(CFG.channels(), width);
                        float[] ref = referenceResidual(weights, features, h, wd, ca, oh, ow);
                        for (int i = 0; i < sr.length; i++) {
                            assertEquals(ref[i], sr[i] - up[i], 1e-5, "width " + width + " output " + i);
                        }
                    }
                }
            }
        }
    }

    /**
     * The upsampler as Sec. 3.2 describes it, per output pixel: the MLP on (R_h, R_w, 1/r_h, 1/r_w) gives offsets and
     * routing weights; the zero-padded features' 3x3 neighbourhood, bilinearly sampled at the centre plus the offset
     * (neighbours clamped to the map), meets every expert kernel; the routing weights mix the experts.
     */
    private static float[] referenceResidual(Map<String, float[]> w, float[] f, int h, int wd, int ca, int oh, int ow) {
        int c = CFG.channels();
        int hid = CFG.upChannels();
        float[] w1 = w.get("arb_w1");
        float[] b1 = w.get("arb_b1");
        float[] wo = w.get("arb_offset_w");
        float[] bo = w.get("arb_offset_b");
        float[] wr = w.get("arb_route_w");
        float[] br = w.get("arb_route_b");
        float[] we = w.get("arb_experts_w");
        float[] be = w.get("arb_experts_b");
        float[] out = new float[oh * ow * 3];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                double cy = (i + 0.5) * h / oh - 0.5;
                double cx = (j + 0.5) * wd / ow - 0.5;
                double ry = (i + 0.5) * h / oh - Math.floor((i + 0.5) * h / oh) - 0.5;
                double rx = (j + 0.5) * wd / ow - Math.floor((j + 0.5) * wd / ow) - 0.5;
                double[] v = {ry, rx, (double) h / oh, (double) wd / ow};
                double[] g = new double[hid];
                for (int u = 0; u < hid; u++) {
                    double s = b1[u];
                    for (int k = 0; k < 4; k++) {
                        s += v[k] * w1[k * hid + u];
                    }
                    g[u] = Math.max(0, s);
                }
                double dy = bo[0];
                double dx = bo[1];
                double[] route = new double[K];
                for (int u = 0; u < hid; u++) {
                    dy += g[u] * wo[u * 2];
                    dx += g[u] * wo[u * 2 + 1];
                }
                for (int e = 0; e < K; e++) {
                    double s = br[e];
                    for (int u = 0; u < hid; u++) {
                        s += g[u] * wr[u * K + e];
                    }
                    route[e] = 1 / (1 + Math.exp(-s));
                }
                double py = cy + dy;
                double px = cx + dx;
                for (int e = 0; e < K; e++) {
                    for (int o = 0; o < 3; o++) {
                        int expert = e;
                        int colour = o;
                        double q = be[e * 3 + o] + bilinear(py, px, h, wd,
                                (y, x) -> expert(we, f, y, x, h, wd, c, ca, expert, colour));
                        out[(i * ow + j) * 3 + o] += (float) (route[e] * q);
                    }
                }
            }
        }
        return out;
    }

    /** Expert e's 3x3 kernel (colour o) on the zero-padded features around LR pixel (y, x). */
    private static double expert(float[] we, float[] f, int y, int x, int h, int wd, int c, int ca, int e, int o) {
        double acc = 0;
        for (int ky = 0; ky < 3; ky++) {
            for (int kx = 0; kx < 3; kx++) {
                int yy = y + ky - 1;
                int xx = x + kx - 1;
                if (yy < 0 || yy >= h || xx < 0 || xx >= wd) {
                    continue;
                }
                for (int ch = 0; ch < ca; ch++) {
                    acc += we[(((ky * 3 + kx) * c + ch) * K + e) * 3 + o] * f[(yy * wd + xx) * ca + ch];
                }
            }
        }
        return acc;
    }

    private interface Grid {
        double at(int y, int x);
    }

    /** Bilinear interpolation of {@code grid} at (py, px), the four neighbours clamped to [0, h) x [0, w). */
    private static double bilinear(double py, double px, int h, int w, Grid grid) {
        int y0 = (int) Math.floor(py);
        int x0 = (int) Math.floor(px);
        double ay = py - y0;
        double ax = px - x0;
        int t = Math.min(Math.max(y0, 0), h - 1);
        int b = Math.min(Math.max(y0 + 1, 0), h - 1);
        int l = Math.min(Math.max(x0, 0), w - 1);
        int r = Math.min(Math.max(x0 + 1, 0), w - 1);
        return (1 - ay) * ((1 - ax) * grid.at(t, l) + ax * grid.at(t, r)) + ay * ((1 - ax) * grid.at(b, l)
                + ax * grid.at(b, r));
    }

    @Test
    void theEngineRunsEveryTrainedScaleInOnePassAndRecursesAboveIt() {
        assertTrue(CFG.implementation().asymmetricPasses());
        FamilyContract.assertOnePassUpToFourThenRecursion(CFG, weights(5));
    }

    @Test
    void costPerOutputPixelFallsWithTheScaleInOnePass() {
        AsdnConfig cfg = AsdnConfig.arbSr();
        int c = cfg.channels();
        int m = c / 8;
        double adaption = 2 * (9.0 * c * c + 9.0 * c * m + 9.0 * m); // after DABs 1 and 3
        double lrUnit = cfg.fmbMacsPerPixel(c) + adaption + 9.0 * c * 3 * K;
        double perOutput = (2 + K + 1) * cfg.upChannels() + 5 * 3 * K;
        assertEquals(lrUnit / 4 + perOutput, cfg.macsPerOutputPixel(c, 2, 2), 1e-6);
        assertEquals(lrUnit / 16 + perOutput, cfg.macsPerOutputPixel(c, 4, 4), 1e-6);
        assertEquals(lrUnit / 6 + perOutput, cfg.macsPerOutputPixel(c, 2, 3), 1e-6);
        assertTrue(cfg.macsPerOutputPixel(32, 2, 2) < cfg.macsPerOutputPixel(64, 2, 2) / 2.5);
        // model/README.md's comparison: about asdn-lr's and meta-sr's cost at x2, meta-sr's at x4 (asdn-lr: two passes)
        double asdnLr2 = AsdnConfig.lowResolution().macsPerOutputPixel(c, 2, 2);
        assertEquals(1, cfg.macsPerOutputPixel(c, 2, 2) / asdnLr2, 0.05);
        assertEquals(1, cfg.macsPerOutputPixel(c, 4, 4) / AsdnConfig.metaSr().macsPerOutputPixel(c, 4, 4), 0.05);
        assertTrue(cfg.macsPerOutputPixel(c, 4, 4) < AsdnConfig.lowResolution().macsPerOutputPixel(c, 4, 4) / 4);
        assertEquals(List.of("b1_saa_route_w1"), cfg.params().stream().map(AsdnConfig.ParamSpec::name)
                .filter(n -> n.endsWith("route_w1")).limit(1).toList());
        assertEquals(2, cfg.params().stream().filter(p -> p.name().endsWith("_saa_experts_w")).count());
        assertFalse(cfg.params().stream().anyMatch(p -> p.name().startsWith("irb") || p.name().startsWith("up_")
                || p.name().startsWith("meta_")));
        assertEquals(cfg, AsdnConfig.fromJson(cfg.toJson()));
    }

    @Test
    void trainingAtAnAsymmetricNonIntegerScaleLowersTheLossAndMovesOnlyTheSubnet() {
        Map<String, float[]>[][] states = FamilyContract.trainHalfWidthAtAnAsymmetricScale(CFG);
        Map<String, float[]>[] before = states[0];
        Map<String, float[]>[] after = states[1];
        int c = CFG.channels();
        // arb_experts_w [3, 3, C, K, 3]: width 4 of 8 reads input channels < 4 only
        FamilyContract.assertOnlySubnetMoved(before, after, "arb_experts_w", i -> i / (3 * K) % c < 4);
        // b1_saa_experts_w [K, 3, 3, C, C]: input and output channels < 4
        FamilyContract.assertOnlySubnetMoved(before, after, "b1_saa_experts_w", i -> i % c < 4 && i / c % c < 4);
        FamilyContract.assertOnlySubnetMoved(before, after, "head_w", i -> i % c < 4);
        // the MLPs on geometry and scale are shared by every subnet; the offsets learn through the sampling weights
        for (String shared : List.of("arb_w1", "arb_offset_w", "arb_route_w", "b1_saa_route_w1")) {
            assertFalse(Arrays.equals(before[0].get(shared), after[0].get(shared)), shared + " did not move");
        }
    }

    @Test
    void servingAndTrainingGraphsAgree() {
        FamilyContract.assertServingAndTrainingAgree(CFG, weights(7));
    }
}
