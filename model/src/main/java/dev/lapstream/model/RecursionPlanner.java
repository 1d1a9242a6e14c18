package dev.lapstream.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive deployment for factors above 2 (ASDN Eq. 5-6), generalised to asymmetric pairs.
 *
 * <p>Rule for a target (R_h, R_w), both >= 1 (an axis below 1 is served at 1 by the network and
 * finished by bicubic downscaling in the engine):
 * <ul>
 * <li>N = max(1, ceil(log2 max(R_h, R_w))) network passes (Eq. 5);</li>
 * <li>the larger axis R takes r_n = R^(1/N) in every pass ({@link Split#EVEN}, the engine's default),
 * or, as in the paper (Eq. 6, {@link Split#PAPER}), r_n = 2 for n < N and r_N = R / 2^(N-1). Chosen on
 * the validation set: the even split gained 0.01-0.05 dB at x2.5, x2.8, x3, x3.5 and x6 (identical at
 * powers of two; model/README.md);</li>
 * <li>the smaller axis S takes r'_n = S^(log r_n / log R) for every pass (its total log-factor is
 * spread in proportion to the larger axis's, so every pass stays in [1, 2] and both axes finish
 * together); when R = 1 both are 1;</li>
 * <li>each pass uses the LFR level of its larger step factor ({@link Lfr#level(double, double)});
 * both step factors enter the channel attention MLPs.</li>
 * </ul>
 * Sizes: pass n outputs round(size_{n-1} * r_n) except the last, which outputs the exact
 * requested size.
 */
public final class RecursionPlanner {

    private RecursionPlanner() {
    }

    /** How the larger axis's factor is divided among the passes. */
    public enum Split {
        /** R^(1/N) per pass. */
        EVEN,
        /** 2, ..., 2, R / 2^(N-1): ASDN Eq. 6. */
        PAPER,
        /**
         * R / 2^(N-1), 2, ..., 2: Eq. 6's factors, smallest first. For a network whose FMB runs at the pass's input
         * size this is the cheapest order (each later pass starts from the smallest image the plan allows).
         */
        SMALL_FIRST
    }

    /**
     * The engine's split: {@link Split#EVEN}, or another with {@code -Dlapstream.asdn.recursion=paper|small_first}.
     */
    public static final Split DEFAULT = Split.valueOf(System.getProperty("lapstream.asdn.recursion", "even")
            .toUpperCase(java.util.Locale.ROOT));

    /** One network pass: step factors and output size. */
    public record Step(double scaleH, double scaleW, int outHeight, int outWidth) {
        public Lfr.Level level() {
            return Lfr.level(scaleH, scaleW);
        }
    }

    /** Passes for factors (rh, rw) with the {@link #DEFAULT} split, ignoring sizes. */
    public static List<double[]> factors(double rh, double rw) {
        return factors(rh, rw, DEFAULT);
    }

    /** Passes for factors (rh, rw), ignoring sizes. */
    public static List<double[]> factors(double rh, double rw, Split split) {
        double eh = Math.max(1.0, rh);
        double ew = Math.max(1.0, rw);
        double big = Math.max(eh, ew);
        int n = Math.max(1, (int) Math.ceil(log2(big) - 1e-9));
        List<double[]> out = new ArrayList<>();
        double even = Math.pow(big, 1.0 / n);
        double lastBig = big / Math.pow(2, n - 1);
        for (int k = 0; k < n; k++) {
            double rb = switch (split) {
                case EVEN -> even;
                case PAPER -> k < n - 1 ? 2.0 : lastBig;
                case SMALL_FIRST -> k == 0 ? lastBig : 2.0;
            };
            double sh = eh == big ? rb : spread(eh, rb, big);
            double sw = ew == big ? rb : spread(ew, rb, big);
            out.add(new double[] {sh, sw});
        }
        return out;
    }

    private static double spread(double small, double stepBig, double big) {
        if (big <= 1.0 + 1e-12) {
            return 1.0;
        }
        return Math.pow(small, Math.log(stepBig) / Math.log(big));
    }

    /** Passes taking an (inH x inW) image to exactly (outH x outW) with the {@link #DEFAULT} split. */
    public static List<Step> plan(int inH, int inW, int outH, int outW) {
        return plan(inH, inW, outH, outW, DEFAULT);
    }

    /** Passes taking an (inH x inW) image to exactly (outH x outW) (each side >= input side). */
    public static List<Step> plan(int inH, int inW, int outH, int outW, Split split) {
        double rh = Math.max(1.0, (double) outH / inH);
        double rw = Math.max(1.0, (double) outW / inW);
        List<double[]> f = factors(rh, rw, split);
        List<Step> steps = new ArrayList<>();
        double h = inH;
        double w = inW;
        int targetH = Math.max(outH, inH);
        int targetW = Math.max(outW, inW);
        for (int k = 0; k < f.size(); k++) {
            int oh;
            int ow;
            double sh;
            double sw;
            if (k == f.size() - 1) {
                oh = targetH;
                ow = targetW;
                sh = oh / h;
                sw = ow / w;
            } else {
                oh = (int) Math.round(h * f.get(k)[0]);
                ow = (int) Math.round(w * f.get(k)[1]);
                sh = f.get(k)[0];
                sw = f.get(k)[1];
            }
            steps.add(new Step(sh, sw, oh, ow));
            h = oh;
            w = ow;
        }
        return steps;
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
