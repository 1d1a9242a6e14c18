package dev.lapstream.core.frame;

/**
 * Everything that travels on the frame topics for one stream, in order: one {@link Start}, then
 * {@link Video} and {@link Audio} records interleaved by presentation time, then one {@link End}.
 */
public sealed interface FrameRecord {

    /** Announces a stream; the worker rewrites width and height to the output size. */
    record Start(StreamInfo info) implements FrameRecord {
    }

    record Video(VideoFrame frame) implements FrameRecord {
    }

    record Audio(AudioChunk chunk) implements FrameRecord {
    }

    /**
     * Closes a stream.
     *
     * @param frames        video frames sent, so the sink can tell a complete stream from a lossy one
     * @param lastPtsMicros end time of the stream (pts of the last frame plus its duration)
     * @param truncated     the source ended early (corrupt or truncated input); frames before it are kept
     */
    record End(long frames, long lastPtsMicros, boolean truncated) implements FrameRecord {
    }
}
