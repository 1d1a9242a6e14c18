package dev.lapstream.trainer;

import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.quality.Protocol;
import dev.lapstream.core.quality.Quality;
import dev.lapstream.model.AsdnUpscaler;
import dev.lapstream.model.ModelFamily;
import dev.lapstream.model.SrPass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Quick validation during training: centre crops (at most {@code crop} px, a multiple of 12) of
 * the validation images, degraded by the protocol, super-resolved through any {@link SrPass}
 * with the engine's recursion planning, PSNR on Y.
 */
public final class Validator {

    private final List<RgbImage> crops = new ArrayList<>();

    public Validator(Path dir, int crop) {
        for (Path f : Images.list(dir)) {
            RgbImage img = Images.load(f);
            int w = Math.min(crop, img.width()) / 12 * 12;
            int h = Math.min(crop, img.height()) / 12 * 12;
            if (w < 24 || h < 24) {
                continue;
            }
            crops.add(Images.crop(img, (img.width() - w) / 2, (img.height() - h) / 2, w, h));
        }
    }

    public int size() {
        return crops.size();
    }

    /** Mean PSNR (dB, Y) at a symmetric scale, through the engine's planning for {@code family}. */
    public double psnr(SrPass pass, ModelFamily family, double scale, int width) {
        double sum = 0;
        for (RgbImage full : crops) {
            RgbImage hr = Protocol.cropHr(full, scale, scale);
            RgbImage lr = Protocol.degrade(hr, scale, scale);
            float[] out = AsdnUpscaler.upscale(pass, family, Images.toFloat(lr, 1f / 255f), lr.height(), lr.width(),
                    hr.height(), hr.width(), width);
            RgbImage sr = Images.fromFloat(out, hr.width(), hr.height(), 1f / 255f);
            sum += Quality.psnrY(sr, hr, Protocol.shave(scale, scale));
        }
        return sum / crops.size();
    }
}
