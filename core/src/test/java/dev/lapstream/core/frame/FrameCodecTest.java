package dev.lapstream.core.frame;

import dev.lapstream.core.image.RgbImage;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameCodecTest {

    private static RgbImage image(int w, int h, long seed) {
        byte[] px = new byte[w * h * 3];
        new Random(seed).nextBytes(px);
        return new RgbImage(w, h, px);
    }

    @Test
    void videoFrameRoundTrips() {
        VideoFrame frame = new VideoFrame(41, 4_100_000, 1_700_000_000_123L, image(7, 5, 1));
        FrameRecord back = FrameCodec.decode(FrameCodec.encode(new FrameRecord.Video(frame)));
        VideoFrame got = ((FrameRecord.Video) back).frame();
        assertThat(got.index()).isEqualTo(41);
        assertThat(got.ptsMicros()).isEqualTo(4_100_000);
        assertThat(got.captureMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(got.image().width()).isEqualTo(7);
        assertThat(got.image().height()).isEqualTo(5);
        assertThat(got.image().pixels()).isEqualTo(frame.image().pixels());
        assertThat(FrameCodec.videoIndex(FrameCodec.encode(new FrameRecord.Video(frame)))).isEqualTo(41);
    }

    @Test
    void startAudioAndEndRoundTrip() {
        StreamInfo info = new StreamInfo(192, 144, 10.0, 4_000_000, 40, 44100, 2, "samples/clip.mp4 ✓");
        assertThat(FrameCodec.decode(FrameCodec.encode(new FrameRecord.Start(info))))
                .isEqualTo(new FrameRecord.Start(info));

        short[] samples = {0, 1, -1, Short.MAX_VALUE, Short.MIN_VALUE, 42};
        FrameRecord.Audio audio = (FrameRecord.Audio) FrameCodec.decode(
                FrameCodec.encode(new FrameRecord.Audio(new AudioChunk(123, 48000, 2, samples))));
        assertThat(audio.chunk().samples()).containsExactly(samples);
        assertThat(audio.chunk().ptsMicros()).isEqualTo(123);
        assertThat(audio.chunk().sampleRate()).isEqualTo(48000);

        FrameRecord.End end = new FrameRecord.End(40, 4_000_000, true);
        assertThat(FrameCodec.decode(FrameCodec.encode(end))).isEqualTo(end);
        assertThat(FrameCodec.videoIndex(FrameCodec.encode(end))).isEqualTo(-1);
        assertThat(FrameCodec.videoIndex(FrameCodec.encode(new FrameRecord.Start(info)))).isEqualTo(-1);
        assertThat(FrameCodec.videoIndex("garbage, not a frame".getBytes())).isEqualTo(-1);
    }

    @Test
    void rejectsMalformedRecordsWithAReason() {
        byte[] good = FrameCodec.encode(new FrameRecord.Video(new VideoFrame(0, 0, 0, image(4, 4, 2))));

        assertThatThrownBy(() -> FrameCodec.decode(null)).hasMessageContaining("no value");
        assertThatThrownBy(() -> FrameCodec.decode(new byte[3])).hasMessageContaining("shorter than");
        assertThatThrownBy(() -> FrameCodec.decode("{\"json\":true}".getBytes()))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("magic");

        byte[] future = good.clone();
        future[2] = 9;
        assertThatThrownBy(() -> FrameCodec.decode(future)).hasMessageContaining("version 9");

        byte[] unknownType = good.clone();
        unknownType[3] = 77;
        assertThatThrownBy(() -> FrameCodec.decode(unknownType)).hasMessageContaining("type 77");

        assertThatThrownBy(() -> FrameCodec.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> FrameCodec.decode(Arrays.copyOf(good, good.length + 3)))
                .hasMessageContaining("trailing");

        // header claims a 100000 x 100000 frame: rejected before any allocation
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).putInt(8 + 8 + 8 + 4 + 4 + 8, 100_000).putInt(8 + 8 + 8 + 4 + 4 + 8 + 4, 100_000);
        assertThatThrownBy(() -> FrameCodec.decode(huge)).hasMessageContaining("100000x100000");

        byte[] badTimeBase = good.clone();
        ByteBuffer.wrap(badTimeBase).putInt(8 + 8 + 8 + 4, 0);
        assertThatThrownBy(() -> FrameCodec.decode(badTimeBase)).hasMessageContaining("time base");

        byte[] random = new byte[500];
        new Random(3).nextBytes(random);
        assertThatThrownBy(() -> FrameCodec.decode(random)).isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void convertsForeignTimeBasesToMicroseconds() {
        byte[] rec = FrameCodec.encode(new FrameRecord.Video(new VideoFrame(3, 0, 0, image(2, 2, 4))));
        // pts 3 in time base 1/10 (a 10 fps stream's own clock) is 300 ms
        ByteBuffer.wrap(rec).putLong(16, 3).putInt(24, 1).putInt(28, 10);
        assertThat(((FrameRecord.Video) FrameCodec.decode(rec)).frame().ptsMicros()).isEqualTo(300_000);
    }
}
