package dev.lapstream.bench;

import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.TiledUpscaler;
import dev.lapstream.core.quality.Protocol;
import dev.lapstream.core.quality.Quality;
import dev.lapstream.model.AsdnUpscaler;
import dev.lapstream.model.ShippedModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shipped model in tiles gives the same quality as in one pass (channel attention pools per tile). */
class TiledAsdnTest {

    @Test
    void tiledOutputMatchesWholeFrame() {
        Path root = Path.of(System.getProperty("lapstream.root", ".."));
        Path model = ShippedModel.directory(root);
        Path image = Path.of(System.getProperty("lapstream.shared", "../shared")).resolve("data/bench/Set14/baboon.png");
        assumeTrue(Files.isDirectory(model), "no shipped model at " + model);
        assumeTrue(Files.isRegularFile(image), "../shared absent: no test image " + image);
        RgbImage hr = Protocol.cropHr(Images.load(image), 2, 2);
        RgbImage lr = Protocol.degrade(hr, 2, 2);
        try (AsdnUpscaler asdn = new AsdnUpscaler(model, 0)) {
            RgbImage whole = asdn.upscale(lr, hr.width(), hr.height());
            RgbImage tiled = new TiledUpscaler(asdn, 96, 24).upscale(lr, hr.width(), hr.height());
            double wholePsnr = Quality.psnrY(whole, hr, 2);
            double tiledPsnr = Quality.psnrY(tiled, hr, 2);
            assertThat(Math.abs(tiledPsnr - wholePsnr)).as("PSNR whole %.4f, tiled %.4f", wholePsnr, tiledPsnr)
                    .isLessThan(0.01);
            assertThat(Quality.psnrY(tiled, whole, 0)).as("tiled vs whole").isGreaterThan(45);
        }
    }
}
