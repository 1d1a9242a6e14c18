package dev.lapstream.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fixed-scale FSDN families: shapes, initialisation from an any-scale model, serving rule, export, training. */
class FsdnTest {

    private static final AsdnConfig SOURCE = TinyNet.config("asdn-lr");

    /** Any-scale weights with non-zero biases and spatial attention, so every copied term matters. */
    private static Map<String, float[]> anyScale(long seed) {
        return FamilyContract.jittered(SOURCE, seed);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 8})
    void onePassOfTheScaleAtOddSizesAndEveryWidth(int s) {
        Fsdn family = Fsdn.of(s);
        AsdnConfig cfg = family.config(SOURCE);
        assertEquals("fsdn-x" + s, cfg.family());
        assertEquals(cfg, AsdnConfig.fromJson(cfg.toJson()));
        try (AsdnUpscaler up = new AsdnUpscaler(cfg, Weights.random(cfg, 3), 1)) {
            for (int[] size : new int[][] {{7, 5}, {9, 11}}) {
                int h = size[0];
                int w = size[1];
                float[] img = TinyNet.smoothImage(h, w, 4);
                for (int width : cfg.widths()) {
                    int[] passes = {0};
                    SrPass counted = (x, ih, iw, oh, ow, sh, sw, wd) -> {
                        passes[0]++;
                        assertEquals(s * ih, oh);
                        assertEquals(s, sh);
                        return up.pass(x, ih, iw, sh, sw, wd);
                    };
                    float[] out = AsdnUpscaler.upscale(counted, family, img, h, w, s * h, s * w, width);
                    assertEquals(s * h * s * w * 3, out.length);
                    assertEquals(1, passes[0]);
                    for (float v : out) {
                        assertTrue(v >= 0 && v <= 1 && Float.isFinite(v));
                    }
                }
            }
        }
    }

    @Test
    void theEngineServesOnlyItsScaleUpToTheRoundingOfASize() {
        AsdnConfig cfg = Fsdn.of(3).config(SOURCE);
        try (AsdnUpscaler up = new AsdnUpscaler(cfg, Weights.random(cfg, 3), 1)) {
            float[] img = TinyNet.smoothImage(7, 5, 4);
            // 5 -> 14 instead of 15: one pass of x3, then bicubic to the exact size
            assertEquals(21 * 14 * 3, up.upscale(img, 7, 5, 21, 14, 8).length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> up.upscale(img, 7, 5, 14, 10, 8));
            assertTrue(e.getMessage().contains("serves only x3"), e.getMessage());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Fsdn.of(5));
        assertEquals("FSDN scale must be one of 2, 3, 4, 8 (got 5)", bad.getMessage());
    }

    @Test
    void initialisationCopiesTheFmbAndLevelTwoAndStartsAtTheAnyScaleX2Pass() {
        Map<String, float[]> src = anyScale(11);
        Fsdn x2 = Fsdn.of(2);
        AsdnConfig cfg = x2.config(SOURCE);
        Map<String, float[]> w = x2.fromAnyScale(SOURCE, src);
        assertEquals(cfg.params().stream().map(AsdnConfig.ParamSpec::name).toList(), w.keySet().stream().toList());
        for (AsdnConfig.ParamSpec p : cfg.params()) {
            assertEquals(p.size(), w.get(p.name()).length, p.name());
            if (!p.name().startsWith("irb") && !p.name().startsWith("sa_")) {
                assertArrayEquals(src.get(p.name()), w.get(p.name()), p.name()); // FMB and x2 sub-pixel step
            }
        }
        float[] irb = src.get("irb_w");
        int per = irb.length / SOURCE.levels();
        assertArrayEquals(Arrays.copyOfRange(irb, 10 * per, 11 * per), w.get("irb_w"));
        float[] img = TinyNet.smoothImage(9, 7, 2);
        try (AsdnUpscaler any = new AsdnUpscaler(SOURCE, src, 1); AsdnUpscaler fixed = new AsdnUpscaler(cfg, w, 1)) {
            for (int width : cfg.widths()) {
                assertArrayEquals(any.pass(img, 9, 7, 2, 2, width), fixed.pass(img, 9, 7, 2, 2, width), 1e-5f);
            }
        }
    }

    @Test
    void largerScalesSpreadTheX2SubPixelPositionsByTheirCentres() {
        Map<String, float[]> src = anyScale(12);
        Map<String, float[]> w = Fsdn.of(3).fromAnyScale(SOURCE, src);
        int u = SOURCE.upChannels();
        float[] b2 = src.get("up_b"); // [4, u]
        float[] b3 = w.get("up_b");   // [9, u]
        int[] fromX2 = {0, 1, 1, 2, 3, 3, 2, 3, 3}; // (dy, dx) -> (floor((2dy+1)/3), floor((2dx+1)/3))
        for (int pos = 0; pos < 9; pos++) {
            assertArrayEquals(Arrays.copyOfRange(b2, fromX2[pos] * u, (fromX2[pos] + 1) * u),
                    Arrays.copyOfRange(b3, pos * u, (pos + 1) * u), "position " + pos);
        }
        assertThrows(IllegalArgumentException.class,
                () -> Fsdn.of(3).fromAnyScale(TinyNet.config("meta-sr"), Weights.random(TinyNet.config("meta-sr"), 1)));
    }

    @Test
    void exportLoadSameOutput(@TempDir Path dir) throws Exception {
        AsdnConfig cfg = Fsdn.of(4).config(SOURCE);
        Map<String, float[]> w = Fsdn.of(4).fromAnyScale(SOURCE, anyScale(13));
        Path model = dir.resolve("m");
        InferenceGraph.export(cfg, w, model);
        float[] img = TinyNet.smoothImage(9, 7, 2);
        try (AsdnUpscaler a = new AsdnUpscaler(cfg, w, 1); AsdnUpscaler b = new AsdnUpscaler(model, 1)) {
            assertEquals(cfg, b.config());
            for (int width : cfg.widths()) {
                assertArrayEquals(a.upscale(img, 9, 7, 36, 28, width), b.upscale(img, 9, 7, 36, 28, width), 1e-6f);
            }
        }
    }

    @Test
    void stepsAtTheScaleLowerTheLoss() {
        AsdnConfig cfg = Fsdn.of(3).config(SOURCE);
        int n = 2;
        float[][] pair = FamilyContract.pairs(n, 24, 18, 8, 6);
        float[] lr = pair[0];
        float[] hr = pair[1];
        try (AsdnTraining tr = new AsdnTraining(cfg, 1)) {
            Map<String, float[]> zeros = Weights.zeros(cfg);
            tr.setState(Fsdn.of(3).fromAnyScale(SOURCE, anyScale(14)), zeros, zeros);
            float first = tr.evalLoss(lr, hr, n, 8, 6, 24, 18, 3, 3, 8);
            for (int t = 1; t <= 15; t++) {
                tr.step(lr, hr, n, 8, 6, 24, 18, 3, 3, 8, 2e-3, t);
            }
            float last = tr.evalLoss(lr, hr, n, 8, 6, 24, 18, 3, 3, 8);
            assertTrue(last < first, first + " -> " + last);
        }
    }
}
