package dev.lapstream.core.frame;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import dev.lapstream.core.image.RgbImage;

/**
 * Lossless frames: each channel predicted from its left, upper and upper-left neighbours (the MED predictor
 * of LOCO-I / JPEG-LS), the red and blue residuals taken relative to green (channels of natural images move
 * together), the three residual planes one after another, then zstd. Residuals of natural images cluster
 * around 0, which zstd's entropy stage turns into a fraction of the raw size at a few ms per megapixel.
 */
public final class ZstdPixels implements PixelCodec {

    /** zstd level 1: the higher levels cost several times the time for a few percent (see {@code bench --codecs}). */
    public static final int DEFAULT_LEVEL = 1;

    private final int level;

    public ZstdPixels(int level) {
        this.level = level;
    }

    @Override
    public byte format() {
        return LOSSLESS;
    }

    @Override
    public String describe() {
        return "lossless";
    }

    @Override
    public byte[] encode(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int n = w * h;
        byte[] px = image.pixels();
        byte[] planes = new byte[3 * n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int g = residual(px, w, x, y, 1);
                planes[i] = (byte) (residual(px, w, x, y, 0) - g);
                planes[n + i] = (byte) g;
                planes[2 * n + i] = (byte) (residual(px, w, x, y, 2) - g);
            }
        }
        return Zstd.compress(planes, level);
    }

    static RgbImage decode(int w, int h, byte[] payload) {
        int n = w * h;
        byte[] planes = new byte[3 * n];
        try {
            long size = Zstd.decompress(planes, payload);
            if (size != planes.length) {
                throw new MalformedRecordException("lossless payload holds " + size + " bytes, " + w + "x" + h
                        + " needs " + planes.length);
            }
        } catch (ZstdException e) {
            throw new MalformedRecordException("corrupt lossless payload for " + w + "x" + h + ": " + e.getMessage());
        }
        byte[] px = new byte[3 * n];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                int g = planes[n + i];
                px[3 * i + 1] = (byte) (predict(px, w, x, y, 1) + g);
                px[3 * i] = (byte) (predict(px, w, x, y, 0) + planes[i] + g);
                px[3 * i + 2] = (byte) (predict(px, w, x, y, 2) + planes[2 * n + i] + g);
            }
        }
        return new RgbImage(w, h, px);
    }

    private static int residual(byte[] px, int w, int x, int y, int c) {
        return (px[3 * (y * w + x) + c] & 0xff) - predict(px, w, x, y, c);
    }

    /** MED: the median of left, up and left + up - upper-left; the edges use the one neighbour they have. */
    private static int predict(byte[] px, int w, int x, int y, int c) {
        if (y == 0) {
            return x == 0 ? 0 : px[3 * (x - 1) + c] & 0xff;
        }
        int up = px[3 * ((y - 1) * w + x) + c] & 0xff;
        if (x == 0) {
            return up;
        }
        int left = px[3 * (y * w + x - 1) + c] & 0xff;
        int upLeft = px[3 * ((y - 1) * w + x - 1) + c] & 0xff;
        int lo = Math.min(left, up);
        int hi = Math.max(left, up);
        if (upLeft >= hi) {
            return lo;
        }
        return upLeft <= lo ? hi : left + up - upLeft;
    }
}
