package dev.lapstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lapstream.core.image.Resize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eval pipeline reproduces the published bicubic rows (skipped when ../shared is absent). */
class EvaluatorBicubicTest {

    @Test
    void bicubicRowsMatchPublished(@TempDir Path tmp) throws Exception {
        Path bench = Path.of(System.getProperty("lapstream.shared", "../shared"), "data", "bench");
        assumeTrue(Files.isDirectory(bench.resolve("Set5")) && Files.isDirectory(bench.resolve("Set14")),
                "../shared/data/bench absent: skipping the bicubic pipeline check");
        Evaluator ev = new Evaluator((lr, w, h, width) -> Resize.resize(lr, w, h), false, s -> { });
        List<Evaluator.Scale> scales = List.of(new Evaluator.Scale(2, 2), new Evaluator.Scale(3, 3),
                new Evaluator.Scale(4, 4));
        ev.evaluate(bench.resolve("Set5"), scales, new int[] {32}, tmp.resolve("crops"), 1, 64);
        ev.evaluate(bench.resolve("Set14"), scales, new int[] {32}, null, 0, 64);
        double[] pub = {33.66, 30.39, 28.42, 30.24, 27.55, 26.00};
        for (int i = 0; i < 6; i++) {
            Evaluator.Row r = ev.rows().get(i);
            assertEquals(pub[i], r.bicubicPsnr(), 0.05, r.toString());
            assertEquals(r.bicubicPsnr(), r.psnr(), 1e-9);
        }
        ev.writeCsv(tmp.resolve("r.csv"));
        ev.writeJson(tmp.resolve("r.json"), "bicubic");
        assertTrue(Files.readString(tmp.resolve("r.csv")).lines().count() == 7);
        assertTrue(Files.list(tmp.resolve("crops")).count() == 3);
    }
}
