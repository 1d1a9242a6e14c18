package dev.lapstream.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VideoWriterTest {

    @TempDir
    Path dir;

    /** What a plain JavaCV decode of the output shows. */
    record Decoded(int width, int height, List<Long> pts, List<byte[]> pixels, long audioSamples, int sampleRate,
                   int channels, long durationMicros, List<short[]> audio) {

        long audioMicros() {
            return sampleRate == 0 ? 0 : audioSamples * 1_000_000L / sampleRate;
        }
    }

    static Decoded decode(FFmpegFrameGrabber g) throws Exception {
        try (g) {
            g.setImageMode(FrameGrabber.ImageMode.COLOR);
            g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            g.setSampleMode(FrameGrabber.SampleMode.SHORT);
            g.start();
            List<Long> pts = new ArrayList<>();
            List<byte[]> px = new ArrayList<>();
            List<short[]> audio = new ArrayList<>();
            long samples = 0;
            Frame f;
            while ((f = g.grab()) != null) {
                if (f.image != null) {
                    pts.add(f.timestamp);
                    byte[] p = new byte[f.imageWidth * f.imageHeight * 3];
                    ByteBuffer b = (ByteBuffer) f.image[0];
                    for (int y = 0; y < f.imageHeight; y++) {
                        b.get(y * f.imageStride, p, y * f.imageWidth * 3, f.imageWidth * 3);
                    }
                    px.add(p);
                } else if (f.samples != null) {
                    ShortBuffer s = (ShortBuffer) f.samples[0];
                    short[] a = new short[s.remaining()];
                    s.get(s.position(), a);
                    audio.add(a);
                    samples += a.length / f.audioChannels;
                }
            }
            return new Decoded(g.getImageWidth(), g.getImageHeight(), pts, px, samples, g.getSampleRate(),
                    g.getAudioChannels(), g.getLengthInTime(), audio);
        }
    }

    static Decoded decode(Path p) throws Exception {
        return decode(new FFmpegFrameGrabber(p.toFile()));
    }

    /** A gradient whose blue channel carries the frame number. */
    static RgbImage picture(int w, int h, int i) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                px[o] = (byte) (x * 255 / w);
                px[o + 1] = (byte) (y * 255 / h);
                px[o + 2] = (byte) (i * 8);
            }
        }
        return new RgbImage(w, h, px);
    }

    static short[] tone(int n, int channels, long start, int rate) {
        short[] s = new short[n * channels];
        for (int i = 0; i < n; i++) {
            short v = (short) (4000 * Math.sin(2 * Math.PI * 440 * (start + i) / rate));
            for (int c = 0; c < channels; c++) {
                s[i * channels + c] = v;
            }
        }
        return s;
    }

    /** Writes {@code frames} pictures at {@code fps} and audio in 1024-sample chunks up to the end of each frame. */
    static void writeClip(VideoWriter w, int frames, double fps, int rate, int channels) {
        long written = 0;
        for (int i = 0; i < frames; i++) {
            w.write(new VideoFrame(i, Math.round(i * 1e6 / fps), 0, picture(w.options().width(), w.options().height(), i)));
            long until = Math.round((i + 1) * rate / fps);
            while (rate > 0 && written < until) {
                int n = (int) Math.min(1024, until - written);
                w.write(new AudioChunk(written * 1_000_000 / rate, rate, channels, tone(n, channels, written, rate)));
                written += n;
            }
        }
    }

    @Test
    void roundTripKeepsFrameCountSizeDurationAndAudio() throws Exception {
        Path out = dir.resolve("rt.mp4");
        try (VideoWriter w = new VideoWriter(out, 64, 48, 10, 16_000, 2)) {
            writeClip(w, 25, 10, 16_000, 2);
            assertEquals(25, w.framesWritten());
        }
        Decoded d = decode(out);
        assertEquals(64, d.width());
        assertEquals(48, d.height());
        assertEquals(25, d.pts().size());
        for (int i = 0; i < 25; i++) {
            assertEquals(i * 100_000L, d.pts().get(i), "pts of frame " + i);
            assertEquals(i * 8, d.pixels().get(i)[(24 * 64 + 32) * 3 + 2] & 0xff, 8, "content of frame " + i);
        }
        assertEquals(2_500_000, d.durationMicros(), 100_000, "duration within one frame");
        assertEquals(16_000, d.sampleRate());
        assertEquals(2, d.channels());
        assertEquals(2_500_000, d.audioMicros(), 70_000);
    }

    @Test
    void oddSizeIsPaddedNotScaled() throws Exception {
        Path out = dir.resolve("odd.mp4");
        try (VideoWriter w = new VideoWriter(out, VideoWriterOptions.of(63, 47, 10).withQuality(12))) {
            assertEquals(64, w.encodedWidth());
            assertEquals(48, w.encodedHeight());
            for (int i = 0; i < 5; i++) {
                w.write(new VideoFrame(i, i * 100_000L, 0, picture(63, 47, i)));
            }
        }
        Decoded d = decode(out);
        assertEquals(64, d.width());
        assertEquals(48, d.height());
        assertEquals(5, d.pts().size());
        // the picture sits unscaled at the top left: compare it with the source
        RgbImage src = picture(63, 47, 4);
        byte[] got = d.pixels().get(4);
        double se = 0;
        for (int y = 0; y < 47; y++) {
            for (int x = 0; x < 63; x++) {
                for (int c = 0; c < 3; c++) {
                    int diff = src.get(x, y, c) - (got[(y * 64 + x) * 3 + c] & 0xff);
                    se += diff * diff;
                }
            }
        }
        double psnr = 10 * Math.log10(255.0 * 255 / (se / (63 * 47 * 3)));
        assertTrue(psnr > 30, "psnr " + psnr);
    }

    @Test
    void variableFrameRateKeepsTiming() throws Exception {
        long[] pts = {0, 50_000, 100_000, 250_000, 300_000, 700_000, 750_000, 1_000_000};
        Path out = dir.resolve("vfr.mp4");
        try (VideoWriter w = new VideoWriter(out, VideoWriterOptions.of(32, 32, 20))) {
            for (int i = 0; i < pts.length; i++) {
                w.write(new VideoFrame(i, pts[i], 0, picture(32, 32, i)));
            }
        }
        Decoded d = decode(out);
        assertEquals(pts.length, d.pts().size());
        for (int i = 0; i < pts.length; i++) {
            assertEquals(pts[i], d.pts().get(i), 1, "frame " + i);
        }
    }

    @Test
    void framesSharingATickAreKeptNotDropped() throws Exception {
        long[] pts = {0, 100_000, 100_000, 120_000, 200_000};
        Path out = dir.resolve("jitter.mp4");
        try (VideoWriter w = new VideoWriter(out, VideoWriterOptions.of(32, 32, 10))) {
            for (int i = 0; i < pts.length; i++) {
                w.write(new VideoFrame(i, pts[i], 0, picture(32, 32, i)));
            }
            // only the repeated pts moves, by one 90 kHz tick; 120 ms is its own time, not the 10 fps grid's
            assertEquals(1, w.framesRetimed());
        }
        Decoded d = decode(out);
        assertEquals(List.of(0L, 100_000L, 100_011L, 120_000L, 200_000L), d.pts());
    }

    /** 20 frames at 5 fps, then 20 at 30 fps: 4.67 s, 8.57 fps on average. */
    static long[] fiveThenThirtyFps() {
        long[] pts = new long[40];
        for (int i = 0; i < 20; i++) {
            pts[i] = i * 200_000L;
            pts[20 + i] = 4_000_000L + Math.round(i * 1e6 / 30);
        }
        return pts;
    }

    /** Writes a picture at each pts into {@code container}, returning what the output decodes to. */
    Decoded writeTimed(VideoWriter.Container container, long[] pts, double nominalFps) throws Exception {
        VideoWriterOptions o = VideoWriterOptions.of(64, 48, nominalFps);
        boolean file = container == VideoWriter.Container.MP4 || container == VideoWriter.Container.MATROSKA;
        Path out = dir.resolve("timed-" + container + (container == VideoWriter.Container.MATROSKA ? ".mkv" : ".mp4"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (VideoWriter w = file ? new VideoWriter(out, container, o) : new VideoWriter(bytes, container, o)) {
            for (int i = 0; i < pts.length; i++) {
                w.write(new VideoFrame(i, pts[i], 0, picture(64, 48, i)));
            }
            assertEquals(0, w.framesRetimed());
        }
        return decode(file ? new FFmpegFrameGrabber(out.toFile())
                : new FFmpegFrameGrabber(new ByteArrayInputStream(bytes.toByteArray())));
    }

    @ParameterizedTest
    @EnumSource(VideoWriter.Container.class)
    void changingFrameRateKeepsEveryFramesTime(VideoWriter.Container container) throws Exception {
        long[] pts = fiveThenThirtyFps();
        double nominal = 40 / 4.6667;
        Decoded d = writeTimed(container, pts, nominal);
        assertEquals(pts.length, d.pts().size());
        long tick = container == VideoWriter.Container.MATROSKA ? 1_000 : 12; // one tick of its clock
        long origin = d.pts().get(0); // MPEG-TS starts its clock at 1.4 s
        for (int i = 0; i < pts.length; i++) {
            assertEquals(pts[i], d.pts().get(i) - origin, tick, "frame " + i + " of " + d.pts());
        }
        if (container == VideoWriter.Container.MP4 || container == VideoWriter.Container.MATROSKA) {
            // the last frame is shown for one nominal frame
            assertEquals(pts[pts.length - 1] + 1e6 / nominal, d.durationMicros(), 2_000, "duration");
        }
    }

    @Test
    void irregularFrameTimesAreKept() throws Exception {
        java.util.Random random = new java.util.Random(22);
        long[] pts = new long[30];
        for (int i = 1; i < pts.length; i++) {
            pts[i] = pts[i - 1] + 10_000 + random.nextInt(140_000);
        }
        Decoded d = writeTimed(VideoWriter.Container.MP4, pts, 12);
        assertEquals(pts.length, d.pts().size());
        for (int i = 0; i < pts.length; i++) {
            assertEquals(pts[i], d.pts().get(i), 12, "frame " + i);
        }
    }

    @Test
    void timestampsPastSixHoursFitTheClock() throws Exception {
        // 7 h is 2.3e9 ticks of 90 kHz, past what an int frame number holds; MPEG-TS, because an MP4 sample
        // cannot last 7 h (the jump between two frames here)
        long[] pts = {0, 1_000_000, 25_200_000_000L, 25_200_100_000L};
        Decoded d = writeTimed(VideoWriter.Container.MPEG_TS, pts, 10);
        long origin = d.pts().get(0);
        assertEquals(List.of(0L, 1_000_000L, 25_200_000_000L, 25_200_100_000L),
                d.pts().stream().map(p -> p - origin).toList());
    }

    @Test
    void bitrateIsBudgetedPerNominalFrame() {
        // OpenH264 assumes 60 fps with the fine time base: a 25 fps target asks for 60 / 25 of it
        assertEquals(2_400_000, VideoWriter.encoderBitrate(VideoWriterOptions.of(64, 48, 25).withVideoBitrate(1_000_000)));
        assertEquals(1_000_000, VideoWriter.encoderBitrate(VideoWriterOptions.of(64, 48, 60).withVideoBitrate(1_000_000)));
        assertEquals(1_000_000, VideoWriter.encoderBitrate(VideoWriterOptions.of(64, 48, 120).withVideoBitrate(1_000_000)));
    }

    @Test
    void audioGapIsFilledWithSilenceAndOverlapDropped() throws Exception {
        int rate = 8_000;
        Path out = dir.resolve("gap.mp4");
        try (VideoWriter w = new VideoWriter(out, 32, 32, 10, rate, 1)) {
            for (int i = 0; i < 20; i++) {
                w.write(new VideoFrame(i, i * 100_000L, 0, picture(32, 32, i)));
            }
            w.write(new AudioChunk(0, rate, 1, tone(4000, 1, 0, rate)));          // 0.0 - 0.5 s
            w.write(new AudioChunk(1_000_000, rate, 1, tone(4000, 1, 0, rate)));  // gap 0.5 s, then 1.0 - 1.5 s
            w.write(new AudioChunk(1_250_000, rate, 1, tone(4000, 1, 0, rate)));  // overlaps 0.25 s: ends at 1.75 s
        }
        Decoded d = decode(out);
        assertEquals(1_750_000, d.audioMicros(), 80_000);
        // the middle of the gap is silent, the middle of the tone is not
        short[] all = concat(d.audio());
        int offset = (int) (d.audioSamples() - 1_750_000L * rate / 1_000_000); // encoder priming, if any
        assertTrue(rms(all, offset + 5_600, 400) < 100, "silence in the gap");
        assertTrue(rms(all, offset + 2_000, 400) > 1000, "tone before the gap");
        assertTrue(rms(all, offset + 10_000, 400) > 1000, "tone after the gap");
    }

    @Test
    void fragmentedMp4ToStream() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (VideoWriter w = new VideoWriter(bytes, VideoWriter.Container.FRAGMENTED_MP4,
                VideoWriterOptions.of(48, 32, 10).withAudio(16_000, 1).withGopFrames(10))) {
            writeClip(w, 30, 10, 16_000, 1);
        }
        byte[] b = bytes.toByteArray();
        assertEquals("ftyp", new String(b, 4, 4, StandardCharsets.US_ASCII));
        assertTrue(count(b, "moof") >= 3, "one fragment per GOP, found " + count(b, "moof"));
        Decoded d = decode(new FFmpegFrameGrabber(new ByteArrayInputStream(b)));
        assertEquals(30, d.pts().size());
        assertTrue(d.audioSamples() > 0);
    }

    @Test
    void mpegTsToStream() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (VideoWriter w = new VideoWriter(bytes, VideoWriter.Container.MPEG_TS,
                VideoWriterOptions.of(48, 32, 10).withAudio(16_000, 1))) {
            writeClip(w, 20, 10, 16_000, 1);
        }
        byte[] b = bytes.toByteArray();
        assertEquals(0x47, b[0] & 0xff, "TS sync byte");
        assertEquals(0, b.length % 188);
        Decoded d = decode(new FFmpegFrameGrabber(new ByteArrayInputStream(b)));
        assertEquals(20, d.pts().size());
        assertEquals(1_900_000, d.pts().get(19) - d.pts().get(0));
        assertTrue(d.audioSamples() > 0);
    }

    @Test
    void bitrateModeAndMatroskaFile() throws Exception {
        Path out = dir.resolve("clip.mkv");
        try (VideoWriter w = new VideoWriter(out, VideoWriterOptions.of(64, 48, 25)
                .withVideoBitrate(VideoWriterOptions.suggestedBitrate(64, 48, 25)))) {
            writeClip(w, 10, 25, 0, 0);
        }
        assertEquals(10, decode(out).pts().size());
    }

    @Test
    void rejectsWrongFrameSizeAndMissingDirectory() {
        try (VideoWriter w = new VideoWriter(dir.resolve("x.mp4"), VideoWriterOptions.of(32, 32, 10))) {
            assertThrows(IllegalArgumentException.class, () -> w.write(new VideoFrame(0, 0, 0, picture(16, 16, 0))));
            w.write(new VideoFrame(0, 0, 0, picture(32, 32, 0)));
        }
        VideoOutputException e = assertThrows(VideoOutputException.class,
                () -> new VideoWriter(dir.resolve("no/such/dir/x.mp4"), VideoWriterOptions.of(32, 32, 10)));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> VideoWriterOptions.of(32, 32, 0));
    }

    @Test
    void sampleClipMakerMakesASmallClipWithSound() throws Exception {
        Path vtest = Path.of(System.getProperty("lapstream.shared", "../shared"), "data", "video", "vtest.avi");
        assumeTrue(Files.isRegularFile(vtest), "shared data not available: " + vtest);
        Path out = dir.resolve("sample.mp4");
        SampleClipMaker.make(vtest, out);
        assertTrue(Files.size(out) < 300_000, "size " + Files.size(out));
        Decoded d = decode(out);
        assertEquals(SampleClipMaker.WIDTH, d.width());
        assertEquals(SampleClipMaker.HEIGHT, d.height());
        assertEquals(SampleClipMaker.FRAMES, d.pts().size());
        assertEquals(SampleClipMaker.SAMPLE_RATE, d.sampleRate());
        assertEquals(4_000_000, d.audioMicros(), 60_000);
        // the beeps start on the whole seconds: sound is in sync with the pictures
        short[] all = concat(d.audio());
        int win = d.sampleRate() / 200;
        List<Long> onsets = new ArrayList<>();
        boolean on = false;
        for (int i = 0; i + win < all.length; i += win) {
            double r = rms(all, i, win);
            if (!on && r > 3000) {
                onsets.add(i * 1000L / d.sampleRate());
                on = true;
            } else if (on && r < 1500) {
                on = false;
            }
        }
        assertEquals(4, onsets.size(), "beeps at " + onsets);
        for (int k = 0; k < 4; k++) {
            assertEquals(k * 1000L, onsets.get(k), 15, "beeps at " + onsets);
        }
    }

    static short[] concat(List<short[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        short[] all = new short[n];
        int o = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, all, o, p.length);
            o += p.length;
        }
        return all;
    }

    static double rms(short[] s, int from, int n) {
        double sum = 0;
        for (int i = from; i < from + n; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / n);
    }

    static int count(byte[] b, String tag) {
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        int n = 0;
        outer:
        for (int i = 0; i + t.length <= b.length; i++) {
            for (int k = 0; k < t.length; k++) {
                if (b[i + k] != t[k]) {
                    continue outer;
                }
            }
            n++;
        }
        return n;
    }
}
