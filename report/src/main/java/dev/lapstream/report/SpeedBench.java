package dev.lapstream.report;

import dev.lapstream.core.image.Resize;
import dev.lapstream.core.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The timing harness: median wall time per frame after warm-up, for each method at each case it serves. */
final class SpeedBench {

    private static final Logger LOG = LoggerFactory.getLogger(SpeedBench.class);

    /** One timed input size and symmetric integer scale. */
    record Case(int inW, int inH, int scale) {
    }

    /** {@code macsPerOutputPixel} is null where it is not counted (the baselines). */
    record Speed(String method, Method.Kind kind, String group, int scale, int inW, int inH, int outW, int outH,
                 int runs, double msPerFrame, double outputMpPerSecond, Double macsPerOutputPixel) {
    }

    private SpeedBench() {
    }

    /** x2 from 320x240 (as always), x2 and x4 from 640x480; {@code --quick} times both scales from 320x240 only. */
    static List<Case> cases(boolean quick) {
        return quick ? List.of(new Case(320, 240, 2), new Case(320, 240, 4))
                : List.of(new Case(320, 240, 2), new Case(640, 480, 2), new Case(640, 480, 4));
    }

    static List<Speed> run(ReportConfig cfg, RgbImage source, MethodSet methods) {
        List<Method> all = new ArrayList<>(methods.arbitrary());
        all.addAll(methods.peers());
        List<Speed> out = new ArrayList<>();
        for (Case c : cases(cfg.quick())) {
            RgbImage in = Resize.resize(source, c.inW(), c.inH());
            for (Method m : all) {
                if (m.serves(c.scale())) {
                    out.add(time(m, in, c, cfg.quick()));
                }
            }
        }
        return out;
    }

    private static Speed time(Method m, RgbImage in, Case c, boolean quick) {
        int ow = c.inW() * c.scale();
        int oh = c.inH() * c.scale();
        // the resamplers' first runs pay for class loading and JIT; a network's first run for its graph
        int warm = m.kind() == Method.Kind.BASELINE ? 2 : 1;
        for (int i = 0; i < warm; i++) {
            m.upscale(in, ow, oh);
        }
        double minSeconds = quick ? 0.2 : 2.0;
        int minRuns = quick ? 1 : 3;
        List<Double> ms = new ArrayList<>();
        long start = System.nanoTime();
        while (true) {
            long t = System.nanoTime();
            m.upscale(in, ow, oh);
            ms.add((System.nanoTime() - t) / 1e6);
            double elapsed = (System.nanoTime() - start) / 1e9;
            // enough runs for a median, but a slow network need not repeat for minutes
            if ((ms.size() >= minRuns && elapsed >= minSeconds) || elapsed >= 30 || ms.size() >= 50) {
                break;
            }
        }
        double med = median(ms);
        double macs = m.cost().macsPerOutputPixel(c.scale(), c.scale());
        Speed sp = new Speed(m.name(), m.kind(), m.group(), c.scale(), c.inW(), c.inH(), ow, oh, ms.size(),
                Score.round(med, 2), Score.round(ow * (double) oh / 1e6 / (med / 1000), 3),
                Double.isNaN(macs) ? null : (double) Math.round(macs));
        LOG.info("speed {} x{} {}x{} -> {}x{}: {} ms/frame, {} MP/s ({} runs)", m.name(), c.scale(), c.inW(), c.inH(),
                ow, oh, sp.msPerFrame(), sp.outputMpPerSecond(), ms.size());
        return sp;
    }

    /** The widest input timed at {@code scale}, 0 if none: the picture and the ratios use it. */
    static int widestInput(List<Speed> speed, int scale) {
        return speed.stream().filter(x -> x.scale() == scale).mapToInt(Speed::inW).max().orElse(0);
    }

    /** The row of {@code method} at the case, or null. */
    static Speed find(List<Speed> speed, String method, int scale, int inW) {
        return speed.stream().filter(x -> x.method().equals(method) && x.scale() == scale && x.inW() == inW)
                .findFirst().orElse(null);
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
