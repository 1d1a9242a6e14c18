package dev.lapstream.trainer;

import dev.lapstream.model.AsdnUpscaler;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lapstream widths}: inference time per candidate subnet width, including widths the model
 * does not ship (the numbers behind the choice of subnet channel counts).
 */
@Command(name = "widths", mixinStandardHelpOptions = true,
        description = "Time ASDN inference per subnet width (any channel count up to the full width) on a random frame.")
public final class WidthsCommand implements Callable<Integer> {

    @Option(names = "--model", required = true) Path model;
    @Option(names = "--in", defaultValue = "384x288", description = "Input WxH.") String in;
    @Option(names = "--scale", defaultValue = "2") double scale;
    @Option(names = "--width", split = ",",
            description = "Channel counts to time (default: the model's subnet widths).") int[] widths;
    @Option(names = "--repeat", defaultValue = "3") int repeat;
    @Option(names = "--threads", defaultValue = "0") int threads;

    @Override
    public Integer call() throws Exception {
        String[] p = in.toLowerCase(Locale.ROOT).split("x");
        int w = Integer.parseInt(p[0]);
        int h = Integer.parseInt(p[1]);
        int ow = (int) Math.round(w * scale);
        int oh = (int) Math.round(h * scale);
        float[] img = new float[w * h * 3];
        Random r = new Random(1);
        for (int i = 0; i < img.length; i++) {
            img[i] = r.nextFloat();
        }
        try (AsdnUpscaler up = ModelLoader.open(model, threads)) {
            System.out.printf(Locale.ROOT, "%dx%d -> %dx%d%n", w, h, ow, oh);
            Map<Integer, Double> ms = new LinkedHashMap<>();
            int[] candidates = widths != null ? widths : up.widths().stream().mapToInt(Integer::intValue).toArray();
            for (int wd : candidates) {
                up.upscale(img, h, w, oh, ow, wd); // warm-up (graph specialisation for the shapes)
                double best = Double.MAX_VALUE;
                for (int k = 0; k < repeat; k++) {
                    long t0 = System.nanoTime();
                    up.upscale(img, h, w, oh, ow, wd);
                    best = Math.min(best, (System.nanoTime() - t0) / 1e6);
                }
                ms.put(wd, best);
                System.out.printf(Locale.ROOT, "width %2d: %8.1f ms  MACs/px %7.0f%n", wd, best,
                        up.config().macsPerOutputPixel(wd, (double) oh / h, (double) ow / w));
            }
            Double full = ms.get(up.config().channels());
            if (full != null) {
                ms.forEach((wd, t) -> System.out.printf(Locale.ROOT, "width %2d: %.2fx the speed of full width%n",
                        wd, full / t));
            }
        }
        return 0;
    }
}
