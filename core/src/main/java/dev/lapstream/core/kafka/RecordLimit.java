package dev.lapstream.core.kafka;

import java.util.Map;

/**
 * The record size limit a producer enforces ({@code max.request.size}) and the one-line error for a frame over
 * it, naming what to raise: frames are the only records of lapstream that can outgrow a cluster's limits.
 */
public final class RecordLimit {

    public static final String MAX_REQUEST_SIZE = "max.request.size";
    /** Kafka's default, when neither lapstream nor the user set one. */
    private static final int KAFKA_DEFAULT = 1_048_576;

    private RecordLimit() {
    }

    /** The effective {@code max.request.size} of a producer config. */
    public static int of(Map<String, Object> producerConfig) {
        Object v = producerConfig.get(MAX_REQUEST_SIZE);
        return v == null ? KAFKA_DEFAULT : Integer.parseInt(v.toString().trim());
    }

    /** @param what e.g. "frame 12 of stream 'cam' (1920x1080, lossless)" */
    public static String tooLarge(String what, long bytes, int limit, String topic) {
        return tooLarge(what, bytes, limit, MAX_REQUEST_SIZE, topic);
    }

    /** @param setting where {@code limit} comes from, e.g. "max.request.size" */
    public static String tooLarge(String what, long bytes, int limit, String setting, String topic) {
        return what + " is " + bytes + " bytes, over " + setting + " (" + limit + "): " + raise(topic);
    }

    /** What to do about a frame over the limit. */
    public static String raise(String topic) {
        return "raise the producer's " + MAX_REQUEST_SIZE + " (--kafka-property) and the max.message.bytes of topic "
                + topic + ", or choose a more compact frame codec";
    }

    /** The broker refused a record its producer accepted: the topic's own limit is the lower one. */
    public static String refusedByBroker(String topic, String brokerMessage) {
        return "the broker refused a frame record for " + topic + " (" + brokerMessage + "): raise the topic's"
                + " max.message.bytes, or choose a more compact frame codec";
    }
}
