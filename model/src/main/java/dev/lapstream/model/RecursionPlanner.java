package dev.lapstream.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive deployment for factors above a family's largest step factor M ({@link ModelFamily#maxStepFactor}:
 * 2 for the ASDN families, ASDN Eq. 5-6; 4 for Meta-SR), generalised to asymmetric pairs.
 *
 * <p>Rule for a target (R_h, R_w), both >= 1 (an axis below 1 is served at 1 by the network and
 * finished by bicubic downscaling in the engine):
 * <ul>
 * <li>N = max(1, ceil(log_M max(R_h, R_w))) network passes (Eq. 5 for M = 2);</li>
 * <li>the larger axis R takes r_n = R^(1/N) in every pass ({@link Split#EVEN}, the engine's default),
 * or, as in the paper (Eq. 6, {@link Split#PAPER}), r_n = M for n < N and r_N = R / M^(N-1). Chosen on
 * the validation set: the even split gained 0.01-0.05 dB at x2.5, x2.8, x3, x3.5 and x6 (identical at
 * powers of two; model/README.md);</li>
 * <li>the smaller axis S takes r'_n = S^(log r_n / log R) for every pass (its total log-factor is
 * spread in proportion to the larger axis's, so every pass stays in [1, M] and both axes finish
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
        /** M, ..., M, R / M^(N-1): ASDN Eq. 6 (M = 2). */
        PAPER,
        /**
         * R / M^(N-1), M, ..., M: Eq. 6's factors, smallest first. For a network whose FMB runs at the pass's input
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

    /** The ASDN families' largest step factor (the LFR levels end at x2). */
    public static final double ASDN_MAX_STEP = 2.0;

    /** Passes for factors (rh, rw) with the {@link #DEFAULT} split and steps of at most 2, ignoring sizes. */
    public static List<double[]> factors(double rh, double rw) {
        return factors(rh, rw, DEFAULT, ASDN_MAX_STEP);
    }

    /** Passes for factors (rh, rw) with steps of at most 2, ignoring sizes. */
    public static List<double[]> factors(double rh, double rw, Split split) {
        return factors(rh, rw, split, ASDN_MAX_STEP);
    }

    /** Passes for factors (rh, rw) with steps of at most {@code maxStep}, ignoring sizes. */
    public static List<double[]> factors(double rh, double rw, Split split, double maxStep) {
        double eh = Math.max(1.0, rh);
        double ew = Math.max(1.0, rw);
        double big = Math.max(eh, ew);
        int n = Math.max(1, (int) Math.ceil(Math.log(big) / Math.log(maxStep) - 1e-9));
        List<double[]> out = new ArrayList<>();
        double even = Math.pow(big, 1.0 / n);
        double lastBig = big / Math.pow(maxStep, n - 1);
        for (int k = 0; k < n; k++) {
            double rb = switch (split) {
                case EVEN -> even;
                case PAPER -> k < n - 1 ? maxStep : lastBig;
                case SMALL_FIRST -> k == 0 ? lastBig : maxStep;
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

    /** Passes of at most 2 taking an (inH x inW) image to exactly (outH x outW) with the {@link #DEFAULT} split. */
    public static List<Step> plan(int inH, int inW, int outH, int outW) {
        return plan(inH, inW, outH, outW, DEFAULT, ASDN_MAX_STEP);
    }

    /** Passes of at most 2 taking an (inH x inW) image to exactly (outH x outW). */
    public static List<Step> plan(int inH, int inW, int outH, int outW, Split split) {
        return plan(inH, inW, outH, outW, split, ASDN_MAX_STEP);
    }

    /** Passes of at most {@code maxStep} taking an (inH x inW) image to exactly (outH x outW) (each side >= input side). */
    public static List<Step> plan(int inH, int inW, int outH, int outW, Split split, double maxStep) {
        double rh = Math.max(1.0, (double) outH / inH);
        double rw = Math.max(1.0, (double) outW / inW);
        List<double[]> f = factors(rh, rw, split, maxStep);
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
}
