package dev.lapstream.sink;

import dev.lapstream.media.FfmpegLog;
import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes {@code samples/vtest-192x144.mp4}: the first 4 s of OpenCV's {@code vtest.avi} (768x576, 10 fps),
 * downscaled 4x with area averaging, with a synthetic mono track (a quiet 220 Hz hum and a 100 ms 880 Hz beep
 * at every whole second, so audio passthrough and A/V sync can be heard and checked).
 *
 * A developer tool, kept in the test code so it does not ship; {@code samples/NOTICE} says how to run it.
 */
public final class SampleClipMaker {

    private static final Logger log = LoggerFactory.getLogger(SampleClipMaker.class);

    public static final int WIDTH = 192;
    public static final int HEIGHT = 144;
    public static final int FRAMES = 40;
    public static final int SAMPLE_RATE = 48_000;
    /** Audio is generated in chunks of this many samples (AAC frame size, like a real decoder's output). */
    private static final int CHUNK = 1024;

    private SampleClipMaker() {
    }

    public static void main(String[] args) throws Exception {
        Path in = Path.of(args.length > 0 ? args[0] : "../shared/data/video/vtest.avi");
        Path out = Path.of(args.length > 1 ? args[1] : "samples/vtest-192x144.mp4");
        make(in, out);
        log.info("wrote {} ({} bytes)", out, Files.size(out));
    }

    public static void make(Path vtest, Path out) throws Exception {
        FfmpegLog.init();
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        double fps;
        try (FFmpegFrameGrabber g = new FFmpegFrameGrabber(vtest.toFile())) {
            g.setImageMode(FrameGrabber.ImageMode.COLOR);
            g.setPixelFormat(avutil.AV_PIX_FMT_RGB24);
            g.setImageWidth(WIDTH);
            g.setImageHeight(HEIGHT);
            g.setImageScalingFlags(swscale.SWS_AREA); // 4x box downscale: no aliasing, no ringing
            g.start();
            fps = g.getFrameRate();
            VideoWriterOptions opts = VideoWriterOptions.of(WIDTH, HEIGHT, fps).withAudio(SAMPLE_RATE, 1)
                    .withQuality(20).withAudioBitrate(48_000);
            long durationMicros = Math.round(FRAMES * 1e6 / fps);
            long totalSamples = durationMicros * SAMPLE_RATE / 1_000_000;
            long written = 0;
            try (VideoWriter w = new VideoWriter(out, opts)) {
                Frame f;
                for (int i = 0; i < FRAMES && (f = g.grabImage()) != null; i++) {
                    long pts = Math.round(i * 1e6 / fps);
                    w.write(new VideoFrame(i, pts, System.currentTimeMillis(), copy(f)));
                    // audio up to the end of this frame, so both streams advance together
                    long until = Math.min(totalSamples, Math.round((i + 1) * SAMPLE_RATE / fps));
                    while (written < until) {
                        int n = (int) Math.min(CHUNK, totalSamples - written);
                        w.write(new AudioChunk(written * 1_000_000 / SAMPLE_RATE, SAMPLE_RATE, 1, tone(written, n)));
                        written += n;
                    }
                }
            }
        }
    }

    /** Quiet hum plus a beep at each whole second, 5 ms fades so the beeps do not click. */
    static short[] tone(long start, int n) {
        short[] s = new short[n];
        for (int i = 0; i < n; i++) {
            long t = start + i;
            double sec = (double) t / SAMPLE_RATE;
            double v = 0.02 * Math.sin(2 * Math.PI * 220 * sec);
            double inSecond = sec - Math.floor(sec);
            if (inSecond < 0.1) {
                double env = Math.min(1, Math.min(inSecond, 0.1 - inSecond) / 0.005);
                v += 0.25 * env * Math.sin(2 * Math.PI * 880 * sec);
            }
            s[i] = (short) Math.round(v * Short.MAX_VALUE);
        }
        return s;
    }

    private static RgbImage copy(Frame f) {
        int row = f.imageWidth * 3;
        byte[] px = new byte[row * f.imageHeight];
        ByteBuffer b = (ByteBuffer) f.image[0];
        for (int y = 0; y < f.imageHeight; y++) {
            b.get(y * f.imageStride, px, y * row, row);
        }
        return new RgbImage(f.imageWidth, f.imageHeight, px);
    }
}
