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
 * Training images held in memory with, for every LFR level's scale s = 1 + l/10, the HR cropped
 * so its sides divide by s and its LR made by MATLAB-style antialiased bicubic of the whole
 * image (the evaluation protocol, so train and test degradations match exactly).
 */
public final class TrainData {

    /** One scale's pairs. */
    public static final class Level {
        public final int index;
        public final double scale;
        /** s = p / q in lowest terms. */
        public final int p;
        public final int q;
        public final List<RgbImage> hr = new ArrayList<>();
        public final List<RgbImage> lr = new ArrayList<>();

        /** LFR level {@code index}: scale 1 + index / 10. */
        Level(int index) {
            this(index, 10 + index, 10);
        }

        Level(int index, int num, int den) {
            this.index = index;
            this.scale = (double) num / den;
            int g = gcd(num, den);
            this.p = num / g;
            this.q = den / g;
        }
    }

    public final List<Path> files;
    /** The LFR levels x1.0 ... x2.0, then the integer scales of two-pass batches (if any). */
    public final Level[] levels;
    /** How many of {@link #levels} are LFR levels. */
    public final int lfrLevels;

    private TrainData(List<Path> files, Level[] levels, int lfrLevels) {
        this.files = files;
        this.levels = levels;
        this.lfrLevels = lfrLevels;
    }

    static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /**
     * Loads every image in {@code dir} and builds the LR pyramid for LFR levels 0..lfrLevels-1, plus
     * LR images at the given integer scales (for two-pass batches; may be empty).
     */
    public static TrainData load(Path dir, int lfrLevels, int[] integerScales, int threads) throws Exception {
        List<Path> files = Images.list(dir);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images in " + dir);
        }
        int levelCount = lfrLevels + integerScales.length;
        Level[] levels = new Level[levelCount];
        for (int l = 0; l < levelCount; l++) {
            levels[l] = l < lfrLevels ? new Level(l) : new Level(l, integerScales[l - lfrLevels], 1);
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
                        if (l == 0) {
                            out[0] = img;
                            out[1] = img;
                        } else {
                            RgbImage hr = Protocol.cropHr(img, s, s);
                            out[2 * l] = hr;
                            out[2 * l + 1] = Protocol.degrade(hr, s, s);
                        }
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
        return new TrainData(files, levels, lfrLevels);
    }
}
