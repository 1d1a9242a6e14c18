package dev.lapstream.ingest;

import java.nio.ByteBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/** Tiny synthetic clips written with plain JavaCV, so ingest tests need neither the sink nor ../shared. */
final class Fixtures {

    private Fixtures() {
    }

    /**
     * Writes a clip whose frame {@code i} sits at tick {@code ticks[i]} (1 tick = 1 / fps) and whose pixels encode
     * the frame number. {@code audioRate} 0 for no audio (else mono S16, a tone, up to the end of the last frame).
     */
    static Path clip(Path file, String format, int codec, int w, int h, double fps, int[] ticks, int audioRate,
                     String movflags) throws Exception {
        try (FFmpegFrameRecorder r = new FFmpegFrameRecorder(file.toFile(), w, h, audioRate > 0 ? 1 : 0)) {
            r.setFormat(format);
            r.setVideoCodec(codec);
            r.setPixelFormat(codec == avcodec.AV_CODEC_ID_RAWVIDEO ? avutil.AV_PIX_FMT_BGR24 : avutil.AV_PIX_FMT_YUV420P);
            r.setFrameRate(fps);
            r.setGopSize(10);
            r.setVideoQuality(4);
            if (movflags != null) {
                r.setOption("movflags", movflags);
            }
            if (audioRate > 0) {
                r.setAudioCodec(avcodec.AV_CODEC_ID_AAC);
                r.setSampleRate(audioRate);
                r.setAudioChannels(1);
                r.setAudioBitrate(32_000);
            }
            r.start();
            Frame f = new Frame(w, h, Frame.DEPTH_UBYTE, 3);
            long audioWritten = 0;
            for (int i = 0; i < ticks.length; i++) {
                ByteBuffer b = (ByteBuffer) f.image[0];
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int p = y * f.imageStride + x * 3;
                        b.put(p, (byte) (i * 8));
                        b.put(p + 1, (byte) (x * 255 / w));
                        b.put(p + 2, (byte) (y * 255 / h));
                    }
                }
                r.setFrameNumber(ticks[i]);
                r.record(f, avutil.AV_PIX_FMT_RGB24);
                if (audioRate > 0) {
                    long until = Math.round((ticks[i] + 1) * audioRate / fps);
                    short[] s = new short[(int) (until - audioWritten)];
                    for (int k = 0; k < s.length; k++) {
                        s[k] = (short) (3000 * Math.sin(2 * Math.PI * 440 * (audioWritten + k) / audioRate));
                    }
                    r.recordSamples(audioRate, 1, ShortBuffer.wrap(s));
                    audioWritten = until;
                }
            }
        }
        return file;
    }

    /** Constant-rate MP4 (mpeg4 video, moov at the end as JavaCV writes it by default). */
    static Path mp4(Path file, int w, int h, double fps, int frames, int audioRate, boolean faststart)
            throws Exception {
        return clip(file, "mp4", avcodec.AV_CODEC_ID_MPEG4, w, h, fps, range(frames), audioRate,
                faststart ? "+faststart" : null);
    }

    static int[] range(int n) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i;
        }
        return t;
    }

    /** The first {@code fraction} of {@code src}'s bytes. */
    static Path truncated(Path src, Path dst, double fraction) throws Exception {
        byte[] all = Files.readAllBytes(src);
        byte[] part = new byte[(int) (all.length * fraction)];
        System.arraycopy(all, 0, part, 0, part.length);
        return Files.write(dst, part);
    }
}
