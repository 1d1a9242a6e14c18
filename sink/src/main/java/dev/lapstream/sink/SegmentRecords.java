package dev.lapstream.sink;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A segment as a record of the encoded topic: key the stream id, value the MPEG-TS bytes, and headers that say
 * what is in it without parsing it (decimal ASCII, so {@code kcat -f '%h'} shows them).
 */
public final class SegmentRecords {

    public static final String INDEX = "lapstream.segment";
    public static final String FIRST_FRAME = "lapstream.first-frame";
    public static final String FRAMES = "lapstream.frames";
    public static final String FIRST_PTS = "lapstream.first-pts-us";
    public static final String DURATION = "lapstream.duration-us";
    public static final String CODECS = "lapstream.codecs";
    public static final String SIZE = "lapstream.size";
    public static final String BYTES = "lapstream.bytes";
    public static final String LAST = "lapstream.last";
    /** The container, for consumers that only look at headers. */
    public static final String CONTAINER = "lapstream.container";

    private SegmentRecords() {
    }

    public static ProducerRecord<String, byte[]> toRecord(String topic, EncodedSegment s) {
        List<Header> headers = List.of(
                header(INDEX, s.index()),
                header(FIRST_FRAME, s.firstFrame()),
                header(FRAMES, s.frames()),
                header(FIRST_PTS, s.firstPtsMicros()),
                header(DURATION, s.durationMicros()),
                header(CODECS, s.codecs()),
                header(SIZE, s.width() + "x" + s.height()),
                header(BYTES, s.bytes().length),
                header(LAST, s.last()),
                header(CONTAINER, "mpegts"));
        return new ProducerRecord<>(topic, null, s.streamId(), s.bytes(), headers);
    }

    /** A header's value as text, or null when the record has none. */
    public static String text(org.apache.kafka.common.header.Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.US_ASCII);
    }

    private static Header header(String key, Object value) {
        return new RecordHeader(key, String.valueOf(value).getBytes(StandardCharsets.US_ASCII));
    }
}
