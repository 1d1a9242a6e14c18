package dev.lapstream.sink;

import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The sink's HLS, served by its own HTTP server ({@link HlsOrigin}), in the players the README names: segments
 * from the {@link Segmenter} (H.264 and AAC in MPEG-TS) in a window of the {@link HlsPublisher}'s playlist, with a
 * scale change (a discontinuity) half-way. hls.js in headless Chromium plays it live, as the segments arrive, from
 * a page on another origin; FFmpeg's HLS demuxer (ffplay's) reads the ended playlist.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HlsPlaybackTest {

    private static final int FPS = 20;
    private static final int FRAMES = 6 * FPS;
    private static final int RATE = 48_000;
    private static final String STREAM = "cam-live";

    @TempDir
    Path dir;

    /**
     * One segment a second written while the page plays: hls.js transmuxes them to fragmented MP4 for Media Source
     * Extensions and Chromium decodes them, at each size, to the end of the playlist, and the last picture on
     * screen is the stream's last frame.
     */
    @Test
    void hlsJsPlaysTheLiveStreamToItsEnd() throws Exception {
        List<EncodedSegment> segments = encode();
        assertThat(segments).extracting(EncodedSegment::width).containsExactly(160, 160, 160, 240, 240, 240);
        HlsPublisher hls = new HlsPublisher(dir, 3, 1);
        hls.publish(segments.get(0));
        hls.publish(segments.get(1));

        ChromeDriver browser = HeadlessChromium.start();
        try (SinkHttp sink = new SinkHttp(dir); PlayerPage page = new PlayerPage()) {
            browser.get(page.playing(sink.hls(STREAM + "/index.m3u8")).toString());
            JavascriptExecutor js = browser;
            assertThat(js.executeScript("return playback.supported")).as("hls.js supported").isEqualTo(true);
            await("hls.js parses the playlist").atMost(Duration.ofSeconds(30))
                    .failFast("hls.js fatal error", () -> js.executeScript("return playback.fatal") != null)
                    .until(() -> js.executeScript("return playback.manifest").equals(true));

            // the rest of the stream arrives live: a segment a second, the playlist sliding over them
            long t0 = System.nanoTime();
            for (int i = 2; i < segments.size(); i++) {
                long due = t0 + (i - 1) * 1_000_000_000L;
                await().pollInterval(Duration.ofMillis(10)).until(() -> System.nanoTime() >= due);
                hls.publish(segments.get(i));
            }
            await("playback reaches #EXT-X-ENDLIST").atMost(Duration.ofSeconds(60))
                    .failFast("hls.js fatal error", () -> js.executeScript("return playback.fatal") != null)
                    .until(() -> js.executeScript("return playback.ended").equals(true));

            Files.write(Path.of("target", "hls-player.png"), browser.getScreenshotAs(OutputType.BYTES));
            double currentTime = number(js, "return document.getElementById('video').currentTime");
            double played = number(js, "const p = document.getElementById('video').played; let s = 0;"
                    + " for (let i = 0; i < p.length; i++) { s += p.end(i) - p.start(i); } return s;");
            long decoded = (long) number(js,
                    "return document.getElementById('video').getVideoPlaybackQuality().totalVideoFrames");
            System.out.printf("hls.js %s: %s, played %.2f s, currentTime %.2f s, sizes %s, %d frames decoded,"
                            + " fragments %s, errors %s%n", js.executeScript("return playback.version"),
                    js.executeScript("return playback.codecs"), played, currentTime,
                    js.executeScript("return playback.sizes"), decoded,
                    js.executeScript("return playback.buffered"), js.executeScript("return playback.errors"));

            assertThat(js.executeScript("return playback.fatal")).isNull();
            assertThat(js.executeScript("return playback.codecs")).asList()
                    .anySatisfy(c -> assertThat(c).asString().startsWith("video/mp4;codecs=avc1."))
                    .anySatisfy(c -> assertThat(c).asString().startsWith("audio/mp4;codecs=mp4a.40."));
            assertThat(js.executeScript("return playback.buffered")).asList()
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
            assertThat(js.executeScript("return playback.sizes")).asList().containsSubsequence("160x120", "240x180");
            assertThat(currentTime).isGreaterThan(5.8);
            assertThat(played).as("seconds played").isGreaterThan(5.5);
            assertThat(decoded).as("frames to the decoder").isEqualTo(FRAMES);

            // the picture on screen is the stream's last frame: its gradient in the right colours (a BT.601 picture
            // shown as BT.709 is 9 to 20 off in red and green), its blue (the frame number times 8) closer than a
            // neighbouring frame's
            RgbImage last = VideoWriterTest.picture(240, 180, FRAMES - 1);
            List<List<Integer>> points = List.of(List.of(180, 45), List.of(60, 135));
            List<?> shown = (List<?>) js.executeScript("return pixels(arguments[0])", points);
            System.out.println("last picture at " + points + ": " + shown);
            for (int p = 0; p < points.size(); p++) {
                int x = points.get(p).get(0);
                int y = points.get(p).get(1);
                List<Integer> rgb = ((List<?>) shown.get(p)).stream().map(v -> ((Number) v).intValue()).toList();
                assertThat(rgb.get(0)).as("red at %d,%d", x, y).isCloseTo(last.get(x, y, 0), within(6));
                assertThat(rgb.get(1)).as("green at %d,%d", x, y).isCloseTo(last.get(x, y, 1), within(6));
                assertThat(rgb.get(2)).as("blue at %d,%d", x, y).isCloseTo(last.get(x, y, 2), within(5));
            }
        } finally {
            browser.quit();
        }
    }

    /** The ended playlist over HTTP, as {@code ffplay http://.../index.m3u8} reads it: its window's frames and sound. */
    @Test
    void ffmpegReadsThePlaylistOverHttp() throws Exception {
        HlsPublisher hls = new HlsPublisher(dir, 3, 1);
        encode().forEach(hls::publish);
        try (SinkHttp sink = new SinkHttp(dir)) {
            VideoWriterTest.Decoded d = VideoWriterTest.decode(
                    new FFmpegFrameGrabber(sink.hls(STREAM + "/index.m3u8").toString()));
            // the window: segments 3 to 5, the stream's last three seconds
            assertThat(d.pts()).hasSize(FRAMES / 2);
            for (int i = 0; i < d.pts().size(); i++) {
                assertThat(d.pts().get(i) - d.pts().get(0)).as("pts of frame %d", i).isEqualTo(i * 1_000_000L / FPS);
            }
            assertThat(d.width()).isEqualTo(240);
            assertThat(d.pixels().get(d.pixels().size() - 1)[2] & 0xff).as("blue: the last frame's number")
                    .isCloseTo(VideoWriterTest.picture(240, 180, FRAMES - 1).get(0, 0, 2), within(5));
            assertThat(d.audioMicros()).isCloseTo(3_000_000L, within(300_000L));
        }
    }

    /** Six 1 s segments of a stream with audio, scaled from 160x120 to 240x180 after three seconds. */
    private static List<EncodedSegment> encode() {
        List<EncodedSegment> out = new ArrayList<>();
        StreamInfo info = new StreamInfo(160, 120, FPS, FRAMES * 1_000_000L / FPS, FRAMES, RATE, 1, "test");
        Segmenter segmenter = new Segmenter(STREAM, info, SegmentOptions.ofSeconds(1), 0, out::add);
        int samplesPerFrame = RATE / FPS;
        for (int i = 0; i < FRAMES; i++) {
            int w = i < FRAMES / 2 ? 160 : 240;
            long pts = i * 1_000_000L / FPS;
            segmenter.write(new VideoFrame(i, pts, System.currentTimeMillis(), VideoWriterTest.picture(w, w * 3 / 4, i)), i);
            segmenter.write(new AudioChunk(pts, RATE, 1, VideoWriterTest.tone(samplesPerFrame, 1,
                    (long) i * samplesPerFrame, RATE)), i);
        }
        segmenter.finish(FRAMES * 1_000_000L / FPS);
        return out;
    }

    private static double number(JavascriptExecutor js, String script) {
        return ((Number) js.executeScript(script)).doubleValue();
    }
}
