package dev.lapstream.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.TiledUpscaler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A batch through the shipped model gives, image for image, exactly what one image at a time gives. */
class AsdnBatchTest {

    private static List<RgbImage> images(int n, int w, int h) {
        return IntStream.range(0, n).mapToObj(i -> Images.fromFloat(TinyNet.smoothImage(h, w, 10 + i), w, h, 1f / 255f))
                .toList();
    }

    private static AsdnUpscaler shipped() {
        Path model = ShippedModel.directory(Path.of(System.getProperty("lapstream.root", "..")));
        assumeTrue(Files.isDirectory(model), "no shipped model at " + model);
        return new AsdnUpscaler(model, 0);
    }

    /** x2 (one pass), x3 (two passes), 2 x 3 (symmetric SR, then a bicubic shrink of one axis), a narrow subnet. */
    @ParameterizedTest
    @CsvSource({"24, 16, 48, 32, 0", "24, 16, 72, 48, 0", "24, 16, 48, 48, 0", "24, 16, 48, 32, 32"})
    void aBatchIsBitIdenticalToOneImageAtATime(int w, int h, int outW, int outH, int width) {
        try (AsdnUpscaler asdn = shipped()) {
            List<RgbImage> in = images(4, w, h);
            List<RgbImage> batch = asdn.upscaleAll(in, outW, outH, width);
            assertThat(batch).hasSize(4);
            for (int i = 0; i < in.size(); i++) {
                RgbImage alone = width > 0 ? asdn.upscale(in.get(i), outW, outH, width)
                        : asdn.upscale(in.get(i), outW, outH);
                assertThat(batch.get(i).pixels()).as("image %d", i).isEqualTo(alone.pixels());
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"80, 56"})
    void tiledFramesBatchTheirTilesAndMatchOneFrameAtATime(int w, int h) {
        try (AsdnUpscaler asdn = shipped()) {
            TiledUpscaler tiled = new TiledUpscaler(asdn, 32, 8);
            List<RgbImage> in = images(3, w, h);
            List<RgbImage> batch = tiled.upscaleAll(in, 2 * w, 2 * h, 0);
            for (int i = 0; i < in.size(); i++) {
                assertThat(batch.get(i).pixels()).as("frame %d", i)
                        .isEqualTo(tiled.upscale(in.get(i), 2 * w, 2 * h).pixels());
            }
            assertThatThrownBy(() -> tiled.upscaleAll(List.of(in.get(0), images(1, w + 2, h).get(0)), 2 * w, 2 * h, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one size");
        }
    }
}
