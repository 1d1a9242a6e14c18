package dev.lapstream.core.frame;

import dev.lapstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PixelCodecTest {

    /** Smooth colour gradients with a little shared noise: compressible like a photo, not like random bytes. */
    private static RgbImage scene(int w, int h) {
        Random random = new Random(7);
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                int base = (int) (120 + 80 * Math.sin(x / 9.0) * Math.cos(y / 13.0));
                int noise = random.nextInt(2);
                px[i] = (byte) Math.max(0, Math.min(255, base + 30 + noise));
                px[i + 1] = (byte) Math.max(0, Math.min(255, base + noise));
                px[i + 2] = (byte) Math.max(0, Math.min(255, base - 40));
            }
        }
        return new RgbImage(w, h, px);
    }

    private static RgbImage roundTrip(String codec, RgbImage image) {
        byte[] record = FrameCodec.encode(new FrameRecord.Video(new VideoFrame(3, 100, 5, image)),
                PixelCodec.parse(codec));
        VideoFrame back = ((FrameRecord.Video) FrameCodec.decode(record)).frame();
        assertThat(back.index()).isEqualTo(3);
        assertThat(back.ptsMicros()).isEqualTo(100);
        return back.image();
    }

    private static double psnr(RgbImage a, RgbImage b) {
        double se = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            double d = (a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff);
            se += d * d;
        }
        return 10 * Math.log10(255.0 * 255 / (se / a.pixels().length));
    }

    @Test
    void losslessCodecsGiveBackEveryByte() {
        byte[] noise = new byte[7 * 5 * 3];
        new Random(1).nextBytes(noise);
        for (RgbImage image : new RgbImage[]{scene(64, 48), new RgbImage(7, 5, noise),
                new RgbImage(1, 1, new byte[]{(byte) 255, 0, 17})}) {
            assertThat(roundTrip("lossless", image).pixels()).isEqualTo(image.pixels());
            assertThat(roundTrip("png", image).pixels()).isEqualTo(image.pixels());
            assertThat(roundTrip("raw", image).pixels()).isEqualTo(image.pixels());
        }
    }

    @Test
    void compressedPayloadsAreSmallerAndJpegIsClose() {
        RgbImage image = scene(320, 240);
        int raw = image.pixels().length;
        assertThat(PixelCodec.parse("lossless").encode(image).length).isLessThan(raw / 2);
        assertThat(PixelCodec.parse("png").encode(image).length).isLessThan(raw / 2);
        byte[] q90 = PixelCodec.parse("jpeg:90").encode(image);
        byte[] q50 = PixelCodec.parse("jpeg:50").encode(image);
        assertThat(q50.length).isLessThan(q90.length);
        assertThat(q90.length).isLessThan(raw / 4);
        assertThat(psnr(image, roundTrip("jpeg:90", image))).isGreaterThan(33);
    }

    @Test
    void recordsOfTheFirstFormatStillDecode() {
        // version 1, pixel format 1 (RGB24), as written before the codecs existed
        byte[] px = {1, 2, 3, 4, 5, 6};
        ByteBuffer old = ByteBuffer.allocate(8 + 45 + px.length).put((byte) 'L').put((byte) 'S').put((byte) 1)
                .put((byte) 2).putInt(0).putLong(9).putLong(90).putInt(1).putInt(1_000_000).putLong(0)
                .putInt(2).putInt(1).put((byte) 1).putInt(px.length).put(px);
        VideoFrame frame = ((FrameRecord.Video) FrameCodec.decode(old.array())).frame();
        assertThat(frame.index()).isEqualTo(9);
        assertThat(frame.image().pixels()).containsExactly(px);
    }

    @Test
    void badPayloadsAreRejectedWithAReason() {
        RgbImage image = scene(16, 16);
        for (String codec : new String[]{"lossless", "jpeg", "png"}) {
            byte[] record = FrameCodec.encode(new FrameRecord.Video(new VideoFrame(0, 0, 0, image)),
                    PixelCodec.parse(codec));
            byte[] corrupt = record.clone();
            for (int i = 8 + 45 + 4; i < corrupt.length; i++) {
                corrupt[i] ^= (byte) 0x5a;
            }
            assertThatThrownBy(() -> FrameCodec.decode(corrupt)).as(codec)
                    .isInstanceOf(MalformedRecordException.class);
            // the header's size must be the payload's
            byte[] lying = record.clone();
            ByteBuffer.wrap(lying).putInt(8 + 36, 15);
            assertThatThrownBy(() -> FrameCodec.decode(lying)).as(codec).isInstanceOf(MalformedRecordException.class)
                    .hasMessageContaining("15");
        }
        byte[] unknown = FrameCodec.encode(new FrameRecord.Video(new VideoFrame(0, 0, 0, image)));
        unknown[8 + 40] = 42;
        assertThatThrownBy(() -> FrameCodec.decode(unknown)).hasMessageContaining("pixel format 42");
    }

    @Test
    void parsesCodecNames() {
        assertThat(PixelCodec.parse("JPEG").describe()).isEqualTo("jpeg:90");
        assertThat(PixelCodec.parse("jpeg:75").describe()).isEqualTo("jpeg:75");
        assertThat(PixelCodec.parse("lossless").format()).isEqualTo(PixelCodec.LOSSLESS);
        assertThatThrownBy(() -> PixelCodec.parse("jpeg:0")).hasMessageContaining("1..100");
        assertThatThrownBy(() -> PixelCodec.parse("webp")).hasMessageContaining("raw, lossless, png, jpeg");
    }
}
