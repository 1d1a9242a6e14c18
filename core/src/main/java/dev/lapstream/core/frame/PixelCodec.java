package dev.lapstream.core.frame;

import dev.lapstream.core.image.RgbImage;

import java.util.Locale;

/**
 * How a video record's pixels travel: the {@code pixelFormat} byte of the wire format names the codec,
 * so every reader decodes every codec and each producer (ingest for the frames topic, the worker for the
 * upscaled topic) picks its own by configuration.
 *
 * <pre>
 * 1 raw       RGB24 as is (records written before the codecs existed)
 * 2 lossless  MED prediction, colour decorrelation, zstd ({@link ZstdPixels})
 * 3 png       PNG (ImageIO)
 * 4 jpeg:Q    baseline JPEG at quality Q (ImageIO; Q 1..100, 4:2:0 chroma)
 * </pre>
 */
public interface PixelCodec {

    byte RAW = 1;
    byte LOSSLESS = 2;
    byte PNG = 3;
    byte JPEG = 4;

    PixelCodec RAW_CODEC = new Raw();
    /**
     * What ingest sends (bench --codecs): JPEG 95 is 8 % of raw at 1080p and 51 dB PSNR-Y, so a 1080p frame fits
     * Kafka's default 1 MB record limit; lossless is 31 % (1.9 MB) and its encode as slow. The input gets the
     * higher quality of the two defaults because the upscaler enlarges whatever artefacts it is given.
     */
    String FRAMES_DEFAULT = "jpeg:95";
    /** What the worker sends: JPEG 90 (5 % of raw, 48.6 dB); the sink re-encodes to H.264, which loses more. */
    String UPSCALED_DEFAULT = "jpeg:90";

    /** The pixel format byte written before the payload. */
    byte format();

    byte[] encode(RgbImage image);

    /**
     * The producer {@code compression.type} worth setting for records of this codec: bench --codecs measured
     * lz4 batches of compressed payloads at 0.98-1.00 of their size (CPU for nothing), of raw frames at 0.77-0.80.
     */
    default String producerCompression() {
        return "none";
    }

    /** The name {@link #parse} reads back, e.g. {@code jpeg:90}. */
    String describe();

    /**
     * @param text {@code raw}, {@code lossless}, {@code png}, {@code jpeg} (quality 90) or {@code jpeg:Q}
     * @throws IllegalArgumentException naming the accepted forms
     */
    static PixelCodec parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("raw")) {
            return RAW_CODEC;
        }
        if (t.equals("lossless")) {
            return new ZstdPixels(ZstdPixels.DEFAULT_LEVEL);
        }
        if (t.equals("png")) {
            return ImageIoPixels.png();
        }
        if (t.equals("jpeg") || t.startsWith("jpeg:")) {
            int q = 90;
            if (t.startsWith("jpeg:")) {
                try {
                    q = Integer.parseInt(t.substring(5));
                } catch (NumberFormatException e) {
                    q = -1;
                }
            }
            if (q < 1 || q > 100) {
                throw new IllegalArgumentException("JPEG quality must be 1..100, got '" + text + "'");
            }
            return ImageIoPixels.jpeg(q);
        }
        throw new IllegalArgumentException("unknown frame codec '" + text + "' (raw, lossless, png, jpeg or jpeg:Q)");
    }

    /** Decodes a payload of the given pixel format to exactly {@code width x height}. */
    static RgbImage decode(byte format, int width, int height, byte[] payload) {
        RgbImage image = switch (format) {
            case RAW -> {
                if (payload.length != width * height * 3) {
                    throw new MalformedRecordException("pixel payload of " + payload.length
                            + " bytes does not match " + width + "x" + height + " RGB24");
                }
                yield new RgbImage(width, height, payload);
            }
            case LOSSLESS -> ZstdPixels.decode(width, height, payload);
            case PNG, JPEG -> ImageIoPixels.decode(payload);
            default -> throw new MalformedRecordException("unsupported pixel format " + format);
        };
        if (image.width() != width || image.height() != height) {
            throw new MalformedRecordException("payload decodes to " + image.width() + "x" + image.height()
                    + ", header says " + width + "x" + height);
        }
        return image;
    }

    /** RGB24 unchanged. */
    final class Raw implements PixelCodec {
        private Raw() {
        }

        @Override
        public byte format() {
            return RAW;
        }

        @Override
        public byte[] encode(RgbImage image) {
            return image.pixels();
        }

        @Override
        public String describe() {
            return "raw";
        }

        /** lz4 rather than zstd (0.61-0.65): a 6 MB frame costs zstd tens of ms on the producer's thread. */
        @Override
        public String producerCompression() {
            return "lz4";
        }
    }
}
