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

/** The Meta-SR family: location projection, the Meta-Upscale against a per-pixel reference, one-pass serving, training. */
class MetaSrTest {

    private static final AsdnConfig CFG = TinyNet.config("meta-sr");

    /** Random weights with non-zero biases, so every term of the module matters. */
    private static Map<String, float[]> weights(long seed) {
        return FamilyContract.jittered(CFG, seed);
    }

    @Test
    void locationProjectionAndOffsetsEqualThePapersDefinition() {
        int[][] cases = {{7, 5, 8, 17}, {5, 5, 20, 20}, {3, 10, 4, 11}, {10, 9, 11, 36}, {6, 7, 6, 7}};
        try (AsdnTraining tr = new AsdnTraining(CFG, 1)) {
            tr.initialize(1);
            for (int[] c : cases) {
                int h = c[0];
                int w = c[1];
                int oh = c[2];
                int ow = c[3];
                try (TFloat32 lr = Tensors.of(TinyNet.smoothImage(h, w, 2), 1, h, w, 3);
                     TFloat32 hr = Tensors.of(new float[oh * ow * 3], 1, oh, ow, 3);
                     TFloat32 sh = TFloat32.scalarOf((float) oh / h);
                     TFloat32 sw = TFloat32.scalarOf((float) ow / w);
                     TInt32 wd = TInt32.scalarOf(8);
                     Result r = tr.session().runner().feed("lr", lr).feed("hr", hr).feed("scale_h", sh)
                             .feed("scale_w", sw).feed("width", wd).fetch("meta_row_index").fetch("meta_row_offset")
                             .fetch("meta_col_index").fetch("meta_col_offset").run()) {
                    assertAxis(h, oh, (TInt32) r.get(0), (TFloat32) r.get(1));
                    assertAxis(w, ow, (TInt32) r.get(2), (TFloat32) r.get(3));
                }
            }
        }
    }

    /** Eq. 2 and 4 with r = out / in: i' is the largest k with k r <= i, R(i) = i / r - i'. */
    private static void assertAxis(int in, int out, TInt32 index, TFloat32 offset) {
        assertEquals(out, index.shape().size(0));
        for (int i = 0; i < out; i++) {
            int k = 0;
            while ((long) (k + 1) * out <= (long) i * in) {
                k++;
            }
            double frac = ((double) i * in / out) - k;
            assertEquals(k, index.getInt(i), "index " + i + " of " + in + " -> " + out);
            assertEquals(frac, offset.getFloat(i), 1e-6, "offset " + i + " of " + in + " -> " + out);
            assertTrue(frac >= 0 && frac < 1);
        }
    }

    @Test
    void metaUpscaleEqualsAPerPixelReference() {
        Map<String, float[]> w = weights(3);
        int h = 5;
        int wd = 4;
        int oh = 13; // x2.6
        int ow = 7;  // x1.75
        float[] img = TinyNet.smoothImage(h, wd, 4);
        try (AsdnTraining tr = new AsdnTraining(CFG, 1)) {
            tr.setState(w, null, null);
            for (int width : CFG.widths()) {
                try (TFloat32 lr = Tensors.of(img, 1, h, wd, 3);
                     TFloat32 hr = Tensors.of(new float[oh * ow * 3], 1, oh, ow, 3);
                     TFloat32 sh = TFloat32.scalarOf((float) oh / h);
                     TFloat32 sw = TFloat32.scalarOf((float) ow / wd);
                     TInt32 tw = TInt32.scalarOf(width);
                     Result r = tr.session().runner().feed("lr", lr).feed("hr", hr).feed("scale_h", sh)
                             .feed("scale_w", sw).feed("width", tw).fetch("lr_features").fetch("upsampled")
                             .fetch("sr").run()) {
                    float[] features = Tensors.toArray(r.get(0));
                    float[] up = Tensors.toArray(r.get(1));
                    float[] sr = Tensors.toArray(r.get(2));
                    int ca = CFG.active(CFG.channels(), width);
                    assertEquals(h * wd * ca, features.length);
                    float[] ref = referenceResidual(w, features, h, wd, ca, oh, ow);
                    for (int i = 0; i < sr.length; i++) {
                        assertEquals(ref[i], sr[i] - up[i], 1e-5, "width " + width + " output " + i);
                    }
                }
            }
        }
    }

    /**
     * Meta-SR as the paper writes it: per output pixel, the MLP on (R_h, R_w, 1/r_h, 1/r_w) gives a 3x3 x ca x 3
     * filter, applied to the zero-padded 3x3 neighbourhood of the projected LR feature.
     */
    private static float[] referenceResidual(Map<String, float[]> w, float[] f, int h, int wd, int ca, int oh, int ow) {
        int c = CFG.channels();
        int hid = CFG.upChannels();
        float[] w1 = w.get("meta_w1");
        float[] b1 = w.get("meta_b1");
        float[] w2 = w.get("meta_w2");
        float[] b2 = w.get("meta_b2");
        float[] out = new float[oh * ow * 3];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                int pi = (int) Math.floorDiv((long) i * h, oh);
                int pj = (int) Math.floorDiv((long) j * wd, ow);
                double[] v = {(double) i * h / oh - pi, (double) j * wd / ow - pj, (double) h / oh, (double) wd / ow};
                double[] g = new double[hid];
                for (int u = 0; u < hid; u++) {
                    double s = b1[u];
                    for (int k = 0; k < 4; k++) {
                        s += v[k] * w1[k * hid + u];
                    }
                    g[u] = Math.max(0, s);
                }
                for (int o = 0; o < 3; o++) {
                    double acc = 0;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            int y = pi + ky - 1;
                            int x = pj + kx - 1;
                            if (y < 0 || y >= h || x < 0 || x >= wd) {
                                continue;
                            }
                            for (int ch = 0; ch < ca; ch++) {
                                int fi = ((ky * 3 + kx) * c + ch) * 3 + o; // index into [3, 3, C, 3]
                                double filter = b2[fi];
                                for (int u = 0; u < hid; u++) {
                                    filter += g[u] * w2[u * 9 * c * 3 + fi];
                                }
                                acc += filter * f[(y * wd + x) * ca + ch];
                            }
                        }
                    }
                    out[(i * ow + j) * 3 + o] = (float) acc;
                }
            }
        }
        return out;
    }

    @Test
    void theEngineRunsEveryTrainedScaleInOnePassAndRecursesAboveIt() {
        FamilyContract.assertOnePassUpToFourThenRecursion(CFG, weights(5));
    }

    @Test
    void costPerOutputPixelFallsWithTheScaleInOnePass() {
        AsdnConfig cfg = AsdnConfig.metaSr();
        int c = cfg.channels();
        double lrUnit = cfg.fmbMacsPerPixel(c) + 27.0 * c * (cfg.upChannels() + 1);
        double perOutput = 3.0 * (cfg.upChannels() + 1);
        assertEquals(lrUnit / 4 + perOutput, cfg.macsPerOutputPixel(c, 2, 2), 1e-6);
        assertEquals(lrUnit / 16 + perOutput, cfg.macsPerOutputPixel(c, 4, 4), 1e-6);
        assertEquals(lrUnit / 6 + perOutput, cfg.macsPerOutputPixel(c, 2, 3), 1e-6);
        // x8: two passes of sqrt(8); the first outputs 1/8 of the final pixels, the second reads them
        assertEquals(lrUnit / 64 + perOutput / 8 + lrUnit / 8 + perOutput, cfg.macsPerOutputPixel(c, 8, 8), 1e-6);
        assertTrue(cfg.macsPerOutputPixel(32, 2, 2) < cfg.macsPerOutputPixel(64, 2, 2) / 2.5);
        // no IRBs, LFR levels or sub-pixel step in the checkpoint
        assertFalse(cfg.params().stream().anyMatch(p -> p.name().startsWith("irb") || p.name().startsWith("sa_")
                || p.name().startsWith("up_")));
        assertEquals(List.of("meta_w1", "meta_b1", "meta_w2", "meta_b2"), cfg.params().subList(cfg.params().size() - 4,
                cfg.params().size()).stream().map(AsdnConfig.ParamSpec::name).toList());
        assertEquals(cfg, AsdnConfig.fromJson(cfg.toJson()));
    }

    @Test
    void trainingAtAnAsymmetricNonIntegerScaleLowersTheLossAndMovesOnlyTheSubnet() {
        Map<String, float[]>[][] states = FamilyContract.trainHalfWidthAtAnAsymmetricScale(CFG);
        int c = CFG.channels();
        // meta_w2 [H, 3, 3, C, 3] and meta_b2 [3, 3, C, 3]: width 4 of 8 reads input channels < 4 only
        for (String name : List.of("meta_w2", "meta_b2")) {
            FamilyContract.assertOnlySubnetMoved(states[0], states[1], name, i -> i / 3 % c < 4);
        }
        FamilyContract.assertOnlySubnetMoved(states[0], states[1], "head_w", i -> i % c < 4);
        // the MLP's hidden layer is shared by every subnet
        assertFalse(Arrays.equals(states[0][0].get("meta_w1"), states[1][0].get("meta_w1")));
    }

    @Test
    void servingAndTrainingGraphsAgree() {
        FamilyContract.assertServingAndTrainingAgree(CFG, weights(7));
    }
}
