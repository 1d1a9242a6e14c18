package dev.lapstream.sink;

import dev.lapstream.core.frame.StreamInfo;

/**
 * What a {@link VideoWriter} produces. Immutable; start from {@link #of} or {@link #forStream} and use the withers.
 *
 * @param width           picture width of the frames that will be written
 * @param height          picture height of the frames that will be written
 * @param frameRate       nominal frames per second: the rate the stream declares, the default GOP, the bitrate's
 *                        budget per frame and the last frame's display time; frames keep their own timestamps
 * @param audioSampleRate output audio sample rate, 0 for no audio track
 * @param audioChannels   output audio channels, 0 for no audio track
 * @param quality         constant-quality setting like x264's CRF: an H.264 QP, 1 (best) .. 51; used when
 *                        {@code videoBitrate} is 0
 * @param videoBitrate    target bits per second; 0 means constant quality instead
 * @param gopFrames       frames between key frames (fragment length for fragmented MP4); 0 means 2 seconds
 * @param audioBitrate    AAC bits per second; 0 means 64 kbit/s per channel, at most 192 kbit/s
 * @param outputOffsetMicros added by the muxer to every timestamp in the output, so a segment encoded from its
 *                        own time 0 (video and audio alike) continues its stream's timeline
 */
public record VideoWriterOptions(int width, int height, double frameRate, int audioSampleRate, int audioChannels,
                                 int quality, int videoBitrate, int gopFrames, int audioBitrate,
                                 long outputOffsetMicros) {

    public static final int DEFAULT_QUALITY = 23;

    public VideoWriterOptions {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("output size must be positive: " + width + "x" + height);
        }
        if (!(frameRate > 0 && frameRate <= 1000)) {
            throw new IllegalArgumentException("frame rate must be in (0, 1000]: " + frameRate);
        }
        if ((audioSampleRate > 0) != (audioChannels > 0) || audioSampleRate < 0 || audioChannels < 0) {
            throw new IllegalArgumentException("audio needs both a sample rate and channels (or neither): "
                    + audioSampleRate + " Hz, " + audioChannels + " channels");
        }
        if (quality < 1 || quality > 51) {
            throw new IllegalArgumentException("quality must be an H.264 QP in 1..51: " + quality);
        }
        if (videoBitrate < 0 || gopFrames < 0 || audioBitrate < 0 || outputOffsetMicros < 0) {
            throw new IllegalArgumentException("bitrates, GOP and output offset must not be negative");
        }
    }

    /** Video only, constant quality {@value #DEFAULT_QUALITY}, key frame every 2 s. */
    public static VideoWriterOptions of(int width, int height, double frameRate) {
        return new VideoWriterOptions(width, height, frameRate, 0, 0, DEFAULT_QUALITY, 0, 0, 0, 0);
    }

    /** Same frame rate and audio format as the input stream, at the (upscaled) output size. */
    public static VideoWriterOptions forStream(StreamInfo input, int outWidth, int outHeight) {
        return of(outWidth, outHeight, input.frameRate() > 0 ? input.frameRate() : 25)
                .withAudio(input.hasAudio() ? input.audioSampleRate() : 0, input.hasAudio() ? input.audioChannels() : 0);
    }

    public VideoWriterOptions withAudio(int sampleRate, int channels) {
        return new VideoWriterOptions(width, height, frameRate, sampleRate, channels, quality, videoBitrate, gopFrames,
                audioBitrate, outputOffsetMicros);
    }

    public VideoWriterOptions withQuality(int qp) {
        return new VideoWriterOptions(width, height, frameRate, audioSampleRate, audioChannels, qp, 0, gopFrames,
                audioBitrate, outputOffsetMicros);
    }

    /** Bitrate mode; see {@link #suggestedBitrate} for a value sized to the picture. */
    public VideoWriterOptions withVideoBitrate(int bitsPerSecond) {
        return new VideoWriterOptions(width, height, frameRate, audioSampleRate, audioChannels, quality, bitsPerSecond,
                gopFrames, audioBitrate, outputOffsetMicros);
    }

    public VideoWriterOptions withGopFrames(int frames) {
        return new VideoWriterOptions(width, height, frameRate, audioSampleRate, audioChannels, quality, videoBitrate,
                frames, audioBitrate, outputOffsetMicros);
    }

    public VideoWriterOptions withAudioBitrate(int bitsPerSecond) {
        return new VideoWriterOptions(width, height, frameRate, audioSampleRate, audioChannels, quality, videoBitrate,
                gopFrames, bitsPerSecond, outputOffsetMicros);
    }

    public VideoWriterOptions withOutputOffset(long micros) {
        return new VideoWriterOptions(width, height, frameRate, audioSampleRate, audioChannels, quality, videoBitrate,
                gopFrames, audioBitrate, micros);
    }

    public boolean hasAudio() {
        return audioChannels > 0 && audioSampleRate > 0;
    }

    /** Key-frame interval actually used. */
    public int effectiveGop() {
        return gopFrames > 0 ? gopFrames : Math.max(1, (int) Math.round(2 * frameRate));
    }

    /** AAC bitrate actually used. */
    public int effectiveAudioBitrate() {
        return audioBitrate > 0 ? audioBitrate : Math.min(192_000, 64_000 * Math.max(1, audioChannels));
    }

    /**
     * A bitrate that gives good H.264 quality for this picture: about 0.1 bit per pixel per frame, between
     * 200 kbit/s and 40 Mbit/s (≈ 2.8 Mbit/s for 1280x720 at 30 fps).
     */
    public static int suggestedBitrate(int width, int height, double frameRate) {
        double bps = 0.1 * width * height * Math.max(1, frameRate);
        return (int) Math.max(200_000, Math.min(40_000_000, bps));
    }
}
