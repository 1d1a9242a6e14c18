package dev.lapstream.core.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/** Image I/O (ImageIO: PNG, JPEG, BMP, ...), crops and float conversions for {@link RgbImage}. */
public final class Images {

    private Images() {
    }

    /** Loads an image file as 8-bit RGB (grey and palette images are expanded, alpha dropped). */
    public static RgbImage load(Path path) {
        try {
            BufferedImage bi = ImageIO.read(path.toFile());
            if (bi == null) {
                throw new IOException("not a readable image: " + path);
            }
            return fromBufferedImage(bi);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the file decodes to a single grey channel (with or without alpha). */
    public static boolean isGreyFile(Path path) {
        try {
            BufferedImage bi = ImageIO.read(path.toFile());
            if (bi == null) {
                throw new IOException("not a readable image: " + path);
            }
            return !(bi.getColorModel() instanceof java.awt.image.IndexColorModel)
                    && bi.getRaster().getNumBands() <= 2;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RgbImage fromBufferedImage(BufferedImage bi) {
        int w = bi.getWidth();
        int h = bi.getHeight();
        java.awt.image.Raster raster = bi.getRaster();
        if (!(bi.getColorModel() instanceof java.awt.image.IndexColorModel)
                && (raster.getNumBands() == 1 || raster.getNumBands() == 2)) {
            // grey: read the samples themselves (getRGB would apply a linear-grey -> sRGB conversion)
            int bits = bi.getColorModel().getComponentSize(0);
            int max = (1 << bits) - 1;
            byte[] px = new byte[w * h * 3];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = bits == 8 ? row[x] : (int) Math.round(row[x] * 255.0 / max);
                    int o = (y * w + x) * 3;
                    px[o] = px[o + 1] = px[o + 2] = (byte) v;
                }
            }
            return new RgbImage(w, h, px);
        }
        int[] argb = bi.getRGB(0, 0, w, h, null, 0, w);
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            int v = argb[i];
            px[i * 3] = (byte) (v >>> 16);
            px[i * 3 + 1] = (byte) (v >>> 8);
            px[i * 3 + 2] = (byte) v;
        }
        return new RgbImage(w, h, px);
    }

    public static BufferedImage toBufferedImage(RgbImage img) {
        int w = img.width();
        int h = img.height();
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[w * h];
        byte[] p = img.pixels();
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = ((p[i * 3] & 0xff) << 16) | ((p[i * 3 + 1] & 0xff) << 8) | (p[i * 3 + 2] & 0xff);
        }
        bi.setRGB(0, 0, w, h, rgb, 0, w);
        return bi;
    }

    /** Writes a PNG. */
    public static void savePng(RgbImage img, Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!ImageIO.write(toBufferedImage(img), "png", path.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Refuses a batch whose images are not all of one size (one batch is one tensor, one tile grid). */
    public static void requireOneSize(java.util.List<RgbImage> images) {
        RgbImage first = images.get(0);
        for (RgbImage in : images) {
            if (in.width() != first.width() || in.height() != first.height()) {
                throw new IllegalArgumentException("a batch holds images of one size: " + first.width() + "x"
                        + first.height() + " and " + in.width() + "x" + in.height());
            }
        }
    }

    /** Image files (png, jpg, jpeg, bmp, gif) directly in {@code dir}, sorted by name. */
    public static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> out = new ArrayList<>();
            s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")
                        || n.endsWith(".bmp") || n.endsWith(".gif");
            }).sorted().forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RgbImage crop(RgbImage in, int x, int y, int w, int h) {
        if (x < 0 || y < 0 || w <= 0 || h <= 0 || x + w > in.width() || y + h > in.height()) {
            throw new IllegalArgumentException("crop " + x + "," + y + " " + w + "x" + h
                    + " outside " + in.width() + "x" + in.height());
        }
        byte[] out = new byte[w * h * 3];
        for (int r = 0; r < h; r++) {
            System.arraycopy(in.pixels(), ((y + r) * in.width() + x) * 3, out, r * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }

    /** Crops to the largest size whose sides are multiples of {@code m} (top-left kept), as MATLAB modcrop. */
    public static RgbImage modcrop(RgbImage in, int m) {
        int w = in.width() - in.width() % m;
        int h = in.height() - in.height() % m;
        if (w == in.width() && h == in.height()) {
            return in;
        }
        return crop(in, 0, 0, w, h);
    }

    /** Interleaved RGB floats, {@code value * scale} (scale 1 gives 0..255, 1/255 gives 0..1). */
    public static float[] toFloat(RgbImage img, float scale) {
        byte[] p = img.pixels();
        float[] f = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            f[i] = (p[i] & 0xff) * scale;
        }
        return f;
    }

    /** Inverse of {@link #toFloat}: divides by {@code scale}, rounds half away from zero and clamps to 0..255. */
    public static RgbImage fromFloat(float[] f, int w, int h, float scale) {
        byte[] p = new byte[f.length];
        float inv = 1f / scale;
        for (int i = 0; i < f.length; i++) {
            p[i] = (byte) clamp255(f[i] * inv);
        }
        return new RgbImage(w, h, p);
    }

    static int clamp255(float v) {
        if (!(v > 0f)) {
            return 0; // also NaN
        }
        if (v >= 255f) {
            return 255;
        }
        return (int) (v + 0.5f);
    }

    /** Places images side by side (top-aligned, black background, {@code gap} px between). */
    public static RgbImage hconcat(int gap, RgbImage... parts) {
        int w = 0;
        int h = 0;
        for (RgbImage p : parts) {
            w += p.width();
            h = Math.max(h, p.height());
        }
        w += gap * (parts.length - 1);
        byte[] out = new byte[w * h * 3];
        int x0 = 0;
        for (RgbImage p : parts) {
            for (int r = 0; r < p.height(); r++) {
                System.arraycopy(p.pixels(), r * p.width() * 3, out, (r * w + x0) * 3, p.width() * 3);
            }
            x0 += p.width() + gap;
        }
        return new RgbImage(w, h, out);
    }
}
