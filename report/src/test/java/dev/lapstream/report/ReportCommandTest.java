package dev.lapstream.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code report --quick} end to end: on synthetic images always, on Set5 when ../shared is present. */
class ReportCommandTest {

    private static int run(String... args) {
        return new CommandLine(new ReportCommand()).execute(args);
    }

    /** A smooth pattern with some texture, so every method gives a finite PSNR. */
    private static RgbImage synthetic(int w, int h, int seed) {
        byte[] p = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 128 + 60 * Math.sin((x + seed) * 0.21 + c) * Math.cos(y * 0.17 - c) + 30 * Math.sin(x * y * 0.003);
                    p[(y * w + x) * 3 + c] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
                }
            }
        }
        return new RgbImage(w, h, p);
    }

    @Test
    void quickReportOnSyntheticImages(@TempDir Path tmp) throws Exception {
        Path set = tmp.resolve("data").resolve("Syn");
        Images.savePng(synthetic(72, 60, 0), set.resolve("a.png"));
        Images.savePng(synthetic(60, 72, 5), set.resolve("b.png"));
        Path out = tmp.resolve("out");
        int rc = run("--quick", "--data", tmp.resolve("data").toString(), "--sets", "Syn",
                "--peers", tmp.resolve("no-peers").toString(), "--video-frames", "0", "--out", out.toString());
        assertThat(rc).isZero();
        for (String f : new String[] {"report.md", "report.json", "psnr_Syn.png", "ssim_Syn.png", "speed.png"}) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
        JsonNode j = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        double bic = j.at("/sweep/Syn/bicubic/2.0/psnr").asDouble();
        assertThat(bic).isBetween(15.0, 60.0);
        assertThat(Files.readString(out.resolve("report.md"))).contains("lapstream rows are absent");
    }

    @Test
    void quickReportOnSet5MatchesPublishedBicubic(@TempDir Path tmp) throws Exception {
        Path shared = ReportCommand.sharedDir();
        assumeTrue(Files.isDirectory(shared.resolve("data/bench/Set5")),
                "../shared absent (" + shared + "): skipping the Set5 report check");
        Path out = tmp.resolve("out");
        int rc = run("--quick", "--video-frames", "2", "--out", out.toString());
        assertThat(rc).isZero();
        JsonNode j = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(j.at("/sweep/Set5/bicubic/2.0/psnr").asDouble()).isCloseTo(33.66, org.assertj.core.data.Offset.offset(0.05));
        assertThat(j.at("/sweep/Set5/bicubic/4.0/psnr").asDouble()).isCloseTo(28.42, org.assertj.core.data.Offset.offset(0.05));
        if (Files.isDirectory(shared.resolve("peers/opencv-dnn-superres"))) {
            // ESPCN x2 on its own (plain cubic) degradation lands near DESIGN.md's 35.9
            assertThat(j.at("/integerScales/Set5/ESPCN/x2/cubic/psnr").asDouble()).isBetween(35.6, 36.2);
        }
        for (JsonNode c : j.get("checks")) {
            assertThat(c.get("pass").asBoolean()).as(c.toString()).isTrue();
        }
        assertThat(out.resolve("video_psnr.png")).isNotEmptyFile();
        assertThat(out.resolve("crop_butterfly_x4.png")).isNotEmptyFile();
    }
}
