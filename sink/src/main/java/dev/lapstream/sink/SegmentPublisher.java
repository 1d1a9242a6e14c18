package dev.lapstream.sink;

/** One form a stream's segments are published in (the encoded topic, HLS). */
interface SegmentPublisher {

    /** Called in segment order per stream; {@link EncodedSegment#last()} closes the stream. */
    void publish(EncodedSegment segment);
}
