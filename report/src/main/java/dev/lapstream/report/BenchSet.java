package dev.lapstream.report;

import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One benchmark set (Set5, Set14, ...) loaded into memory. */
record BenchSet(String name, List<Image> images) {

    /** A ground-truth image; {@code grey} selects the grey-plane metric for single-channel files. */
    record Image(String name, RgbImage hr, boolean grey) {
    }

    /** The configured sets in order, each capped at {@code --max-images}. */
    static List<BenchSet> load(ReportConfig cfg) {
        List<BenchSet> out = new ArrayList<>();
        for (String s : cfg.sets()) {
            Path dir = cfg.data().resolve(s);
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("benchmark set not found: " + dir);
            }
            List<Image> imgs = new ArrayList<>();
            for (Path f : Images.list(dir)) {
                if (cfg.maxImages() > 0 && imgs.size() >= cfg.maxImages()) {
                    break;
                }
                String name = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                imgs.add(new Image(name, Images.load(f), Images.isGreyFile(f)));
            }
            if (imgs.isEmpty()) {
                throw new IllegalArgumentException("no images in " + dir);
            }
            out.add(new BenchSet(s, imgs));
        }
        return out;
    }
}
