package dev.lapstream.sink;

/**
 * About {@code durationMicros} of one stream as MPEG-TS that starts with a key frame and its own PAT/PMT, so it
 * decodes on its own, and a stream's segments concatenated in index order are one playable file (timestamps
 * are the stream's own, continuous across segments).
 *
 * @param index              0-based position in the stream
 * @param firstFrame         index of its first video frame
 * @param frames             video frames in it
 * @param firstPtsMicros     presentation time of its first frame in the stream
 * @param durationMicros     time it covers: up to the next segment's first frame (the stream's end for the last)
 * @param firstCaptureMillis wall-clock capture time of its first frame, for the capture-to-publish latency
 * @param last               the stream's last segment
 * @param codecs             codec names, e.g. {@code h264,aac}
 */
public record EncodedSegment(String streamId, long index, long firstFrame, long frames, long firstPtsMicros,
                             long durationMicros, int width, int height, long firstCaptureMillis, boolean last,
                             String codecs, byte[] bytes) {
}
