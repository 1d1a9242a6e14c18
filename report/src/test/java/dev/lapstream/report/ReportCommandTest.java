package dev.lapstream.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.quality.Protocol;
import dev.lapstream.core.quality.Quality;
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.model.AsdnConfig;
import dev.lapstream.model.AsdnUpscaler;
import dev.lapstream.model.InferenceGraph;
import dev.lapstream.model.Weights;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code report --quick} end to end: on synthetic images always, on Set5 when ../shared is present. */
class ReportCommandTest {

    /** Tiny configs of the two families: C 8, G 4, one DAB of two layers, widths 4 and 8. */
    private static final AsdnConfig LR = new AsdnConfig("asdn-lr", 8, 4, 1, 2, 4, 2, 4, 11, 4, new int[] {4, 8});
    private static final AsdnConfig PRE = new AsdnConfig("asdn", 8, 4, 1, 2, 4, 2, 4, 11, 0, new int[] {4, 8});

    private static int run(String... args) {
        return new CommandLine(new ReportCommand()).execute(args);
    }

    /** The report as a subcommand, the way {@code lapstream report} runs it. */
    @CommandLine.Command(name = "lapstream", subcommands = ReportCommand.class)
    static final class Top {
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

    /** Two synthetic images in {@code <tmp>/data/Syn}; returns them in file order. */
    private static List<RgbImage> syntheticSet(Path tmp) throws Exception {
        List<RgbImage> imgs = List.of(synthetic(72, 60, 0), synthetic(60, 72, 5));
        Path set = tmp.resolve("data").resolve("Syn");
        Images.savePng(imgs.get(0), set.resolve("a.png"));
        Images.savePng(imgs.get(1), set.resolve("b.png"));
        return imgs;
    }

    /** Mean PSNR of {@code up} over the images at symmetric {@code scale}, computed the protocol's way. */
    private static double meanPsnr(List<RgbImage> imgs, double scale, Function<RgbImage[], RgbImage> up) {
        double sum = 0;
        for (RgbImage img : imgs) {
            RgbImage hr = Protocol.cropHr(img, scale, scale);
            RgbImage lr = Protocol.degrade(hr, scale, scale);
            sum += Quality.psnrY(up.apply(new RgbImage[] {lr, hr}), hr, Protocol.shave(scale, scale), false);
        }
        return sum / imgs.size();
    }

    private static double bicubicPsnr(List<RgbImage> imgs, double scale) {
        Upscaler bic = new BicubicUpscaler();
        return meanPsnr(imgs, scale, p -> bic.upscale(p[0], p[1].width(), p[1].height()));
    }

    private static JsonNode curve(JsonNode report, String set, String method) {
        for (JsonNode s : report.at("/sweep/sets")) {
            if (s.get("set").asText().equals(set)) {
                for (JsonNode c : s.get("curves")) {
                    if (c.get("method").asText().equals(method)) {
                        return c;
                    }
                }
            }
        }
        throw new AssertionError("no sweep curve " + set + "/" + method);
    }

    private static double sweepPsnr(JsonNode report, String set, String method, double scale) {
        for (JsonNode p : curve(report, set, method).get("points")) {
            if (p.get("scale").asDouble() == scale) {
                return p.at("/score/psnr").asDouble();
            }
        }
        throw new AssertionError("no point " + set + "/" + method + " x" + scale);
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    @Test
    void bicubicRowsAreTheProtocolsBicubicOfTheSyntheticSet(@TempDir Path tmp) throws Exception {
        List<RgbImage> imgs = syntheticSet(tmp);
        Path out = tmp.resolve("out");
        int rc = new CommandLine(new Top()).execute("report", "--quick", "--data", tmp.resolve("data").toString(),
                "--sets", "Syn", "--peers", tmp.resolve("no-peers").toString(), "--video-frames", "0", "--out",
                out.toString());
        assertThat(rc).isZero();
        assertThat(Files.readString(out.resolve("report.md"))).as("the command line, once")
                .contains("This run: `lapstream report --quick --data ");
        for (String f : new String[] {"report.md", "report.json", "psnr_Syn.png", "ssim_Syn.png", "speed.png"}) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
        JsonNode j = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        // the report rounds means to 3 digits
        for (double s : new double[] {1.5, 2.0, 3.0, 4.0}) {
            assertThat(sweepPsnr(j, "Syn", "bicubic", s)).as("bicubic x" + s).isCloseTo(bicubicPsnr(imgs, s), within(6e-4));
        }
        assertThat(Files.readString(out.resolve("report.md"))).contains("lapstream rows are absent");
    }

    @Test
    void twoModelsOfDifferentFamiliesEachGetTheirRowsSpeedsAndPoints(@TempDir Path tmp) throws Exception {
        List<RgbImage> imgs = syntheticSet(tmp);
        Path lrDir = tmp.resolve("models").resolve("asdn-lr");
        Path preDir = tmp.resolve("models").resolve("asdn");
        InferenceGraph.export(LR, Weights.random(LR, 1), lrDir);
        InferenceGraph.export(PRE, Weights.random(PRE, 2), preDir);
        Path out = tmp.resolve("out");
        int rc = run("--quick", "--data", tmp.resolve("data").toString(), "--sets", "Syn",
                "--peers", tmp.resolve("no-peers").toString(), "--video-frames", "0",
                "--model", lrDir.toString(), "--model", preDir.toString(), "--out", out.toString());
        assertThat(rc).isZero();
        JsonNode j = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(texts(j.get("models"), "label")).containsExactly("asdn-lr", "asdn");
        assertThat(j.at("/models/0/config/family").asText()).isEqualTo("asdn-lr");
        List<String> lap = List.of("asdn-lr-w4", "asdn-lr-w8", "asdn-w4", "asdn-w8");

        // each row is its own model at its own width: recompute two of them outside the report
        try (AsdnUpscaler lrNet = new AsdnUpscaler(lrDir, 0); AsdnUpscaler preNet = new AsdnUpscaler(preDir, 0)) {
            double lr8 = meanPsnr(imgs, 2.0, p -> lrNet.upscale(p[0], p[1].width(), p[1].height(), 8));
            double pre4 = meanPsnr(imgs, 3.0, p -> preNet.upscale(p[0], p[1].width(), p[1].height(), 4));
            assertThat(sweepPsnr(j, "Syn", "asdn-lr-w8", 2.0)).isCloseTo(lr8, within(6e-4));
            assertThat(sweepPsnr(j, "Syn", "asdn-w4", 3.0)).isCloseTo(pre4, within(6e-4));
        }

        // x2 and x4 speed rows for every method; the low-resolution family's cost depends on the scale
        for (int s : new int[] {2, 4}) {
            List<String> timed = new ArrayList<>();
            for (JsonNode sp : j.get("speed")) {
                if (sp.get("scale").asInt() == s) {
                    timed.add(sp.get("method").asText());
                    assertThat(sp.get("outW").asInt()).isEqualTo(sp.get("inW").asInt() * s);
                    assertThat(sp.get("outputMpPerSecond").asDouble()).isPositive();
                    String m = sp.get("method").asText();
                    if (m.startsWith("asdn-lr-w")) {
                        int w = Integer.parseInt(m.substring("asdn-lr-w".length()));
                        assertThat(sp.get("macsPerOutputPixel").asDouble())
                                .isEqualTo((double) Math.round(LR.macsPerOutputPixel(w, s, s)));
                    }
                }
            }
            List<String> want = new ArrayList<>(List.of("bicubic", "lanczos3"));
            want.addAll(lap);
            assertThat(timed).as("x" + s).containsExactlyElementsOf(want);
        }
        assertThat(LR.macsPerOutputPixel(8, 4, 4)).isNotEqualTo(LR.macsPerOutputPixel(8, 2, 2));

        // the ratio table: the first model against itself is 1, the second its own MP/s over the first's
        JsonNode ratios = j.get("speedRatios");
        assertThat(ratios).hasSize(4);
        for (int i = 0; i < 4; i += 2) {
            JsonNode first = ratios.get(i);
            JsonNode second = ratios.get(i + 1);
            assertThat(texts(j.get("speedRatios"), "method").subList(i, i + 2)).containsExactly("asdn-lr-w8", "asdn-w8");
            assertThat(first.get("versusFirst").asDouble()).isEqualTo(1.0);
            assertThat(second.get("versusFirst").asDouble()).isCloseTo(second.get("outputMpPerSecond").asDouble()
                    / first.get("outputMpPerSecond").asDouble(), within(0.006));
            assertThat(first.get("narrowest").asText()).isEqualTo("asdn-lr-w4");
            int s = first.get("scale").asInt();
            assertThat(first.get("narrowestPsnrLoss").asDouble()).isCloseTo(sweepPsnr(j, "Syn", "asdn-lr-w8", s)
                    - sweepPsnr(j, "Syn", "asdn-lr-w4", s), within(1e-6));
        }

        // the PSNR-versus-speed picture: one per scale, every method and width a point
        for (int i = 0; i < 2; i++) {
            JsonNode t = j.at("/tradeoff/" + i);
            assertThat(t.get("scale").asInt()).isEqualTo(i == 0 ? 2 : 4);
            assertThat(out.resolve(t.get("png").asText())).isNotEmptyFile();
            assertThat(texts(t.get("points"), "method")).containsAll(lap).contains("bicubic", "lanczos3");
        }
        assertThat(out.resolve("psnr_vs_speed_x2.png")).isNotEmptyFile();
        assertThat(out.resolve("psnr_vs_speed_x4.png")).isNotEmptyFile();

        String md = Files.readString(out.resolve("report.md"));
        for (String m : lap) {
            assertThat(md).contains("| " + m + " | x2 | 320x240 | 640x480 |", "| " + m + " | x4 | 320x240 | 1280x960 |");
        }
        assertThat(md).contains("### asdn-lr-w8", "### asdn-w8", "× first model", "![PSNR versus speed x4]")
                .doesNotContain("lapstream rows are absent");
    }

    @Test
    void twoModelFoldersWithOneNameAreRefused(@TempDir Path tmp) throws Exception {
        syntheticSet(tmp);
        Path a = tmp.resolve("a").resolve("asdn");
        Path b = tmp.resolve("b").resolve("asdn");
        InferenceGraph.export(PRE, Weights.random(PRE, 3), a);
        InferenceGraph.export(PRE, Weights.random(PRE, 4), b);
        int rc = run("--quick", "--data", tmp.resolve("data").toString(), "--sets", "Syn", "--video-frames", "0",
                "--peers", tmp.resolve("no-peers").toString(), "--model", a.toString(), "--model", b.toString(),
                "--out", tmp.resolve("out").toString());
        assertThat(rc).isNotZero();
        assertThat(tmp.resolve("out").resolve("report.md")).doesNotExist();
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
        assertThat(sweepPsnr(j, "Set5", "bicubic", 2.0)).isCloseTo(33.66, within(0.05));
        assertThat(sweepPsnr(j, "Set5", "bicubic", 4.0)).isCloseTo(28.42, within(0.05));
        if (Files.isDirectory(shared.resolve("peers/opencv-dnn-superres"))) {
            // ESPCN x2 on its own (plain cubic) degradation lands near DESIGN.md's 35.9
            JsonNode espcn = null;
            for (JsonNode r : j.get("integerScales")) {
                if (r.get("set").asText().equals("Set5") && r.get("method").asText().equals("ESPCN")
                        && r.get("scale").asInt() == 2) {
                    espcn = r;
                }
            }
            assertThat(espcn).isNotNull();
            assertThat(espcn.at("/cubic/psnr").asDouble()).isBetween(35.6, 36.2);
        }
        assertThat(j.get("checks")).isNotEmpty();
        for (JsonNode c : j.get("checks")) {
            assertThat(c.get("pass").asBoolean()).as(c.toString()).isTrue();
        }
        assertThat(out.resolve("video_psnr.png")).isNotEmptyFile();
        assertThat(out.resolve("crop_butterfly_x4.png")).isNotEmptyFile();
    }
}
