package dev.lapstream.report;

import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.quality.Protocol;
import dev.lapstream.core.quality.Quality;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The protocol applied to a set: every method sees the same cropped HR and the same LR. */
final class Scoring {

    private Scoring() {
    }

    /** Mean PSNR/SSIM of each method (by name, in the given order) on a set at one scale pair and degradation. */
    static Map<String, Score> evaluate(BenchSet b, double sh, double sw, Degradation deg, List<Method> methods) {
        Map<String, List<Score.ImageScore>> per = new LinkedHashMap<>();
        for (Method m : methods) {
            per.put(m.name(), new ArrayList<>());
        }
        int shave = Protocol.shave(sh, sw);
        for (BenchSet.Image img : b.images()) {
            RgbImage hr = Protocol.cropHr(img.hr(), sh, sw);
            RgbImage lr = deg.apply(hr, sh, sw);
            for (Method m : methods) {
                RgbImage up = m.upscale(lr, hr.width(), hr.height());
                per.get(m.name()).add(new Score.ImageScore(img.name(), Quality.psnrY(up, hr, shave, img.grey()),
                        Quality.ssimY(up, hr, shave, img.grey())));
            }
        }
        Map<String, Score> out = new LinkedHashMap<>();
        per.forEach((name, scores) -> out.put(name, new Score(
                Score.round(scores.stream().mapToDouble(Score.ImageScore::psnr).average().orElseThrow(), 3),
                Score.round(scores.stream().mapToDouble(Score.ImageScore::ssim).average().orElseThrow(), 4),
                scores.stream().map(s -> new Score.ImageScore(s.image(), Score.round(s.psnr(), 3),
                        Score.round(s.ssim(), 4))).toList())));
        return out;
    }
}
