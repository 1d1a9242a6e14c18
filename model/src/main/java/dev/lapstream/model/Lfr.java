package dev.lapstream.model;

/**
 * Laplacian Frequency Representation (ASDN Eq. 2-4): levels r_l = 1 + l/10, l = 0..10. For a
 * step factor r in (1, 2]: i = ceil(10 (r - 1)), w = 10 (r_i - r) and
 * O_r = O_{r_i} + w (O_{r_{i-1}} - O_{r_i}); only IRBs i and i-1 run. r = 1 uses level 0 alone.
 * A tolerance of 1e-3 levels absorbs floating-point noise (1.1 is level 1 with w = 0, not level
 * 2 with w = 1). The graph computes exactly this in float32 ({@link AsdnNetwork}).
 */
public final class Lfr {

    public static final int LEVELS = 11;
    static final double TOL = 1e-3;

    private Lfr() {
    }

    /** Level pair and weight for one step factor. */
    public record Level(int index, int previous, double weight) {
    }

    /** LFR level for a step factor r (clamped to [1, 2]). */
    public static Level level(double r) {
        double rc = Math.min(2.0, Math.max(1.0, r));
        double t = 10 * (rc - 1);
        int i = (int) Math.ceil(t - TOL);
        i = Math.max(0, Math.min(LEVELS - 1, i));
        double w = Math.max(0, Math.min(1, i - t));
        if (Math.abs(w) < 1e-9) {
            w = 0;
        }
        return new Level(i, Math.max(0, i - 1), w);
    }

    /** Level for an asymmetric step (s_h, s_w): from the larger factor. */
    public static Level level(double scaleH, double scaleW) {
        return level(Math.max(scaleH, scaleW));
    }
}
