package dev.lapstream.dashboard;

import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.image.Resize;
import dev.lapstream.core.image.RgbImage;

/** A frame as a small JPEG for the page: scaled (never up) to fit a box, aspect kept. */
final class Thumbnails {

    static final int MAX_WIDTH = 320;
    static final int MAX_HEIGHT = 240;
    /** The wire format's JPEG payload is a plain JPEG file, which is what the page shows. */
    private static final PixelCodec JPEG = PixelCodec.parse("jpeg:75");

    private Thumbnails() {
    }

    static byte[] jpeg(RgbImage image) {
        double fit = Math.min(1.0, Math.min((double) MAX_WIDTH / image.width(), (double) MAX_HEIGHT / image.height()));
        int w = Math.max(1, (int) Math.round(image.width() * fit));
        int h = Math.max(1, (int) Math.round(image.height() * fit));
        return JPEG.encode(fit < 1 ? Resize.resize(image, w, h) : image);
    }
}
