package dev.lapstream.model;

import java.util.Arrays;

/**
 * The scales a family trains on in single passes, one per batch: scale {@code tenths[i] / 10} drawn with weight
 * {@code weights[i]} (relative). Tenths keep every scale an exact fraction p / q, so the trainer can crop the HR
 * to a multiple of p and cut LR patches on the q grid.
 */
public record TrainingScales(int[] tenths, double[] weights) {

    public TrainingScales {
        if (tenths.length == 0 || tenths.length != weights.length) {
            throw new IllegalArgumentException("one weight per scale");
        }
        tenths = tenths.clone();
        weights = weights.clone();
    }

    /**
     * The LFR levels x1.0 ... x(1 + (levels - 1) / 10) of the ASDN families: x1.0 at half weight (it is rare), the last
     * level (x2.0, every pass of a recursion but the last) thrice, others once.
     */
    public static TrainingScales lfrLevels(int levels) {
        int[] t = new int[levels];
        double[] w = new double[levels];
        for (int l = 0; l < levels; l++) {
            t[l] = 10 + l;
            w[l] = 1.0;
        }
        w[0] = 0.5;
        w[levels - 1] = 3.0;
        return new TrainingScales(t, w);
    }

    /** Every tenth from {@code fromTenths} to {@code toTenths}, uniformly (Meta-SR: x1.1 ... x4.0). */
    public static TrainingScales uniform(int fromTenths, int toTenths) {
        int[] t = new int[toTenths - fromTenths + 1];
        for (int i = 0; i < t.length; i++) {
            t[i] = fromTenths + i;
        }
        double[] w = new double[t.length];
        Arrays.fill(w, 1.0);
        return new TrainingScales(t, w);
    }
}
