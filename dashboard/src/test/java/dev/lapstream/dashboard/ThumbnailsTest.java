package dev.lapstream.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lapstream.core.frame.ImageIoPixels;
import dev.lapstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {

    @Test
    void largeFramesShrinkToTheBoxKeepingAspectSmallOnesKeepTheirSize() {
        assertSize(Thumbnails.jpeg(flat(1920, 1080, 200, 40, 10)), 320, 180);
        assertSize(Thumbnails.jpeg(flat(600, 800, 200, 40, 10)), 180, 240);
        assertSize(Thumbnails.jpeg(flat(64, 48, 200, 40, 10)), 64, 48);
    }

    @Test
    void colourSurvivesTheJpeg() {
        RgbImage thumb = ImageIoPixels.decode(Thumbnails.jpeg(flat(1280, 720, 200, 40, 10)));
        byte[] px = thumb.pixels();
        int mid = (thumb.height() / 2 * thumb.width() + thumb.width() / 2) * 3;
        assertEquals(200, px[mid] & 0xff, 6);
        assertEquals(40, px[mid + 1] & 0xff, 6);
        assertEquals(10, px[mid + 2] & 0xff, 6);
    }

    private static void assertSize(byte[] jpeg, int width, int height) {
        RgbImage decoded = ImageIoPixels.decode(jpeg);
        assertEquals(width + "x" + height, decoded.width() + "x" + decoded.height());
    }

    private static RgbImage flat(int w, int h, int r, int g, int b) {
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) r;
            px[i + 1] = (byte) g;
            px[i + 2] = (byte) b;
        }
        return new RgbImage(w, h, px);
    }
}
