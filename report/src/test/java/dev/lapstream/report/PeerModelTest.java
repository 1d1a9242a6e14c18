package dev.lapstream.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lapstream.core.image.ColorSpace;
import dev.lapstream.core.image.RgbImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PeerModelTest {

    @Test
    void mergingTheImagesOwnLumaGivesItBack() {
        byte[] px = new byte[16 * 9 * 3];
        new Random(5).nextBytes(px);
        RgbImage img = new RgbImage(16, 9, px);
        RgbImage back = PeerModel.mergeY(img, ColorSpace.yFullRange01(img));
        for (int i = 0; i < px.length; i++) {
            // the OpenCV YCrCb coefficients are rounded to 3 digits: allow 1-2 levels
            assertThat(Math.abs((back.pixels()[i] & 0xff) - (px[i] & 0xff))).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void medianAndFlicker() {
        assertThat(SpeedBench.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(SpeedBench.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        double[] a = new double[25];
        double[] b = new double[25];
        java.util.Arrays.fill(b, 2.0);
        assertThat(VideoFlicker.meanAbsDiff(a, b, 5, 5, 1)).isEqualTo(2.0);
    }
}
