package dev.lapstream.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link VideoSource} opens its input. Immutable; start from {@link #defaults()} and use the withers.
 *
 * @param maxWidth        largest accepted picture width (pixels)
 * @param maxHeight       largest accepted picture height (pixels)
 * @param networkTimeout  how long a network read or connect may stall before the source gives up
 * @param includeAudio    decode the audio stream too (false: video only)
 * @param formatWhitelist FFmpeg demuxer names that may open the input (comma separated)
 */
public record VideoSourceOptions(int maxWidth, int maxHeight, Duration networkTimeout, boolean includeAudio,
                                 String formatWhitelist) {

    /** Demuxers for real video containers. No image2 / raw-data probes: random bytes must not "open". */
    public static final String DEFAULT_FORMAT_WHITELIST = String.join(",",
            "mov", "mp4", "m4a", "3gp", "3g2", "mj2",   // one demuxer, several names
            "matroska", "webm",
            "avi",
            "mpegts", "mpeg", "mpegvideo",
            "flv", "live_flv",
            "h264", "hevc",
            "ivf", "ogg",
            "rtsp", "sdp", "rtp",
            "hls", "dash",
            // audio-only demuxers HLS/DASH segments may contain
            "aac", "mp3", "webvtt");

    public static final int DEFAULT_MAX_DIMENSION = 8192;

    public VideoSourceOptions {
        if (maxWidth < 1 || maxHeight < 1) {
            throw new IllegalArgumentException("max dimensions must be positive: " + maxWidth + "x" + maxHeight);
        }
        Objects.requireNonNull(networkTimeout, "networkTimeout");
        if (networkTimeout.isNegative() || networkTimeout.isZero()) {
            throw new IllegalArgumentException("network timeout must be positive: " + networkTimeout);
        }
        Objects.requireNonNull(formatWhitelist, "formatWhitelist");
    }

    public static VideoSourceOptions defaults() {
        return new VideoSourceOptions(DEFAULT_MAX_DIMENSION, DEFAULT_MAX_DIMENSION, Duration.ofSeconds(15), true,
                DEFAULT_FORMAT_WHITELIST);
    }

    public VideoSourceOptions withMaxDimensions(int width, int height) {
        return new VideoSourceOptions(width, height, networkTimeout, includeAudio, formatWhitelist);
    }

    public VideoSourceOptions withNetworkTimeout(Duration timeout) {
        return new VideoSourceOptions(maxWidth, maxHeight, timeout, includeAudio, formatWhitelist);
    }

    public VideoSourceOptions withAudio(boolean audio) {
        return new VideoSourceOptions(maxWidth, maxHeight, networkTimeout, audio, formatWhitelist);
    }

    public VideoSourceOptions withFormatWhitelist(String whitelist) {
        return new VideoSourceOptions(maxWidth, maxHeight, networkTimeout, includeAudio, whitelist);
    }
}
