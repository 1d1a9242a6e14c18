package dev.lapstream.core.image;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TiledUpscalerTest {

    private static RgbImage texture(int w, int h) {
        byte[] px = new byte[w * h * 3];
        Random rnd = new Random(5);
        for (int i = 0; i < px.length; i++) {
            int x = (i / 3) % w;
            int y = (i / 3) / w;
            px[i] = (byte) (128 + 60 * Math.sin(x * 0.3 + i % 3) * Math.cos(y * 0.2) + rnd.nextInt(30));
        }
        return new RgbImage(w, h, px);
    }

    /** Bicubic reads 2 input pixels around each sample: a margin of 4 makes tiles exact. */
    @ParameterizedTest
    @CsvSource({"100, 70, 200, 140", "100, 70, 250, 175", "101, 70, 172, 119", "96, 64, 128, 72", "100, 70, 400, 280"})
    void tiledBicubicEqualsWholeFrame(int w, int h, int outW, int outH) {
        RgbImage in = texture(w, h);
        RgbImage whole = new BicubicUpscaler().upscale(in, outW, outH);
        RgbImage tiled = new TiledUpscaler(new BicubicUpscaler(), 32, 4).upscale(in, outW, outH);
        assertThat(tiled.width()).isEqualTo(outW);
        assertThat(tiled.height()).isEqualTo(outH);
        assertThat(tiled.pixels()).isEqualTo(whole.pixels());
    }
}
