package dev.lapstream.cli;

import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.ingest.MediaItem;
import dev.lapstream.ingest.VideoSource;
import dev.lapstream.sink.VideoWriter;
import dev.lapstream.sink.VideoWriterOptions;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Synthetic test clips and a full decode of a result, for the end-to-end tests. */
final class Clips {

    private Clips() {
    }

    /** A moving gradient, {@code frames} at {@code fps}, with a 440 Hz tone when {@code audioRate > 0}. */
    static Path write(Path file, int w, int h, double fps, int frames, int audioRate) {
        VideoWriterOptions options = VideoWriterOptions.of(w, h, fps).withAudio(audioRate, audioRate > 0 ? 1 : 0);
        try (VideoWriter writer = new VideoWriter(file, options)) {
            long audioSamples = 0;
            for (int i = 0; i < frames; i++) {
                byte[] px = new byte[w * h * 3];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int p = (y * w + x) * 3;
                        px[p] = (byte) ((x + 4 * i) * 255 / (w + 4 * frames));
                        px[p + 1] = (byte) (y * 255 / h);
                        px[p + 2] = (byte) (((x / 8 + y / 8) % 2) * 200);
                    }
                }
                long pts = Math.round(i * 1e6 / fps);
                writer.write(new VideoFrame(i, pts, 0, new RgbImage(w, h, px)));
                if (audioRate > 0) {
                    long until = Math.round((i + 1) * audioRate / fps);
                    short[] s = new short[(int) (until - audioSamples)];
                    for (int k = 0; k < s.length; k++) {
                        s[k] = (short) (4000 * Math.sin(2 * Math.PI * 440 * (audioSamples + k) / audioRate));
                    }
                    writer.write(new AudioChunk(Math.round(audioSamples * 1e6 / audioRate), audioRate, 1, s));
                    audioSamples = until;
                }
            }
        }
        return file;
    }

    /**
     * A clip whose frames are at {@code ptsMicros}, which must lie on a 1 / {@code clockRate} grid. Written by
     * JavaCV directly, not by {@link VideoWriter}, so it holds those times whatever the writer under test does.
     */
    static Path writeTimed(Path file, int w, int h, long[] ptsMicros, int clockRate) {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), w, h, 0)) {
            r.setFormat("mp4");
            r.setVideoCodecName(VideoWriter.VIDEO_CODEC);
            r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(clockRate);
            r.start();
            Frame frame = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            for (int i = 0; i < ptsMicros.length; i++) {
                ByteBuffer px = (ByteBuffer) frame.image[0];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w * 3; x++) {
                        px.put(y * frame.imageStride + x, (byte) (x + 8 * i + y));
                    }
                }
                r.setFrameNumber(Math.toIntExact(Math.round(ptsMicros[i] * (double) clockRate / 1e6)));
                r.record(frame, avutil.AV_PIX_FMT_RGB24);
            }
            r.stop();
        } catch (FrameRecorder.Exception e) {
            throw new IllegalStateException("cannot write " + file, e);
        }
        return file;
    }

    /** 20 frames at 5 fps, then 20 at 30 fps: 4.67 s (the clip of issue 22). */
    static long[] fiveThenThirtyFps() {
        long[] pts = new long[40];
        for (int i = 0; i < 20; i++) {
            pts[i] = i * 200_000L;
            pts[20 + i] = 4_000_000L + Math.round(i * 1e6 / 30);
        }
        return pts;
    }

    /** Everything a file decodes to; {@code durationMicros} is the container's. */
    record Decoded(int width, int height, List<Long> pts, long audioSamples, int audioRate, double frameRate,
                   long durationMicros) {
    }

    static Decoded decode(Path file) {
        try (VideoSource source = VideoSource.open(file.toString())) {
            List<Long> pts = new ArrayList<>();
            long audio = 0;
            int rate = source.info().audioSampleRate();
            for (MediaItem item = source.next(); item != null; item = source.next()) {
                if (item instanceof MediaItem.Video v) {
                    pts.add(v.frame().ptsMicros());
                } else if (item instanceof MediaItem.Audio a) {
                    audio += a.chunk().samples().length / a.chunk().channels();
                }
            }
            return new Decoded(source.info().width(), source.info().height(), pts, audio, rate,
                    source.info().frameRate(), source.info().durationMicros());
        }
    }
}
