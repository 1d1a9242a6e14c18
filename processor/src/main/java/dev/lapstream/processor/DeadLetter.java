package dev.lapstream.processor;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;

/** Headers that say why a record went to the dead-letter topic and where it came from. */
public final class DeadLetter {

    public static final String REASON = "lapstream.reason";
    public static final String SOURCE = "lapstream.source";

    private DeadLetter() {
    }

    static Headers headers(Headers original, String reason, RecordMetadata source) {
        return headers(original, reason, source == null ? null : source.topic(),
                source == null ? -1 : source.partition(), source == null ? -1 : source.offset());
    }

    static Headers headers(Headers original, String reason, String topic, int partition, long offset) {
        Headers headers = new RecordHeaders(original == null ? new org.apache.kafka.common.header.Header[0]
                : original.toArray());
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        String where = topic == null ? "unknown" : topic + "-" + partition + "@" + offset;
        headers.add(SOURCE, where.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The reason header of a dead-lettered record, or null. */
    public static String reason(Headers headers) {
        var h = headers.lastHeader(REASON);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
