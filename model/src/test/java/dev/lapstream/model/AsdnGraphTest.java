package dev.lapstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lapstream.core.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;

class AsdnGraphTest {

    @ParameterizedTest
    @ValueSource(strings = {"asdn", "asdn-lr", "meta-sr", "arbsr"})
    void shapesForOddSizesEveryLevelAndWidth(String family) {
        AsdnConfig cfg = TinyNet.config(family);
        try (AsdnUpscaler up = new AsdnUpscaler(cfg, Weights.random(cfg, 3), 1)) {
            int h = 7;
            int w = 5;
            float[] img = TinyNet.smoothImage(h, w, 1);
            for (int l = 0; l <= 10; l++) {
                double r = 1 + l / 10.0;
                for (int width : cfg.widths()) {
                    float[] out = up.pass(img, h, w, r, r, width);
                    int oh = Math.round((float) (h * r));
                    int ow = Math.round((float) (w * r));
                    assertEquals(oh * ow * 3, out.length, "level " + l + " width " + width);
                }
            }
            // between levels and asymmetric
            float[] out = up.pass(img, h, w, 1.15, 1.73, 8);
            assertEquals(Math.round(7 * 1.15f) * Math.round(5 * 1.73f) * 3, out.length);
            // engine: any size incl. recursion and shrinking axes
            RgbImage in = new RgbImage(5, 7, new byte[5 * 7 * 3]);
            for (int[] s : new int[][] {{5, 7}, {13, 9}, {20, 28}, {41, 17}, {11, 5}, {3, 4}}) {
                RgbImage o = up.upscale(in, s[0], s[1]);
                assertEquals(s[0], o.width());
                assertEquals(s[1], o.height());
            }
            // the metrics' model label tells the families and their subnets apart
            up.setWidth(cfg.channels());
            assertEquals(family, up.name());
            up.setWidth(cfg.widths()[0]);
            assertEquals(family + "-w" + cfg.widths()[0], up.name());
        }
    }

    @Test
    void graphLfrMatchesJava() {
        AsdnConfig cfg = TinyNet.config();
        try (AsdnTraining tr = new AsdnTraining(cfg, 1)) {
            for (double r : new double[] {1.0, 1.05, 1.1, 1.15, 1.5, 1.99, 2.0, 2.5}) {
                try (TFloat32 sh = TFloat32.scalarOf((float) r);
                     TFloat32 sw = TFloat32.scalarOf(1f);
                     Result res = tr.session().runner().feed("scale_h", sh).feed("scale_w", sw)
                             .fetch("lfr_level").fetch("lfr_weight").run()) {
                    int level = ((org.tensorflow.types.TInt32) res.get(0)).getInt();
                    float wt = ((TFloat32) res.get(1)).getFloat();
                    Lfr.Level j = Lfr.level(r);
                    assertEquals(j.index(), level, "level at " + r);
                    assertEquals(j.weight(), wt, 1e-5, "weight at " + r);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"asdn", "asdn-lr", "meta-sr", "arbsr"})
    void trainingLowersLoss(String family) {
        AsdnConfig cfg = TinyNet.config(family);
        int n = 2;
        int hs = 16;
        int ls = 8;
        float[] hr = new float[n * hs * hs * 3];
        float[] lr = new float[n * ls * ls * 3];
        for (int b = 0; b < n; b++) {
            float[] h = TinyNet.smoothImage(hs, hs, 10 + b);
            System.arraycopy(h, 0, hr, b * h.length, h.length);
            float[] l = dev.lapstream.core.image.Resize.resizeInterleaved(h, hs, hs, 3, ls, ls, true);
            System.arraycopy(l, 0, lr, b * l.length, l.length);
        }
        try (AsdnTraining tr = new AsdnTraining(cfg, 1)) {
            tr.initialize(7);
            float first = tr.evalLoss(lr, hr, n, ls, ls, hs, hs, 2, 2, 8);
            for (int t = 1; t <= 40; t++) {
                tr.step(lr, hr, n, ls, ls, hs, hs, 2, 2, 8, 2e-3, t);
            }
            float last = tr.evalLoss(lr, hr, n, ls, ls, hs, hs, 2, 2, 8);
            assertTrue(last < first * 0.9, "loss " + first + " -> " + last);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"asdn", "asdn-lr"})
    void twoPassTrainingLowersItsLossAndMovesOnlyTheWeightsItUses(String family) {
        AsdnConfig cfg = TinyNet.config(family);
        float[] hr = TinyNet.smoothImage(24, 24, 12);
        float[] lr = dev.lapstream.core.image.Resize.resizeInterleaved(hr, 24, 24, 3, 6, 6, true);
        try (AsdnTraining tr = new AsdnTraining(cfg, 1, true)) {
            tr.initialize(13);
            // a full-width single-pass step at x1.5 gives every full-width weight non-zero moments
            float[] hr15 = TinyNet.smoothImage(9, 9, 6);
            float[] lr15 = dev.lapstream.core.image.Resize.resizeInterleaved(hr15, 9, 9, 3, 6, 6, true);
            tr.step(lr15, hr15, 1, 6, 6, 9, 9, 1.5, 1.5, 8, 1e-3, 1);
            Map<String, float[]>[] before = tr.getState();
            // x4 as two x2 passes (6 -> 12 -> 24) at width 4 of 8: only LFR level 10, half the channels
            float first = tr.stepTwoPass(lr, hr, 1, 6, 6, 12, 12, 24, 24, 2.0, 2.0, 4, 2e-3, 2);
            float last = first;
            for (int t = 3; t <= 40; t++) {
                last = tr.stepTwoPass(lr, hr, 1, 6, 6, 12, 12, 24, 24, 2.0, 2.0, 4, 2e-3, t);
            }
            assertTrue(last < first * 0.9, "two-pass loss " + first + " -> " + last);
            Map<String, float[]>[] after = tr.getState();
            float[] ib = before[0].get("irb_w");
            float[] ia = after[0].get("irb_w");
            int per = 3 * 3 * 8 * 3;
            boolean usedChanged = false;
            for (int i = 0; i < ib.length; i++) {
                boolean used = i / per == 10 && (i % per) / 3 % 8 < 4;
                if (!used) {
                    assertEquals(Float.floatToIntBits(ib[i]), Float.floatToIntBits(ia[i]), "irb_w[" + i + "] moved");
                } else if (ib[i] != ia[i]) {
                    usedChanged = true;
                }
            }
            assertTrue(usedChanged, "level 10 of irb_w did not change");
            float[] hb = before[1].get("head_w");
            float[] ha = after[1].get("head_w");
            for (int i = 0; i < hb.length; i++) {
                if (i % 8 >= 4) {
                    assertEquals(Float.floatToIntBits(hb[i]), Float.floatToIntBits(ha[i]), "head_w m[" + i + "] moved");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"asdn", "asdn-lr"})
    void maskedUpdatesLeaveUnusedWeightsAndMomentsUnchanged(String family) {
        AsdnConfig cfg = TinyNet.config(family);
        int n = 1;
        float[] hr = TinyNet.smoothImage(12, 12, 5);
        float[] lr = dev.lapstream.core.image.Resize.resizeInterleaved(hr, 12, 12, 3, 6, 6, true);
        try (AsdnTraining tr = new AsdnTraining(cfg, 1)) {
            tr.initialize(11);
            // a full-width step at x1.5 gives every full-width weight non-zero moments
            float[] hr15 = TinyNet.smoothImage(9, 9, 6);
            float[] lr15 = dev.lapstream.core.image.Resize.resizeInterleaved(hr15, 9, 9, 3, 6, 6, true);
            tr.step(lr15, hr15, n, 6, 6, 9, 9, 1.5, 1.5, 8, 1e-3, 1);
            Map<String, float[]>[] before = tr.getState();
            // narrow step (width 4 of 8) at x2.0 (LFR level 10 exactly)
            tr.step(lr, hr, n, 6, 6, 12, 12, 2.0, 2.0, 4, 1e-3, 2);
            Map<String, float[]>[] after = tr.getState();

            // head conv [3,3,3,8]: output filters 4..7 unused
            float[][] wb = {before[0].get("head_w"), before[1].get("head_w"), before[2].get("head_w")};
            float[][] wa = {after[0].get("head_w"), after[1].get("head_w"), after[2].get("head_w")};
            boolean usedChanged = false;
            for (int i = 0; i < wb[0].length; i++) {
                int out = i % 8;
                for (int k = 0; k < 3; k++) {
                    if (out >= 4) {
                        assertEquals(Float.floatToIntBits(wb[k][i]), Float.floatToIntBits(wa[k][i]),
                                "unused head_w[" + i + "] state " + k + " moved");
                    }
                }
                if (out < 4 && wb[0][i] != wa[0][i]) {
                    usedChanged = true;
                }
            }
            assertTrue(usedChanged, "used slice of head_w did not change");
            // IRB stack [11,3,3,8,3]: only level 10, input channels < 4
            float[] ib = before[0].get("irb_w");
            float[] ia = after[0].get("irb_w");
            float[] imb = before[1].get("irb_w");
            float[] ima = after[1].get("irb_w");
            int per = 3 * 3 * 8 * 3;
            boolean level10Changed = false;
            for (int i = 0; i < ib.length; i++) {
                int level = i / per;
                int cin = (i % per) / 3 % 8;
                boolean used = level == 10 && cin < 4;
                if (!used) {
                    assertEquals(Float.floatToIntBits(ib[i]), Float.floatToIntBits(ia[i]), "irb_w[" + i + "] moved");
                    assertEquals(Float.floatToIntBits(imb[i]), Float.floatToIntBits(ima[i]), "irb_w m[" + i + "] moved");
                } else if (ib[i] != ia[i]) {
                    level10Changed = true;
                }
            }
            assertTrue(level10Changed);
            if (before[0].containsKey("up_w")) {
                // sub-pixel kernel [3,3,8,4,8]: input channels < 4 and, per sub-pixel position, outputs < 4
                float[] ub = before[0].get("up_w");
                float[] ua = after[0].get("up_w");
                float[] umb = before[1].get("up_w");
                float[] uma = after[1].get("up_w");
                boolean upChanged = false;
                for (int i = 0; i < ub.length; i++) {
                    int u = i % 8;
                    int cin = i / (4 * 8) % 8;
                    if (u >= 4 || cin >= 4) {
                        assertEquals(Float.floatToIntBits(ub[i]), Float.floatToIntBits(ua[i]), "up_w[" + i + "] moved");
                        assertEquals(Float.floatToIntBits(umb[i]), Float.floatToIntBits(uma[i]), "up_w m[" + i + "] moved");
                    } else if (ub[i] != ua[i]) {
                        upChanged = true;
                    }
                }
                assertTrue(upChanged, "used slice of up_w did not change");
            }
            // CA scale-pair rows: lambda = 2, width 4 of 8 uses floor(2*4/8) = 1 pair row
            float[] sb = before[0].get("b0_ca_w1s");
            float[] sa = after[0].get("b0_ca_w1s");
            int pairSize = 2 * cfg.caHidden();
            for (int i = pairSize; i < sb.length; i++) {
                assertEquals(Float.floatToIntBits(sb[i]), Float.floatToIntBits(sa[i]));
            }
        }
    }

    @Test
    void trainingAndServingGraphsComputeTheSameFunction() {
        // they take the global dense connection's 1x1 readers in different forms (AsdnNetwork's training flag)
        AsdnConfig cfg = TinyNet.config();
        Map<String, float[]> w = Weights.random(cfg, 11);
        java.util.Random rnd = new java.util.Random(12);
        w.values().forEach(a -> { // biases too (initialised to zero)
            for (int i = 0; i < a.length; i++) {
                a[i] += (float) (0.05 * rnd.nextGaussian());
            }
        });
        float[] img = TinyNet.smoothImage(9, 7, 3);
        try (AsdnTraining tr = new AsdnTraining(cfg, 1); AsdnUpscaler up = new AsdnUpscaler(cfg, w, 1)) {
            tr.setState(w, null, null);
            for (int width : new int[] {4, 8}) {
                float[] trained = tr.infer(img, 1, 9, 7, 18, 14, 2, 2, width);
                for (int i = 0; i < trained.length; i++) {
                    trained[i] = Math.min(1f, Math.max(0f, trained[i])); // the serving graph clips its output
                }
                assertArrayEquals(trained, up.pass(img, 9, 7, 2, 2, width), 1e-5f, "width " + width);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"asdn", "asdn-lr", "meta-sr", "arbsr"})
    void exportLoadSameOutput(String family, @TempDir Path dir) throws Exception {
        AsdnConfig cfg = TinyNet.config(family);
        Map<String, float[]> w = Weights.random(cfg, 5);
        Path model = dir.resolve("m");
        InferenceGraph.export(cfg, w, model);
        assertTrue(Files.exists(model.resolve("saved_model.pb")));
        float[] img = TinyNet.smoothImage(9, 7, 2);
        try (AsdnUpscaler a = new AsdnUpscaler(cfg, w, 1); AsdnUpscaler b = new AsdnUpscaler(model, 1)) {
            for (int width : new int[] {4, 8}) {
                float[] oa = a.upscale(img, 9, 7, 27, 16, width);
                float[] ob = b.upscale(img, 9, 7, 27, 16, width);
                assertArrayEquals(oa, ob, 1e-6f);
            }
            assertEquals(cfg, b.config());
        }
        // the default signature (no width) serves the full width
        try (SavedModelBundle bundle = SavedModelBundle.load(model.toString(), "serve");
             AsdnUpscaler a = new AsdnUpscaler(cfg, w, 1);
             TFloat32 t = Tensors.of(img, 1, 9, 7, 3);
             TFloat32 sh = TFloat32.scalarOf(1.5f);
             TFloat32 sw = TFloat32.scalarOf(2f)) {
            assertFalse(bundle.signatures().isEmpty());
            try (Result r = bundle.function(InferenceGraph.SIG_DEFAULT)
                    .call(Map.of("image", t, "scale_h", sh, "scale_w", sw))) {
                Tensor out = r.get("output").orElseThrow();
                assertArrayEquals(a.pass(img, 9, 7, 1.5, 2.0, 8), Tensors.toArray(out), 1e-6f);
            }
        }
    }
}
