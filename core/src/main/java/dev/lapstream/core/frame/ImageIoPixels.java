package dev.lapstream.core.frame;

import dev.lapstream.core.image.Images;
import dev.lapstream.core.image.RgbImage;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

/**
 * PNG and JPEG payloads through ImageIO: the pixel formats of the wire format that are also plain image files,
 * which is what producers outside lapstream send ({@link #sniff}).
 */
public final class ImageIoPixels implements PixelCodec {

    private final byte format;
    private final int quality;

    private ImageIoPixels(byte format, int quality) {
        this.format = format;
        this.quality = quality;
    }

    static ImageIoPixels png() {
        return new ImageIoPixels(PNG, 0);
    }

    static ImageIoPixels jpeg(int quality) {
        return new ImageIoPixels(JPEG, quality);
    }

    @Override
    public byte format() {
        return format;
    }

    @Override
    public String describe() {
        return format == PNG ? "png" : "jpeg:" + quality;
    }

    /** {@link #PNG} or {@link #JPEG} when the bytes start like such a file, else 0. */
    public static byte sniff(byte[] bytes) {
        if (bytes != null && bytes.length > 8) {
            if ((bytes[0] & 0xff) == 0xFF && (bytes[1] & 0xff) == 0xD8 && (bytes[2] & 0xff) == 0xFF) {
                return JPEG;
            }
            if ((bytes[0] & 0xff) == 0x89 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G') {
                return PNG;
            }
        }
        return 0;
    }

    @Override
    public byte[] encode(RgbImage image) {
        BufferedImage bi = toBgr(image);
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format == PNG ? "png" : "jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.pixels().length / (format == PNG ? 2 : 8));
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format == JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality / 100f);
            }
            writer.write(null, new IIOImage(bi, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a frame as " + describe(), e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * Decodes a PNG or JPEG image; its size is checked before any pixel is decoded, so a header claiming a
     * huge picture costs nothing.
     */
    public static RgbImage decode(byte[] bytes) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new MalformedRecordException("corrupt image: no ImageIO reader recognises it");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1 || w > FrameCodec.MAX_SIDE || h > FrameCodec.MAX_SIDE) {
                    throw new MalformedRecordException("image size " + w + "x" + h + " outside 1.."
                            + FrameCodec.MAX_SIDE);
                }
                return fromImage(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof MalformedRecordException m) {
                throw m;
            }
            throw new MalformedRecordException("corrupt image: " + e.getMessage());
        }
    }

    private static BufferedImage toBgr(RgbImage image) {
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

    /** A BGR raster (what JPEG and RGB PNG decode to) directly; anything else (grey, alpha, palette) via Images. */
    private static RgbImage fromImage(BufferedImage bi) {
        if (bi.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            return Images.fromBufferedImage(bi);
        }
        byte[] bgr = ((DataBufferByte) bi.getRaster().getDataBuffer()).getData();
        byte[] rgb = new byte[bgr.length];
        for (int i = 0; i < bgr.length; i += 3) {
            rgb[i] = bgr[i + 2];
            rgb[i + 1] = bgr[i + 1];
            rgb[i + 2] = bgr[i];
        }
        return new RgbImage(bi.getWidth(), bi.getHeight(), rgb);
    }
}
