package dev.lapstream.core.frame;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The input contract for producers that are not lapstream: one record per frame on the frames topic, the key
 * the stream id, the value a JPEG or PNG image, and these headers (UTF-8 text):
 *
 * <pre>
 * lapstream.index       0-based frame index (required)
 * lapstream.pts         presentation time in lapstream.time-base units, e.g. 3003 with 1/30000
 * lapstream.time-base   num/den, required with lapstream.pts
 * lapstream.capture-ms  capture time, epoch ms: the timestamp when there is no lapstream.pts
 * lapstream.fps         nominal frame rate of the output file (default 30); frames keep their own pts
 * lapstream.end         on a record with an empty value: the stream is complete
 * </pre>
 *
 * Timestamps are taken relative to the stream's first frame. This class reads one record; the per-stream
 * part (first frame, size, count) is the worker's.
 */
public final class ImageContract {

    public static final String INDEX = "lapstream.index";
    public static final String PTS = "lapstream.pts";
    public static final String TIME_BASE = "lapstream.time-base";
    public static final String CAPTURE_MS = "lapstream.capture-ms";
    public static final String FPS = "lapstream.fps";
    public static final String END = "lapstream.end";
    public static final double DEFAULT_FPS = 30;

    /** One contract record: a frame, or the end marker. */
    public sealed interface Item {
    }

    /**
     * @param ptsMicros     absolute: the worker subtracts the stream's first
     * @param captureMillis lapstream.capture-ms, else the record's timestamp
     */
    public record Frame(long index, long ptsMicros, long captureMillis, double fps, byte[] image) implements Item {
    }

    public record End() implements Item {
    }

    private ImageContract() {
    }

    /** A record follows this contract when its value is an image or it carries one of the contract's headers. */
    public static boolean applies(byte[] value, Function<String, byte[]> headers) {
        return ImageIoPixels.sniff(value) != 0 || headers.apply(INDEX) != null || headers.apply(END) != null;
    }

    /**
     * @param headers the record's last header of a name, or null
     * @throws MalformedRecordException saying which header is missing or wrong, or that the value is no image
     */
    public static Item read(byte[] value, Function<String, byte[]> headers, long recordTimestamp) {
        if (headers.apply(END) != null) {
            if (value != null && value.length > 0) {
                throw new MalformedRecordException("end marker (header " + END + ") with a non-empty value");
            }
            return new End();
        }
        if (ImageIoPixels.sniff(value) == 0) {
            throw new MalformedRecordException("value is not a JPEG or PNG image");
        }
        long index = number(headers, INDEX);
        if (index < 0) {
            throw new MalformedRecordException("header " + INDEX + " is negative: " + index);
        }
        Long capture = headers.apply(CAPTURE_MS) == null ? null : number(headers, CAPTURE_MS);
        long pts;
        if (headers.apply(PTS) != null) {
            pts = micros(number(headers, PTS), timeBase(headers));
        } else if (capture != null) {
            pts = capture * 1000;
        } else {
            throw new MalformedRecordException("missing header " + PTS + " (with " + TIME_BASE + ") or " + CAPTURE_MS);
        }
        double fps = DEFAULT_FPS;
        if (headers.apply(FPS) != null) {
            try {
                fps = Double.parseDouble(text(headers, FPS));
            } catch (NumberFormatException e) {
                fps = -1;
            }
            if (!(fps > 0 && fps <= 1000)) {
                throw new MalformedRecordException("header " + FPS + " must be a frame rate in (0, 1000]: '"
                        + text(headers, FPS) + "'");
            }
        }
        return new Frame(index, pts, capture != null ? capture : recordTimestamp, fps, value);
    }

    private static long[] timeBase(Function<String, byte[]> headers) {
        if (headers.apply(TIME_BASE) == null) {
            throw new MalformedRecordException("header " + PTS + " without " + TIME_BASE + " (e.g. 1/90000)");
        }
        String tb = text(headers, TIME_BASE);
        String[] parts = tb.split("/");
        try {
            long num = Long.parseLong(parts[0].trim());
            long den = parts.length == 2 ? Long.parseLong(parts[1].trim()) : -1;
            if (num > 0 && den > 0) {
                return new long[]{num, den};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MalformedRecordException("header " + TIME_BASE + " must be num/den with positive parts: '" + tb + "'");
    }

    private static long micros(long pts, long[] timeBase) {
        return Math.round(pts * (timeBase[0] * 1e6 / timeBase[1]));
    }

    private static long number(Function<String, byte[]> headers, String name) {
        if (headers.apply(name) == null) {
            throw new MalformedRecordException("missing header " + name);
        }
        String text = text(headers, name);
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new MalformedRecordException("header " + name + " is not an integer: '" + text + "'");
        }
    }

    private static String text(Function<String, byte[]> headers, String name) {
        return new String(headers.apply(name), StandardCharsets.UTF_8);
    }
}
