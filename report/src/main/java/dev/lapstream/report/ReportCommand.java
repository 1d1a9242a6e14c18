package dev.lapstream.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lapstream report}: the side-by-side benchmark report (Markdown + PNG plots + JSON). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Benchmarks lapstream against bicubic, Lanczos-3 and the OpenCV dnn_superres peers "
                + "(PSNR/SSIM on Y vs scale, both degradations, speed at x2 and x4, PSNR versus speed, asymmetric scales, crops, video) and "
                + "writes report.md, report.json and PNG plots."})
public final class ReportCommand implements Callable<Integer> {

    @Option(names = "--data", description = "Folder holding the benchmark sets (default: <shared>/data/bench).")
    Path data;

    @Option(names = "--sets", split = ",", description = "Sets to evaluate (default: Set5,Set14; --quick: Set5).")
    List<String> sets;

    @Option(names = "--peers", description = "Folder of the OpenCV dnn_superres *.pb peers "
            + "(default: <shared>/peers/opencv-dnn-superres when present).")
    Path peers;

    @Option(names = "--model", description = "lapstream SavedModel folder (repeatable: one row per model and width, "
            + "named after the folder, e.g. asdn-lr-w64; speed ratios are against the first); without it lapstream "
            + "rows are absent.")
    List<Path> models = new ArrayList<>();

    @Option(names = "--video", description = "Clip whose frames serve as HR for the video section "
            + "(default: <data>/../video/vtest.avi when present).")
    Path video;

    @Option(names = "--video-frames", description = "Frames of the clip to use (default: 40; --quick: 3; 0 skips).")
    Integer videoFrames;

    @Option(names = "--scales", split = ",", description = "Symmetric scales of the sweep "
            + "(default: 1.1 ... 4.0 in steps of 0.1, and 8; --quick: 1.5,2,3,4). Peers run at 2, 3, 4, 8 regardless.")
    List<Double> scales;

    @Option(names = "--model-scales", split = ",", description = "Run the lapstream models only at these sweep "
            + "scales (their inference dominates the run time); the baselines still run at every scale.")
    List<Double> modelScales;

    @Option(names = "--max-images", defaultValue = "0", description = "Use at most this many images per set (0 = all).")
    int maxImages;

    @Option(names = "--out", defaultValue = "docs", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quick", description = "Fewer scales, Set5 only, ESPCN peers only, short timings.")
    boolean quick;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path shared = sharedDir();
        Path d = data != null ? data : shared.resolve("data").resolve("bench");
        Path p = peers;
        if (p == null) {
            Path def = shared.resolve("peers").resolve("opencv-dnn-superres");
            p = Files.isDirectory(def) ? def : null;
        }
        Path v = video;
        if (v == null) {
            Path def = d.resolve("..").resolve("video").resolve("vtest.avi").normalize();
            v = Files.isRegularFile(def) ? def : null;
        }
        List<String> s = sets != null ? sets : quick ? List.of("Set5") : List.of("Set5", "Set14");
        int frames = videoFrames != null ? videoFrames : quick ? 3 : 40;
        ReportConfig cfg = new ReportConfig(d, s, p, List.copyOf(models), v, out, quick, maxImages, frames, scales, modelScales, commandLine());
        ReportRunner.run(cfg);
        return 0;
    }

    /** The command as typed (every option, as picocli parsed it), recorded in the report. */
    private String commandLine() {
        List<String> parts = new ArrayList<>();
        parts.add("lapstream report");
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        // under `lapstream`, picocli hands the subcommand the whole command line, its own name included
        int own = spec.parent() != null ? args.indexOf(spec.name()) : -1;
        parts.addAll(args.subList(own + 1, args.size()));
        return String.join(" ", parts);
    }

    /** {@code -Dlapstream.shared}, else {@code <lapstream.root or cwd>/../shared}. */
    static Path sharedDir() {
        String s = System.getProperty("lapstream.shared");
        if (s != null) {
            return Path.of(s);
        }
        return Path.of(System.getProperty("lapstream.root", ".")).resolve("..").resolve("shared").normalize();
    }

    /** Standalone entry point (the cli module registers this command as {@code lapstream report}). */
    public static void main(String[] argv) {
        System.exit(new CommandLine(new ReportCommand()).execute(argv));
    }
}
