package dev.lapstream.trainer;

import dev.lapstream.core.image.RgbImage;
import dev.lapstream.model.RecursionPlanner;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes the batch of training step t deterministically from (seed, t): so a resumed run sees
 * exactly the batches an uninterrupted one would, and the only RNG state to checkpoint is the
 * seed and the step.
 *
 * <p>Per step (AnySR Algorithm 1, adapted): a subnet width uniformly from the configured widths,
 * replaced by the full width with probability {@code pFull} (0.6); a scale from the family's single-pass
 * training scales (the 11 LFR levels, or Meta-SR's x1.1 ... x4.0; Meta-SR's Algorithm 1 also takes one scale per
 * batch) with weights {@code levelWeights} (every subnet trains every scale: the stream
 * worker picks the width by lag, not by scale, so each subnet must serve every scale); then
 * {@code batch} random patch pairs at that scale: HR side about {@code patch} px (the nearest
 * multiple of p for s = p/q, so the LR side is an integer), LR taken at positions that are
 * multiples of q from the pre-degraded whole image, nearly flat patches re-drawn, one of the 8
 * flips/rotations each.
 *
 * <p>With probability {@code pTwoPass}, and if the data has integer scales beyond the LFR
 * levels, the batch is instead a two-pass one at one of those scales (uniformly): its
 * {@link Batch#passes} are the recursive passes the engine would run for it (one for a family whose passes reach
 * that scale).
 */
public final class BatchSampler {

    /** One batch, floats in [0, 1], NHWC interleaved RGB. */
    public static final class Batch {
        public final long step;
        public final int level;
        public final double scale;
        public final int width;
        public final int n;
        public final int lrSize;
        public final int hrSize;
        public final float[] lr;
        public final float[] hr;

        Batch(long step, int level, double scale, int width, int n, int lrSize, int hrSize, float[] lr, float[] hr) {
            this.step = step;
            this.level = level;
            this.scale = scale;
            this.width = width;
            this.n = n;
            this.lrSize = lrSize;
            this.hrSize = hrSize;
            this.lr = lr;
            this.hr = hr;
        }

        /** The engine's passes for lrSize to hrSize with steps of at most {@code maxStep} ({@link RecursionPlanner}). */
        public List<RecursionPlanner.Step> passes(double maxStep) {
            return RecursionPlanner.plan(lrSize, lrSize, hrSize, hrSize, RecursionPlanner.DEFAULT, maxStep);
        }
    }

    private final TrainData data;
    private final long seed;
    private final int batch;
    private final int patch;
    private final boolean lrPatch;
    private final int[] widths;
    private final int fullWidth;
    private final double pFull;
    private final double[] levelCdf;
    private final double flatStd;
    private final double pTwoPass;
    private final double[][] areaCdf;

    /**
     * @param levelWeights weights of the single-pass scales (the first {@code data.singlePassLevels})
     * @param lrPatch {@code patch} is the LR side (about the same cost per step at every scale for a network that
     *                runs at low resolution) instead of the HR side
     */
    public BatchSampler(TrainData data, long seed, int batch, int patch, boolean lrPatch, int[] widths, int fullWidth,
                        double pFull, double[] levelWeights, double flatStd, double pTwoPass) {
        this.data = data;
        this.seed = seed;
        this.batch = batch;
        this.patch = patch;
        this.lrPatch = lrPatch;
        this.widths = widths;
        this.fullWidth = fullWidth;
        this.pFull = pFull;
        this.flatStd = flatStd;
        this.pTwoPass = pTwoPass;
        double sum = 0;
        for (double w : levelWeights) {
            sum += w;
        }
        levelCdf = new double[levelWeights.length];
        double acc = 0;
        for (int i = 0; i < levelWeights.length; i++) {
            acc += levelWeights[i] / sum;
            levelCdf[i] = acc;
        }
        areaCdf = new double[data.levels.length][];
        for (int l = 0; l < data.levels.length; l++) {
            TrainData.Level lv = data.levels[l];
            double[] c = new double[lv.lr.size()];
            double tot = 0;
            for (int i = 0; i < c.length; i++) {
                tot += (double) lv.lr.get(i).width() * lv.lr.get(i).height();
                c[i] = tot;
            }
            for (int i = 0; i < c.length; i++) {
                c[i] /= tot;
            }
            areaCdf[l] = c;
        }
    }

    static int pick(double[] cdf, double u) {
        for (int i = 0; i < cdf.length; i++) {
            if (u < cdf[i]) {
                return i;
            }
        }
        return cdf.length - 1;
    }

    /** LR side for a level: multiple of q nearest to patch / s, or to patch for LR patches (at least q). */
    public int lrSizeFor(TrainData.Level lv) {
        int k = (int) Math.max(1, Math.round((lrPatch ? patch : patch / lv.scale) / lv.q));
        return k * lv.q;
    }

    public Batch make(long step) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 1);
        int w = widths[rnd.nextInt(widths.length)];
        if (rnd.nextDouble() < pFull) {
            w = fullWidth;
        }
        int level = pick(levelCdf, rnd.nextDouble());
        int twoPassLevels = data.levels.length - data.singlePassLevels;
        if (twoPassLevels > 0 && rnd.nextDouble() < pTwoPass) {
            level = data.singlePassLevels + rnd.nextInt(twoPassLevels);
        }
        TrainData.Level lv = data.levels[level];
        int ls = lrSizeFor(lv);
        int hs = ls * lv.p / lv.q;
        float[] lr = new float[batch * ls * ls * 3];
        float[] hr = new float[batch * hs * hs * 3];
        for (int b = 0; b < batch; b++) {
            int tries = 0;
            while (true) {
                int img = pick(areaCdf[level], rnd.nextDouble());
                RgbImage l = lv.lr.get(img);
                RgbImage h = lv.hr.get(img);
                int maxX = (l.width() - ls) / lv.q;
                int maxY = (l.height() - ls) / lv.q;
                if (maxX < 0 || maxY < 0) {
                    if (++tries > 50) {
                        throw new IllegalStateException("images too small for patch " + hs);
                    }
                    continue;
                }
                int lx = rnd.nextInt(maxX + 1) * lv.q;
                int ly = rnd.nextInt(maxY + 1) * lv.q;
                int hx = lx * lv.p / lv.q;
                int hy = ly * lv.p / lv.q;
                if (++tries < 10 && std(h, hx, hy, hs) < flatStd) {
                    continue;
                }
                int t = rnd.nextInt(8);
                copy(l, lx, ly, ls, t, lr, b * ls * ls * 3);
                copy(h, hx, hy, hs, t, hr, b * hs * hs * 3);
                break;
            }
        }
        return new Batch(step, level, lv.scale, w, batch, ls, hs, lr, hr);
    }

    /** Standard deviation of the grey level (0..255) of a square patch. */
    static double std(RgbImage img, int x0, int y0, int size) {
        byte[] p = img.pixels();
        double s = 0;
        double s2 = 0;
        int n = size * size;
        for (int y = 0; y < size; y++) {
            int row = ((y0 + y) * img.width() + x0) * 3;
            for (int x = 0; x < size; x++) {
                int o = row + x * 3;
                double g = ((p[o] & 0xff) + (p[o + 1] & 0xff) + (p[o + 2] & 0xff)) / 3.0;
                s += g;
                s2 += g * g;
            }
        }
        double m = s / n;
        return Math.sqrt(Math.max(0, s2 / n - m * m));
    }

    /** Copies a square patch with dihedral transform t (bit0: flip x, bit1: flip y, bit2: transpose). */
    static void copy(RgbImage img, int x0, int y0, int size, int t, float[] dst, int off) {
        byte[] p = img.pixels();
        int iw = img.width();
        boolean fx = (t & 1) != 0;
        boolean fy = (t & 2) != 0;
        boolean tr = (t & 4) != 0;
        final float inv = 1f / 255f;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int sx = tr ? y : x;
                int sy = tr ? x : y;
                if (fx) {
                    sx = size - 1 - sx;
                }
                if (fy) {
                    sy = size - 1 - sy;
                }
                int so = ((y0 + sy) * iw + x0 + sx) * 3;
                int d = off + (y * size + x) * 3;
                dst[d] = (p[so] & 0xff) * inv;
                dst[d + 1] = (p[so + 1] & 0xff) * inv;
                dst[d + 2] = (p[so + 2] & 0xff) * inv;
            }
        }
    }
}
