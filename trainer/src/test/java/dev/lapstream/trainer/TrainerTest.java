package dev.lapstream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.model.AsdnConfig;
import dev.lapstream.model.Checkpoint;
import dev.lapstream.model.ModelFamily;
import dev.lapstream.model.RecursionPlanner;
import dev.lapstream.model.TrainingScales;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainerTest {

    static Path images(Path dir) throws Exception {
        Path d = dir.resolve("imgs");
        Files.createDirectories(d);
        for (int k = 0; k < 3; k++) {
            int w = 96;
            int h = 80;
            byte[] p = new byte[w * h * 3];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        p[(y * w + x) * 3 + c] = (byte) (128 + 100 * Math.sin(0.3 * x + k + c) * Math.cos(0.2 * y));
                    }
                }
            }
            Images.savePng(new RgbImage(w, h, p), d.resolve("img" + k + ".png"));
        }
        return d;
    }

    static Trainer.Options options(Path data, Path ckpt) {
        Trainer.Options o = new Trainer.Options();
        o.data = data;
        o.checkpointDir = ckpt;
        o.batch = 2;
        o.patch = 20;
        o.logEvery = 2;
        o.threads = 1;
        o.config = new AsdnConfig("asdn", 8, 4, 2, 2, 4, 2, 4, 11, 0, new int[] {4, 8});
        return o;
    }

    @Test
    void checkpointAndResumeContinueTheStepCount(@TempDir Path tmp) throws Exception {
        Path data = images(tmp);
        Path ck = tmp.resolve("ckpt");
        Trainer.Options o = options(data, ck);
        o.steps = 6;
        List<String> lines = new ArrayList<>();
        assertEquals(6, new Trainer(o, lines::add).run());
        Checkpoint c1 = Checkpoint.read(ck.resolve("ckpt.bin"));
        assertEquals(6, c1.step());
        assertTrue(Files.size(ck.resolve("ckpt.bin")) < 200_000);

        Trainer.Options o2 = options(data, ck);
        o2.steps = 4;
        o2.seed = 99; // ignored on resume: the checkpoint's seed wins
        o2.keepSnapshots = true;
        assertEquals(10, new Trainer(o2, lines::add).run());
        Checkpoint c2 = Checkpoint.read(ck.resolve("ckpt.bin"));
        assertEquals(10, c2.step());
        assertEquals(c1.seed(), c2.seed());
        assertEquals(10, Checkpoint.read(ck.resolve("snap").resolve("ckpt-10.bin")).step());
        assertTrue(Files.notExists(ck.resolve("snap").resolve("ckpt-6.bin")), "first run kept no snapshots");
        assertTrue(lines.stream().anyMatch(l -> l.contains("resuming from")), String.join("\n", lines));
        assertTrue(Files.readString(ck.resolve("train.log")).contains("step 10 loss"));
    }

    @Test
    void batchesAreAFunctionOfSeedAndStep(@TempDir Path tmp) throws Exception {
        TrainData d = TrainData.load(images(tmp), TrainingScales.lfrLevels(11).tenths(), new int[0], 1);
        BatchSampler a = new BatchSampler(d, 5, 2, 20, false, new int[] {4, 8}, 8, 0.6,
                TrainingScales.lfrLevels(11).weights(), 3.0, 0);
        BatchSampler b = new BatchSampler(d, 5, 2, 20, false, new int[] {4, 8}, 8, 0.6,
                TrainingScales.lfrLevels(11).weights(), 3.0, 0);
        for (long s : new long[] {1, 17, 123}) {
            BatchSampler.Batch x = a.make(s);
            BatchSampler.Batch y = b.make(s);
            assertEquals(x.level, y.level);
            assertEquals(x.width, y.width);
            assertArrayEquals(x.hr, y.hr);
            assertArrayEquals(x.lr, y.lr);
            assertEquals(x.hrSize, Math.round(x.lrSize * x.scale));
        }
        // Algorithm 1: the full width is drawn with probability 0.6 + 0.4 / 2
        int full = 0;
        for (long s = 1; s <= 400; s++) {
            if (a.make(s).width == 8) {
                full++;
            }
        }
        assertTrue(full > 260 && full < 380, "full-width share " + full + "/400");
    }

    @Test
    void twoPassBatchesAreX3OrX4ThroughTheEnginesTwoPasses(@TempDir Path tmp) throws Exception {
        Path data = images(tmp);
        TrainData d = TrainData.load(data, TrainingScales.lfrLevels(11).tenths(), Trainer.TWO_PASS_SCALES, 1);
        BatchSampler a = new BatchSampler(d, 5, 2, 20, false, new int[] {4, 8}, 8, 0.6,
                TrainingScales.lfrLevels(11).weights(), 3.0, 0.4);
        int twoPass = 0;
        for (long s = 1; s <= 200; s++) {
            BatchSampler.Batch b = a.make(s);
            if (b.level >= d.singlePassLevels) {
                twoPass++;
                assertTrue(b.scale == 3 || b.scale == 4, "scale " + b.scale);
                assertEquals(b.hrSize, b.lrSize * (int) b.scale);
                assertEquals(2, b.passes(RecursionPlanner.ASDN_MAX_STEP).size());
                assertEquals(b.hrSize, b.passes(RecursionPlanner.ASDN_MAX_STEP).get(1).outHeight());
            } else {
                assertEquals(1, b.passes(RecursionPlanner.ASDN_MAX_STEP).size());
            }
        }
        assertTrue(twoPass > 50 && twoPass < 110, "two-pass share " + twoPass + "/200");

        Trainer.Options o = options(data, tmp.resolve("ckpt"));
        o.steps = 4;
        o.pTwoPass = 1;
        List<String> lines = new ArrayList<>();
        assertEquals(4, new Trainer(o, lines::add).run());
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*step 4 loss 0\\.\\d+ .*\\(last: x[34]\\.0 .*")),
                String.join("\n", lines));
    }

    @ParameterizedTest
    @CsvSource({"meta-sr, meta_w2", "arbsr, arb_experts_w"})
    void oneToFourFamiliesTrainOnTheirOwnScalesInOnePassEach(String family, String outputWeight, @TempDir Path tmp)
            throws Exception {
        Path data = images(tmp);
        AsdnConfig cfg = new AsdnConfig(family, 8, 4, 2, 2, 4, 2, 4, 11, 8, new int[] {4, 8});
        TrainingScales scales = cfg.implementation().trainingScales(cfg);
        TrainData d = TrainData.load(data, scales.tenths(), new int[0], 1);
        assertEquals(30, d.singlePassLevels);
        assertEquals(1.1, d.levels[0].scale, 1e-12);
        assertEquals(4.0, d.levels[29].scale, 1e-12);
        BatchSampler a = new BatchSampler(d, 5, 2, 20, true, cfg.widths(), 8, 0.6, scales.weights(), 3.0, 0);
        java.util.Set<Double> seen = new java.util.TreeSet<>();
        for (long s = 1; s <= 300; s++) {
            BatchSampler.Batch b = a.make(s);
            seen.add(b.scale);
            assertEquals(b.lrSize * b.scale, b.hrSize, 1e-9);
            assertEquals(1, b.passes(cfg.implementation().maxStepFactor()).size(), "x" + b.scale);
        }
        assertTrue(seen.size() >= 28 && seen.contains(4.0), "scales drawn " + seen);

        Trainer.Options o = options(data, tmp.resolve("ckpt"));
        o.config = cfg;
        o.lrPatch = true;
        o.patch = 12;
        o.steps = 4;
        List<String> lines = new ArrayList<>();
        assertEquals(4, new Trainer(o, lines::add).run());
        Checkpoint c = Checkpoint.read(tmp.resolve("ckpt").resolve("ckpt.bin"));
        assertEquals(cfg, c.config());
        assertTrue(c.weights().containsKey(outputWeight) && !c.weights().containsKey("irb_w"));
    }

    @Test
    void theAsdnFamiliesKeepTheirLfrLevelsAndWeights() {
        for (String f : List.of("asdn", "asdn-lr")) {
            TrainingScales s = ModelFamily.of(f).trainingScales(AsdnConfig.lowResolution());
            assertArrayEquals(new int[] {10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, s.tenths());
            assertArrayEquals(new double[] {0.5, 1, 1, 1, 1, 1, 1, 1, 1, 1, 3}, s.weights());
        }
    }

    @Test
    void averageIsTheMeanOfTheWeightsWithTheLastCheckpointsState() {
        AsdnConfig cfg = new AsdnConfig("asdn", 8, 4, 2, 2, 4, 2, 4, 11, 0, new int[] {4, 8});
        Map<String, float[]> w1 = dev.lapstream.model.Weights.random(cfg, 1);
        Map<String, float[]> w2 = dev.lapstream.model.Weights.random(cfg, 2);
        Map<String, float[]> z = dev.lapstream.model.Weights.zeros(cfg);
        Checkpoint a = new Checkpoint(cfg, 10, 1, 5, null, w1, z, z);
        Checkpoint b = new Checkpoint(cfg, 20, 1, 9, "{}", w2, w1, w2);
        Checkpoint avg = AverageCommand.average(List.of(a, b));
        assertEquals(20, avg.step());
        assertEquals(b.m(), avg.m());
        float[] h1 = w1.get("head_w");
        float[] h2 = w2.get("head_w");
        float[] h = avg.weights().get("head_w");
        for (int i = 0; i < h.length; i++) {
            assertEquals((h1[i] + h2[i]) / 2, h[i], 1e-7f);
        }
        AsdnConfig other = new AsdnConfig("asdn", 8, 4, 3, 2, 4, 2, 4, 11, 0, new int[] {4, 8});
        Checkpoint c = new Checkpoint(other, 30, 1, 9, null, dev.lapstream.model.Weights.random(other, 3),
                dev.lapstream.model.Weights.zeros(other), dev.lapstream.model.Weights.zeros(other));
        assertThrows(IllegalArgumentException.class, () -> AverageCommand.average(List.of(a, c)));
    }

    @Test
    void learningRateSchedules() {
        Trainer.Options o = new Trainer.Options();
        o.lr = 1e-3;
        o.decaySteps = 100;
        o.decayFactor = 0.5;
        assertEquals(1e-3, Trainer.learningRate(o, 99), 1e-12);
        assertEquals(5e-4, Trainer.learningRate(o, 100), 1e-12);
        o.schedule = "cosine";
        o.totalSteps = 1000;
        o.lrMin = 0;
        assertEquals(1e-3, Trainer.learningRate(o, 0), 1e-12);
        assertEquals(5e-4, Trainer.learningRate(o, 500), 1e-9);
    }

    @Test
    void scaleParsing() {
        assertEquals(new Evaluator.Scale(2, 2), Evaluator.Scale.parse("2"));
        assertEquals(new Evaluator.Scale(1.5, 4), Evaluator.Scale.parse("1.5:4"));
        assertEquals(new Evaluator.Scale(1.5, 4), Evaluator.Scale.parse("x1.5x4"));
        assertEquals("1.5:4", Evaluator.Scale.parse("1.5:4").toString());
    }
}
