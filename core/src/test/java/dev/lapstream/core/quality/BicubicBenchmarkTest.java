package dev.lapstream.core.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.Resize;
import dev.lapstream.core.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evaluation pipeline reproduces the published bicubic rows (skipped without ../shared). */
class BicubicBenchmarkTest {

    static Path bench() {
        String shared = System.getProperty("lapstream.shared", "../shared");
        Path p = Path.of(shared, "data", "bench");
        assumeTrue(Files.isDirectory(p.resolve("Set5")), "../shared/data/bench absent: skipping benchmark check (" + p + ")");
        return p;
    }

    static double bicubicPsnr(Path dir, int s) {
        List<Path> files = Images.list(dir);
        double sum = 0;
        for (Path f : files) {
            RgbImage hr = Protocol.cropHr(Images.load(f), s, s);
            RgbImage lr = Protocol.degrade(hr, s, s);
            RgbImage up = Resize.resize(lr, hr.width(), hr.height());
            sum += Quality.psnrY(up, hr, s, Images.isGreyFile(f));
        }
        return sum / files.size();
    }

    @Test
    void set5MatchesPublishedBicubic() {
        Path b = bench();
        double[] ref = {33.66, 30.39, 28.42};
        for (int s = 2; s <= 4; s++) {
            double p = bicubicPsnr(b.resolve("Set5"), s);
            System.out.printf("Set5 x%d bicubic %.3f dB (published %.2f)%n", s, p, ref[s - 2]);
            assertEquals(ref[s - 2], p, 0.05, "Set5 x" + s);
        }
    }

    @Test
    void set14MatchesPublishedBicubic() {
        Path b = bench();
        double[] ref = {30.24, 27.55, 26.00};
        for (int s = 2; s <= 4; s++) {
            double p = bicubicPsnr(b.resolve("Set14"), s);
            System.out.printf("Set14 x%d bicubic %.3f dB (published %.2f)%n", s, p, ref[s - 2]);
            assertEquals(ref[s - 2], p, 0.05, "Set14 x" + s);
        }
    }
}
