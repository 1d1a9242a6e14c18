package dev.lapstream.dashboard;

import dev.lapstream.core.image.RgbImage;

import javax.imageio.ImageIO;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A frame as a small JPEG for the page: scaled (never up) to fit a box, aspect kept. */
final class Thumbnails {

    static final int MAX_WIDTH = 320;
    static final int MAX_HEIGHT = 240;

    private Thumbnails() {
    }

    static byte[] jpeg(RgbImage image) {
        double fit = Math.min(1.0, Math.min((double) MAX_WIDTH / image.width(), (double) MAX_HEIGHT / image.height()));
        int w = Math.max(1, (int) Math.round(image.width() * fit));
        int h = Math.max(1, (int) Math.round(image.height() * fit));
        BufferedImage thumb = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        var g = thumb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(toBufferedImage(image), 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(thumb, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage toBufferedImage(RgbImage image) {
        BufferedImage bi = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) bi.getRaster().getDataBuffer()).getData();
        byte[] rgb = image.pixels();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return bi;
    }
}
