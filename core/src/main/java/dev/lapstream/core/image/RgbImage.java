package dev.lapstream.core.image;

import java.util.Objects;

/**
 * An 8-bit RGB image, pixels interleaved row-major (R, G, B, R, G, B, ...): the layout FFmpeg's
 * RGB24 gives and the frame wire format carries.
 */
public record RgbImage(int width, int height, byte[] pixels) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image dimensions must be positive, got " + width + "x" + height);
        }
        Objects.requireNonNull(pixels, "pixels");
        if ((long) width * height * 3 != pixels.length) {
            throw new IllegalArgumentException("expected " + (long) width * height * 3 + " bytes for "
                    + width + "x" + height + " RGB24, got " + pixels.length);
        }
    }

    /** Red, green or blue (c = 0, 1, 2) at (x, y), 0..255. */
    public int get(int x, int y, int c) {
        return pixels[(y * width + x) * 3 + c] & 0xff;
    }
}
