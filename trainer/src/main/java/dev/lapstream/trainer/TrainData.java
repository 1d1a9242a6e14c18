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

        Level(int index) {
            this.index = index;
            this.scale = 1 + index / 10.0;
            int num = 10 + index;
            int g = gcd(num, 10);
            this.p = num / g;
            this.q = 10 / g;
        }
    }

    public final List<Path> files;
    public final Level[] levels;

    private TrainData(List<Path> files, Level[] levels) {
        this.files = files;
        this.levels = levels;
    }

    static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Loads every image in {@code dir} and builds the LR pyramid for levels 0..levels-1. */
    public static TrainData load(Path dir, int levelCount, int threads) throws Exception {
        List<Path> files = Images.list(dir);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images in " + dir);
        }
        Level[] levels = new Level[levelCount];
        for (int l = 0; l < levelCount; l++) {
            levels[l] = new Level(l);
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
        return new TrainData(files, levels);
    }
}
