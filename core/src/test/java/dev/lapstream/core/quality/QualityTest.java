package dev.lapstream.core.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lapstream.core.image.ColorSpace;
import dev.lapstream.core.image.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class QualityTest {

    static RgbImage random(int w, int h, long seed) {
        byte[] p = new byte[w * h * 3];
        new Random(seed).nextBytes(p);
        return new RgbImage(w, h, p);
    }

    @Test
    void psnrOfKnownError() {
        double[] a = new double[100];
        double[] b = new double[100];
        for (int i = 0; i < 100; i++) {
            b[i] = 5; // MSE 25
        }
        assertEquals(10 * Math.log10(255.0 * 255 / 25), Quality.psnr(a, b, 10, 10, 0), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, Quality.psnr(a, a, 10, 10, 2));
    }

    @Test
    void ssimIdentityAndNoise() {
        RgbImage a = random(40, 30, 1);
        assertEquals(1.0, Quality.ssimY(a, a, 2), 1e-12);
        RgbImage b = random(40, 30, 2);
        double s = Quality.ssimY(b, a, 2);
        assertTrue(s < 0.2, "ssim of unrelated noise " + s);
        assertEquals(s, Quality.ssimY(a, b, 2), 1e-12);
    }

    @Test
    void lumaBt601Range() {
        assertEquals(16.0, ColorSpace.lumaBt601(0, 0, 0), 1e-9);
        assertEquals(235.0, ColorSpace.lumaBt601(255, 255, 255), 1e-3);
    }

    @Test
    void protocolCropsAndSizes() {
        assertEquals(2, Protocol.multipleFor(2));
        assertEquals(11, Protocol.multipleFor(1.1));
        assertEquals(5, Protocol.multipleFor(2.5));
        assertEquals(3, Protocol.multipleFor(1.5));
        assertEquals(14, Protocol.multipleFor(2.8));
        RgbImage hr = Protocol.cropHr(random(101, 67, 3), 1.5, 4);
        assertEquals(100, hr.width());
        assertEquals(66, hr.height());
        RgbImage lr = Protocol.degrade(hr, 1.5, 4);
        assertEquals(25, lr.width());
        assertEquals(44, lr.height());
        assertEquals(4, Protocol.shave(1.5, 4));
        assertEquals(2, Protocol.shave(1.1, 1.7));
    }
}
