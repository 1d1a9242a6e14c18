package dev.lapstream.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.ingest.VideoInputException.Reason;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.nio.ShortBuffer;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VideoSourceTest {

    @TempDir
    static Path dir;
    static Path clip;        // 64x48, 10 fps, 30 frames, AAC mono 16 kHz, moov at the end
    static Path fastStart;   // same with moov in front

    @BeforeAll
    static void fixtures() throws Exception {
        clip = Fixtures.mp4(dir.resolve("clip.mp4"), 64, 48, 10, 30, 16_000, false);
        fastStart = Fixtures.mp4(dir.resolve("faststart.mp4"), 64, 48, 10, 30, 16_000, true);
    }

    /** Everything a source yields, with its end state. */
    record Decoded(StreamInfo info, List<VideoFrame> frames, List<AudioChunk> audio, boolean truncated,
                   String warning) {
    }

    static Decoded decodeAll(String src, VideoSourceOptions options) {
        try (VideoSource s = VideoSource.open(src, options)) {
            List<VideoFrame> frames = new ArrayList<>();
            List<AudioChunk> audio = new ArrayList<>();
            s.forEach(frames::add, audio::add);
            assertNull(s.next(), "stays ended");
            return new Decoded(s.info(), frames, audio, s.truncated(), s.warning());
        }
    }

    static Decoded decodeAll(Path p) {
        return decodeAll(p.toString(), VideoSourceOptions.defaults());
    }

    static VideoInputException failure(String src, Reason expected) {
        return failure(src, VideoSourceOptions.defaults(), expected);
    }

    static VideoInputException failure(String src, VideoSourceOptions options, Reason expected) {
        VideoInputException e = assertThrows(VideoInputException.class, () -> decodeAll(src, options));
        assertEquals(expected, e.reason(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(src), "names the input: " + e.getMessage());
        return e;
    }

    static long audioMicros(List<AudioChunk> audio) {
        AudioChunk last = audio.get(audio.size() - 1);
        return last.ptsMicros() + last.samples().length / last.channels() * 1_000_000L / last.sampleRate();
    }

    @Test
    void decodesSyntheticClipWithAudio() {
        Decoded d = decodeAll(clip);
        assertEquals(64, d.info().width());
        assertEquals(48, d.info().height());
        assertEquals(10.0, d.info().frameRate(), 0.01);
        assertEquals(30, d.info().frameCount());
        assertTrue(d.info().hasAudio());
        assertEquals(16_000, d.info().audioSampleRate());
        assertEquals(1, d.info().audioChannels());
        assertEquals(30, d.frames().size());
        for (int i = 0; i < d.frames().size(); i++) {
            VideoFrame f = d.frames().get(i);
            assertEquals(i, f.index());
            assertEquals(i * 100_000L, f.ptsMicros(), "pts of frame " + i);
            assertEquals(64 * 48 * 3, f.image().pixels().length);
            // the red channel carries the frame number (i * 8), so frames are copies, not a reused buffer
            assertEquals(i * 8, f.image().get(32, 24, 0), 10, "content of frame " + i);
        }
        assertFalse(d.audio().isEmpty());
        for (AudioChunk a : d.audio()) {
            assertTrue(a.ptsMicros() >= 0);
        }
        assertEquals(3_000_000, audioMicros(d.audio()), 100_000);
        assertFalse(d.truncated(), d.warning());
    }

    @Test
    void decodesCommittedSample() {
        Path sample = Path.of(System.getProperty("lapstream.root", ".."), "samples", "vtest-192x144.mp4");
        assumeTrue(Files.isRegularFile(sample), "sample clip not found at " + sample);
        Decoded d = decodeAll(sample);
        assertEquals(192, d.info().width());
        assertEquals(144, d.info().height());
        assertEquals(40, d.frames().size());
        long prev = -1;
        for (VideoFrame f : d.frames()) {
            assertTrue(f.ptsMicros() > prev, "monotonic pts");
            prev = f.ptsMicros();
        }
        assertEquals(3_900_000, prev);
        assertTrue(d.info().hasAudio(), "sample has a sound track");
        assertEquals(4_000_000, audioMicros(d.audio()), 60_000);
        assertFalse(d.truncated(), d.warning());
    }

    @Test
    void keepsVariableFrameTiming() throws Exception {
        int[] ticks = {0, 1, 2, 5, 6, 12, 13, 14, 20, 29};
        Path vfr = Fixtures.clip(dir.resolve("vfr.mp4"), "mp4", avcodec.AV_CODEC_ID_MPEG4, 32, 32, 30, ticks, 0,
                null);
        Decoded d = decodeAll(vfr);
        assertEquals(ticks.length, d.frames().size());
        for (int i = 0; i < ticks.length; i++) {
            assertEquals(ticks[i] * 1e6 / 30, d.frames().get(i).ptsMicros(), 1000, "frame " + i);
        }
    }

    @Test
    void audioBeforeTheFirstPictureIsAlignedToIt() throws Exception {
        int[] ticks = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12}; // audio starts at 0, the first picture at 0.3 s
        Path late = Fixtures.clip(dir.resolve("late-video.mp4"), "mp4", avcodec.AV_CODEC_ID_MPEG4, 32, 32, 10, ticks,
                16_000, null);
        Decoded d = decodeAll(late);
        assertEquals(10, d.frames().size());
        for (int i = 0; i < 10; i++) {
            assertEquals(i * 100_000L, d.frames().get(i).ptsMicros(), "frame " + i);
        }
        assertTrue(d.audio().get(0).ptsMicros() >= 0 && d.audio().get(0).ptsMicros() < 70_000,
                "first audio at " + d.audio().get(0).ptsMicros());
        assertEquals(1_000_000, audioMicros(d.audio()), 70_000);
        assertFalse(d.truncated(), d.warning());
    }

    @Test
    void audioOnlyFile() throws Exception {
        Path m4a = dir.resolve("audio-only.m4a");
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(m4a.toFile(), 0, 0, 1)) {
            r.setFormat("mp4");
            r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
            r.setSampleRate(16_000);
            r.start();
            r.recordSamples(16_000, 1, ShortBuffer.wrap(new short[16_000]));
        }
        VideoInputException e = failure(m4a.toString(), Reason.NO_VIDEO_STREAM);
        assertTrue(e.getMessage().contains("audio but no video"), e.getMessage());
    }

    @Test
    void videoOnlyWhenAudioDisabled() {
        Decoded d = decodeAll(clip.toString(), VideoSourceOptions.defaults().withAudio(false));
        assertEquals(30, d.frames().size());
        assertTrue(d.audio().isEmpty());
        assertFalse(d.info().hasAudio());
    }

    @Test
    void fileUrlWorks() {
        assertEquals(30, decodeAll(clip.toUri().toString(), VideoSourceOptions.defaults()).frames().size());
    }

    @Test
    void missingFile() {
        failure(dir.resolve("nope.mp4").toString(), Reason.MISSING);
    }

    @Test
    void emptyFile() throws IOException {
        failure(Files.createFile(dir.resolve("empty.mp4")).toString(), Reason.EMPTY);
    }

    @Test
    void directory() {
        failure(dir.toString(), Reason.UNREADABLE);
    }

    @Test
    void randomBytesNamedMp4AndBin() throws IOException {
        byte[] junk = new byte[1_000_000];
        new Random(42).nextBytes(junk);
        failure(Files.write(dir.resolve("random.mp4"), junk).toString(), Reason.NOT_VIDEO);
        failure(Files.write(dir.resolve("random.bin"), junk).toString(), Reason.NOT_VIDEO);
    }

    @Test
    void textNamedMp4() throws IOException {
        Path txt = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(50));
        VideoInputException e = failure(txt.toString(), Reason.NOT_VIDEO);
        assertTrue(e.getMessage().contains("not a video"), e.getMessage());
    }

    @Test
    void randomBinWithoutWhitelistIsStoppedByTheDimensionBound() throws IOException {
        // FFmpeg's "bin" (ANSI art) demuxer takes any .bin as a 1280 x (size / 20) picture: 1 MB -> 1280x50000
        byte[] junk = new byte[1_000_000];
        new Random(7).nextBytes(junk);
        Path bin = Files.write(dir.resolve("art.bin"), junk);
        VideoSourceOptions permissive = VideoSourceOptions.defaults()
                .withFormatWhitelist(VideoSourceOptions.DEFAULT_FORMAT_WHITELIST + ",bin");
        VideoInputException e = failure(bin.toString(), permissive, Reason.BAD_DIMENSIONS);
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
    }

    @Test
    void headerClaimingHugePictureIsRejectedBeforeDecoding() throws Exception {
        Path avi = Fixtures.clip(dir.resolve("raw.avi"), "avi", avcodec.AV_CODEC_ID_RAWVIDEO, 16, 16, 10,
                Fixtures.range(3), 0, null);
        byte[] b = Files.readAllBytes(avi);
        patchAviSize(b, 16_000, 4_000);
        Path big = Files.write(dir.resolve("big.avi"), b);
        VideoInputException e = failure(big.toString(), Reason.BAD_DIMENSIONS);
        assertTrue(e.getMessage().contains("16000x4000"), e.getMessage());
        // so large that FFmpeg itself refuses the size: still a clean error
        patchAviSize(b, 60_000, 60_000);
        failure(Files.write(dir.resolve("huge.avi"), b).toString(), Reason.CORRUPT);
    }

    @Test
    void configurableDimensionBound() {
        VideoInputException e = failure(clip.toString(), VideoSourceOptions.defaults().withMaxDimensions(32, 32),
                Reason.BAD_DIMENSIONS);
        assertTrue(e.getMessage().contains("64x48"), e.getMessage());
    }

    @Test
    void truncatedMp4WithoutIndexFailsAtOpen() throws Exception {
        Path cut = Fixtures.truncated(clip, dir.resolve("cut-noindex.mp4"), 0.6);
        VideoInputException e = failure(cut.toString(), Reason.CORRUPT);
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedMp4WithIndexYieldsWhatDecodesAndSaysSo() throws Exception {
        Path cut = Fixtures.truncated(fastStart, dir.resolve("cut-faststart.mp4"), 0.5);
        Decoded d = decodeAll(cut);
        assertTrue(d.frames().size() > 3 && d.frames().size() < 30, "some frames: " + d.frames().size());
        assertTrue(d.truncated());
        assertNotNull(d.warning());
    }

    @Test
    void truncatedAviYieldsWhatDecodesAndSaysSo() throws Exception {
        Path vtest = Path.of(System.getProperty("lapstream.shared", "../shared"), "data", "video", "vtest.avi");
        assumeTrue(Files.isRegularFile(vtest), "shared data not available: " + vtest);
        Path cut = dir.resolve("vtest-cut.avi");
        try (var in = Files.newInputStream(vtest)) {
            Files.write(cut, in.readNBytes(1_500_000));
        }
        Decoded d = decodeAll(cut);
        assertTrue(d.frames().size() > 50 && d.frames().size() < 795, "frames: " + d.frames().size());
        assertTrue(d.truncated(), "a 795-frame AVI cut to 1.5 MB is reported");
        assertTrue(d.warning().contains("795"), d.warning());
    }

    @Test
    void truncatedMatroskaIsDetectedByDuration() throws Exception {
        Path mkv = Fixtures.clip(dir.resolve("clip.mkv"), "matroska", avcodec.AV_CODEC_ID_MPEG4, 64, 48, 10,
                Fixtures.range(30), 0, null);
        Decoded whole = decodeAll(mkv);
        assertEquals(30, whole.frames().size());
        assertFalse(whole.truncated(), whole.warning());
        Decoded d = decodeAll(Fixtures.truncated(mkv, dir.resolve("cut.mkv"), 0.5));
        assertTrue(d.frames().size() > 3 && d.frames().size() < 30, "some frames: " + d.frames().size());
        assertTrue(d.truncated(), "no frame count in Matroska: the announced duration gives it away");
        assertTrue(d.warning().contains("3.00 s"), d.warning());
    }

    @Test
    void headerOnlyFileFailsInsteadOfProducingNothing() throws Exception {
        Path cut = Fixtures.truncated(fastStart, dir.resolve("header-only.mp4"), 0.02);
        VideoInputException e = assertThrows(VideoInputException.class, () -> decodeAll(cut));
        assertEquals(Reason.CORRUPT, e.reason(), e.getMessage());
    }

    @Test
    void unsupportedScheme() {
        failure("ftp://example.com/a.mp4", Reason.UNSUPPORTED_PROTOCOL);
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void silentServerTimesOut() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            List<Socket> held = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(server.accept()); // accept, never answer
                    }
                } catch (IOException ignored) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/clip.mp4";
            long t0 = System.nanoTime();
            VideoInputException e = assertThrows(VideoInputException.class, () -> decodeAll(url,
                    VideoSourceOptions.defaults().withNetworkTimeout(Duration.ofSeconds(1))));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(e.reason() == Reason.TIMEOUT || e.reason() == Reason.IO, e.getMessage());
            assertTrue(seconds < 10, "gave up after " + seconds + " s");
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void tricklingServerIsCutOff() throws Exception {
        try (ServerSocket server = new ServerSocket(0)) {
            Thread trickler = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write(("HTTP/1.0 200 OK\r\nContent-Type: video/mp2t\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    while (true) { // one byte every 200 ms: never silent long enough for rw_timeout
                        s.getOutputStream().write(0x47);
                        s.getOutputStream().flush();
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException ignored) {
                    // client gave up
                }
            });
            trickler.setDaemon(true);
            trickler.start();
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/live.ts";
            long t0 = System.nanoTime();
            VideoInputException e = assertThrows(VideoInputException.class, () -> decodeAll(url,
                    VideoSourceOptions.defaults().withNetworkTimeout(Duration.ofSeconds(1))));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(Reason.TIMEOUT, e.reason(), e.getMessage());
            assertTrue(seconds < 8, "gave up after " + seconds + " s");
        }
    }

    /** Rewrites the picture size in an AVI's main header and video stream format (BITMAPINFOHEADER). */
    static void patchAviSize(byte[] b, int w, int h) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int avih = indexOf(b, "avih");
        buf.putInt(avih + 8 + 32, w);
        buf.putInt(avih + 8 + 36, h);
        int strf = indexOf(b, "strf");
        buf.putInt(strf + 8 + 4, w);
        buf.putInt(strf + 8 + 8, h);
    }

    static int indexOf(byte[] b, String tag) {
        byte[] t = tag.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + t.length <= b.length; i++) {
            for (int k = 0; k < t.length; k++) {
                if (b[i + k] != t[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException(tag + " not found");
    }
}
