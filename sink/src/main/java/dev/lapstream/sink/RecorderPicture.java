package dev.lapstream.sink;

import java.lang.reflect.Field;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacv.FFmpegFrameRecorder;

/**
 * The picture a started {@link FFmpegFrameRecorder} encodes next, so its pts can be set in 64 bits: the
 * recorder's own {@code setFrameNumber} takes an int, which {@link VideoWriter}'s 90 kHz clock would overflow
 * after 6.6 hours of a live stream. JavaCV has no accessor for it; the field name is checked by every
 * {@link VideoWriter} test.
 */
final class RecorderPicture {

    private static final Field PICTURE;

    static {
        try {
            PICTURE = FFmpegFrameRecorder.class.getDeclaredField("picture");
            PICTURE.setAccessible(true);
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("this JavaCV has no FFmpegFrameRecorder.picture: " + e);
        }
    }

    private RecorderPicture() {
    }

    /** The recorder's video frame; only valid after {@code start()}. */
    static AVFrame of(FFmpegFrameRecorder recorder) {
        try {
            return (AVFrame) PICTURE.get(recorder);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot reach the recorder's picture", e);
        }
    }
}
