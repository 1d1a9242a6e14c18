package dev.lapstream.trainer;

import dev.lapstream.model.AsdnUpscaler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lapstream eval}: PSNR/SSIM of the model and bicubic on benchmark folders. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate an ASDN model (SavedModel dir or ckpt.bin) against bicubic: PSNR/SSIM on Y.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "SavedModel directory or training checkpoint (.bin).")
    Path model;

    @Option(names = "--data", required = true, split = ",",
            description = "One or more folders of HR images (e.g. ../shared/data/bench/Set5).")
    List<Path> data;

    @Option(names = "--scales", split = ",", defaultValue = "2,3,4",
            description = "Scales: 2, 2.5, or asymmetric H:W such as 1.5:4 (default: ${DEFAULT-VALUE}).")
    List<String> scales;

    @Option(names = "--width", split = ",", description = "Subnet widths (default: the model's full width).")
    int[] widths;

    @Option(names = "--out", defaultValue = "eval-out", description = "Folder for results.csv, results.json, crops/.")
    Path out;

    @Option(names = "--crops", defaultValue = "1", description = "Side-by-side crops per dataset/scale/width.")
    int crops;

    @Option(names = "--crop-size", defaultValue = "160") int cropSize;

    @Option(names = "--no-ssim", description = "Skip SSIM (faster).") boolean noSsim;

    @Option(names = "--threads", defaultValue = "0", description = "TensorFlow intra-op threads (0 = default).")
    int threads;

    @Override
    public Integer call() throws Exception {
        List<Evaluator.Scale> sc = new ArrayList<>();
        for (String s : scales) {
            sc.add(Evaluator.Scale.parse(s));
        }
        try (AsdnUpscaler up = ModelLoader.open(model, threads)) {
            int[] ws = widths != null ? widths : new int[] {up.config().channels()};
            Evaluator ev = new Evaluator(up, !noSsim, System.out::println);
            System.out.println(Evaluator.header());
            for (Path d : data) {
                ev.evaluate(d, sc, ws, crops > 0 ? out.resolve("crops") : null, crops, cropSize);
            }
            ev.writeCsv(out.resolve("results.csv"));
            ev.writeJson(out.resolve("results.json"), model.toString());
            System.out.println("wrote " + out.resolve("results.csv") + ", " + out.resolve("results.json")
                    + (crops > 0 ? " and " + out.resolve("crops") : ""));
        }
        return 0;
    }
}
