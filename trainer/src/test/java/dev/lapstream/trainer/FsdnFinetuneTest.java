package dev.lapstream.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lapstream.model.AsdnConfig;
import dev.lapstream.model.AsdnTraining;
import dev.lapstream.model.AsdnUpscaler;
import dev.lapstream.model.Checkpoint;
import dev.lapstream.model.Fsdn;
import dev.lapstream.model.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lapstream finetune}'s run: seeded from an any-scale checkpoint, trained at one scale, resumed, exported. */
class FsdnFinetuneTest {

    private static final AsdnConfig TINY = new AsdnConfig("asdn-lr", 8, 4, 2, 2, 4, 2, 4, 11, 8, new int[] {4, 8});

    private static Path anyScaleModel(Path tmp) throws Exception {
        Path dir = tmp.resolve("any");
        new Checkpoint(TINY, 1234, 7, 60, null, Weights.random(TINY, 3), null, null).write(dir.resolve("ckpt.bin"));
        return dir;
    }

    private static Trainer.Options options(Path data, Path ckpt, long steps) {
        Trainer.Options o = new Trainer.Options();
        o.data = data;
        o.checkpointDir = ckpt;
        o.steps = steps;
        o.batch = 2;
        o.patch = 12;
        o.lrPatch = true;
        o.lr = 2e-3;
        o.schedule = "constant";
        o.logEvery = 5;
        o.threads = 1;
        return o;
    }

    @Test
    void stepsAtTheScaleLowerTheLossResumeAndExport(@TempDir Path tmp) throws Exception {
        Path data = TrainerTest.images(tmp);
        Path model = anyScaleModel(tmp);
        Path ckpt = tmp.resolve("run");
        Path out = tmp.resolve("fsdn");
        Fsdn family = Fsdn.of(2);
        List<String> lines = new ArrayList<>();
        assertEquals(30, FsdnFinetune.run(options(data, ckpt, 30), family, model, out, lines::add));

        // the seed checkpoint's FMB is the source's, exactly; the run trained only x2 batches
        Checkpoint seed = Checkpoint.read(ckpt.resolve("ckpt.bin.prev"));
        assertEquals(0, seed.step());
        assertArrayEquals(Weights.random(TINY, 3).get("b1_l0_w"), seed.weights().get("b1_l0_w"));
        assertTrue(lines.stream().filter(l -> l.contains(" loss ")).allMatch(l -> l.contains("(last: x2.0")),
                String.join("\n", lines));

        // a fixed batch of the data at x2: the fine-tuned weights have a lower loss than the seed
        Checkpoint done = Checkpoint.read(out.resolve("ckpt.bin"));
        assertEquals(30, done.step());
        TrainData d = TrainData.load(data, new int[] {20}, new int[0], 1);
        BatchSampler.Batch b = new BatchSampler(d, 5, 4, 12, true, new int[] {8}, 8, 1, new double[] {1}, 0, 0).make(1);
        try (AsdnTraining tr = new AsdnTraining(done.config(), 1)) {
            tr.setState(seed.weights(), null, null);
            float before = tr.evalLoss(b.lr, b.hr, b.n, b.lrSize, b.lrSize, b.hrSize, b.hrSize, 2, 2, 8);
            tr.setState(done.weights(), null, null);
            float after = tr.evalLoss(b.lr, b.hr, b.n, b.lrSize, b.lrSize, b.hrSize, b.hrSize, 2, 2, 8);
            assertTrue(after < before, before + " -> " + after);
        }

        // exported: the engine serves it at x2
        assertTrue(Files.exists(out.resolve("saved_model.pb")));
        try (AsdnUpscaler up = new AsdnUpscaler(out, 1)) {
            assertEquals("fsdn-x2", up.config().family());
            assertEquals(10 * 8 * 3, up.upscale(new float[5 * 4 * 3], 5, 4, 10, 8, 8).length);
        }

        // a second run resumes the step count; another scale in the same directory is refused
        assertEquals(34, FsdnFinetune.run(options(data, ckpt, 4), family, model, out, lines::add));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FsdnFinetune.run(options(data, ckpt, 4), Fsdn.of(3), model, out, lines::add));
        assertTrue(e.getMessage().contains("holds a fsdn-x2 run"), e.getMessage());
    }

    @Test
    void aModelWithoutACheckpointIsNamed(@TempDir Path tmp) {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> FsdnFinetune.source(tmp.resolve("nothing")));
        assertTrue(none.getMessage().startsWith("no checkpoint at " + tmp.resolve("nothing")), none.getMessage());
    }
}
