package dev.lapstream.sink;

import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.Resize;
import dev.lapstream.core.image.RgbImage;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Segments decode alone and back to back, with the stream's frames, timestamps and audio. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SegmenterTest {

    private static final int RATE = 16_000;

    @Test
    void segmentsAreSelfContainedAndConcatenateToTheStream() throws Exception {
        List<EncodedSegment> out = new ArrayList<>();
        StreamInfo info = new StreamInfo(64, 48, 20, 1_500_000, 30, RATE, 1, "test");
        Segmenter s = new Segmenter("cam", info, SegmentOptions.ofSeconds(0.5), 0, out::add);
        long samples = 0;
        for (int i = 0; i < 30; i++) {
            s.write(new VideoFrame(i, i * 50_000L, 1000 + i, VideoWriterTest.picture(64, 48, i)), i);
            long until = (i + 1) * RATE / 20; // 800 samples per frame, in chunks of 300: they straddle boundaries
            while (samples < until) {
                int n = (int) Math.min(300, until - samples);
                s.write(new AudioChunk(samples * 1_000_000 / RATE, RATE, 1, VideoWriterTest.tone(n, 1, samples, RATE)), i);
                samples += n;
            }
        }
        s.finish(1_500_000);

        assertThat(out).extracting(EncodedSegment::index).containsExactly(0L, 1L, 2L);
        assertThat(out).extracting(EncodedSegment::firstFrame).containsExactly(0L, 10L, 20L);
        assertThat(out).extracting(EncodedSegment::frames).containsExactly(10L, 10L, 10L);
        assertThat(out).extracting(EncodedSegment::firstPtsMicros).containsExactly(0L, 500_000L, 1_000_000L);
        assertThat(out).extracting(EncodedSegment::durationMicros).containsOnly(500_000L);
        assertThat(out).extracting(EncodedSegment::last).containsExactly(false, false, true);
        assertThat(out).extracting(EncodedSegment::firstCaptureMillis).containsExactly(1000L, 1010L, 1020L);
        long firstPts = -1;
        for (EncodedSegment seg : out) {
            VideoWriterTest.Decoded d = decodeTs(seg.bytes());
            assertThat(d.pts()).as("segment %d alone", seg.index()).hasSize(10);
            assertThat(d.audioMicros()).as("segment %d audio", seg.index()).isCloseTo(500_000L, within(2 * 64_000L));
            if (firstPts < 0) {
                firstPts = d.pts().get(0);
            }
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (EncodedSegment seg : out) {
            all.write(seg.bytes());
        }
        VideoWriterTest.Decoded d = decodeTs(all.toByteArray());
        assertThat(d.pts()).hasSize(30);
        for (int i = 0; i < 30; i++) {
            assertThat(d.pts().get(i) - d.pts().get(0)).as("pts of frame %d", i).isEqualTo(i * 50_000L);
        }
        // every segment has a fresh AAC encoder: at most two frames of priming and padding more each
        assertThat(d.audioMicros()).isCloseTo(1_500_000L, within(3 * 2 * 64_000L));
        assertThat(d.width()).isEqualTo(64);
    }

    @Test
    void aSizeChangeStartsASegment() throws Exception {
        List<EncodedSegment> out = new ArrayList<>();
        StreamInfo info = new StreamInfo(32, 24, 10, -1, -1, 0, 0, "test");
        Segmenter s = new Segmenter("cam", info, SegmentOptions.ofSeconds(2), 4, out::add);
        for (int i = 0; i < 6; i++) {
            int w = i < 3 ? 32 : 48;
            s.write(new VideoFrame(i, i * 100_000L, 0, VideoWriterTest.picture(w, w * 3 / 4, i)), i);
        }
        s.finish(-1);
        assertThat(out).extracting(EncodedSegment::index).containsExactly(4L, 5L);
        assertThat(out).extracting(EncodedSegment::width).containsExactly(32, 48);
        assertThat(out).extracting(EncodedSegment::durationMicros).containsExactly(300_000L, 300_000L);
        assertThat(decodeTs(out.get(1).bytes()).pts()).hasSize(3);
    }

    /**
     * The default bitrate keeps 2 s segments of 1080p at 30 fps with stereo audio well under 1 MB: the committed
     * sample clip (pedestrians) upscaled bicubically to 1920x1080 as a worker would, played at 3x its speed and
     * looped, so there is more motion per frame and a cut where it loops.
     */
    @Test
    void defaultSegmentsOf1080pStayUnderTheRecordLimit() throws Exception {
        List<RgbImage> sample = new ArrayList<>();
        Path clip = Path.of(System.getProperty("lapstream.root", ".."), "samples", "vtest-192x144.mp4");
        for (byte[] px : VideoWriterTest.decode(clip).pixels()) {
            sample.add(Resize.resize(new RgbImage(192, 144, px), 1920, 1080));
        }
        List<EncodedSegment> out = new ArrayList<>();
        StreamInfo info = new StreamInfo(1920, 1080, 30, -1, -1, 48_000, 2, "test");
        Segmenter s = new Segmenter("hd", info, SegmentOptions.ofSeconds(2), 0, out::add);
        long samples = 0;
        for (int i = 0; i < 120; i++) {
            s.write(new VideoFrame(i, Math.round(i * 1e6 / 30), 0, sample.get(i % sample.size())), i);
            long until = Math.round((i + 1) * 48_000 / 30.0);
            int n = (int) (until - samples);
            s.write(new AudioChunk(samples * 1_000_000 / 48_000, 48_000, 2, VideoWriterTest.tone(n, 2, samples, 48_000)), i);
            samples = until;
        }
        s.finish(-1);
        for (EncodedSegment seg : out) {
            System.out.printf("1080p30 segment %d: %d frames, %.2f s, %d bytes%n", seg.index(), seg.frames(),
                    seg.durationMicros() / 1e6, seg.bytes().length);
        }
        assertThat(out).extracting(EncodedSegment::frames).containsExactly(60L, 60L);
        assertThat(out).allSatisfy(seg -> assertThat(seg.bytes().length).isLessThan(800_000));
    }

    static VideoWriterTest.Decoded decodeTs(byte[] bytes) throws Exception {
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(new ByteArrayInputStream(bytes));
        g.setFormat("mpegts");
        return VideoWriterTest.decode(g);
    }
}
