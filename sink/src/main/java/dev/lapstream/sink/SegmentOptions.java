package dev.lapstream.sink;

/**
 * How the sink cuts and encodes the segments it publishes.
 *
 * @param segmentMicros target segment length: a segment ends at the first frame at least this long after its
 *                      first (latency from capture to publishing is at least this)
 * @param videoBitrate  H.264 bits per second; 0 chooses {@link #autoBitrate}
 * @param maxBytes      largest record the encoded topic takes; a segment that reaches {@link #cutBytes} ends
 *                      early, at the next frame
 */
public record SegmentOptions(long segmentMicros, int videoBitrate, int maxBytes) {

    /** The broker's default {@code message.max.bytes}, which segments must stay under without topic config. */
    public static final int BROKER_DEFAULT_MAX_BYTES = 1_048_588;
    /** Share of {@code maxBytes} the video bitrate targets: the rest is for audio, TS overhead and overshoot. */
    static final double VIDEO_SHARE = 0.6;

    public SegmentOptions {
        if (segmentMicros < 100_000 || segmentMicros > 60_000_000) {
            throw new IllegalArgumentException("segment length must be 0.1..60 s, got " + segmentMicros / 1e6 + " s");
        }
        if (videoBitrate < 0) {
            throw new IllegalArgumentException("video bitrate must not be negative: " + videoBitrate);
        }
        if (maxBytes < 64 * 1024) {
            throw new IllegalArgumentException("segment record limit must be at least 64 KiB, got " + maxBytes);
        }
    }

    public static SegmentOptions ofSeconds(double seconds) {
        return new SegmentOptions(Math.round(seconds * 1e6), 0, 1_000_000);
    }

    /**
     * The default bitrate: good quality for the picture ({@link VideoWriterOptions#suggestedBitrate}, 0.1 bit per
     * pixel per frame) but at most {@value #VIDEO_SHARE} of the record limit per segment length, so a segment
     * stays well under it (1 MB and 2 s: 2.4 Mbit/s, about 600 KB of video per segment at 1080p). OpenH264's
     * bitrate mode overshoots on the key frame that starts every segment; AAC (at most 192 kbit/s) and the
     * MPEG-TS packet overhead (about 5 %) take the rest of the headroom.
     */
    int autoBitrate(int width, int height, double frameRate) {
        if (videoBitrate > 0) {
            return videoBitrate;
        }
        double cap = VIDEO_SHARE * maxBytes * 8 / (segmentMicros / 1e6);
        return (int) Math.min(VideoWriterOptions.suggestedBitrate(width, height, frameRate), cap);
    }

    /** Encoded bytes at which a segment ends early: room for one more frame and the muxer's flush. */
    int cutBytes() {
        return maxBytes * 3 / 4;
    }
}
