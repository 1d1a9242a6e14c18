package dev.lapstream.trainer;

import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.quality.Protocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Training images held in memory with, for every training scale s (the family's
 * {@link dev.lapstream.model.TrainingScales}: the LFR levels x1.0 ... x2.0, or Meta-SR's x1.1 ... x4.0), the LR of
 * the HR cropped so its sides divide by s, made by MATLAB-style antialiased bicubic of the whole cropped image (the
 * evaluation protocol, so train and test degradations match exactly). The crop is the image's top-left part, so
 * every scale reads its HR patches from the one decoded image rather than from a copy per scale.
 */
public final class TrainData {

    /** One scale's pairs. */
    public static final class Level {
        public final int index;
        public final double scale;
        /** s = p / q in lowest terms. */
        public final int p;
        public final int q;
        /** The whole images; this scale's HR is the top-left (LR size x s) part of each. */
        public final List<RgbImage> hr = new ArrayList<>();
        public final List<RgbImage> lr = new ArrayList<>();

        Level(int index, int num, int den) {
            this.index = index;
            this.scale = (double) num / den;
            int g = gcd(num, den);
            this.p = num / g;
            this.q = den / g;
        }
    }

    public final List<Path> files;
    /** The single-pass training scales, then the integer scales of two-pass batches (if any). */
    public final Level[] levels;
    /** How many of {@link #levels} are single-pass training scales. */
    public final int singlePassLevels;

    private TrainData(List<Path> files, Level[] levels, int singlePassLevels) {
        this.files = files;
        this.levels = levels;
        this.singlePassLevels = singlePassLevels;
    }

    static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Loads every image in {@code dir} and builds the LR images for the single-pass scales {@code tenths} / 10, plus
     * LR images at the given integer scales (for two-pass batches; may be empty).
     */
    public static TrainData load(Path dir, int[] tenths, int[] integerScales, int threads) throws Exception {
        List<Path> files = Images.list(dir);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images in " + dir);
        }
        int singlePass = tenths.length;
        int levelCount = singlePass + integerScales.length;
        Level[] levels = new Level[levelCount];
        for (int l = 0; l < levelCount; l++) {
            levels[l] = l < singlePass ? new Level(l, tenths[l], 10) : new Level(l, integerScales[l - singlePass], 1);
        }
        ExecutorService ex = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<RgbImage[]>> fs = new ArrayList<>();
            for (Path f : files) {
                fs.add(ex.submit(() -> {
                    RgbImage img = Images.load(f);
                    RgbImage[] out = new RgbImage[2 * levelCount];
                    for (int l = 0; l < levelCount; l++) {
                        double s = levels[l].scale;
                        out[2 * l] = img;
                        out[2 * l + 1] = levels[l].p == levels[l].q ? img
                                : Protocol.degrade(Protocol.cropHr(img, s, s), s, s);
                    }
                    return out;
                }));
            }
            for (Future<RgbImage[]> f : fs) {
                RgbImage[] r = f.get();
                for (int l = 0; l < levelCount; l++) {
                    levels[l].hr.add(r[2 * l]);
                    levels[l].lr.add(r[2 * l + 1]);
                }
            }
        } finally {
            ex.shutdownNow();
        }
        return new TrainData(files, levels, singlePass);
    }
}
