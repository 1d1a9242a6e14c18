package dev.lapstream.core;

/**
 * Names of the Kafka topics lapstream uses; all configurable, these are the defaults.
 *
 * @param frames   decoded frames keyed by stream id (ingest to worker)
 * @param streams  compacted stream specs keyed by stream id
 * @param upscaled upscaled frames keyed by stream id (worker to sink)
 * @param metrics  per-frame metrics JSON keyed by stream id
 * @param dlq      rejected records with the reason in headers
 * @param stats    per-stream aggregates over time windows (fps, latency percentiles, width mix)
 * @param encoded  the sink's encoded video: self-contained MPEG-TS segments keyed by stream id
 */
public record Topics(String frames, String streams, String upscaled, String metrics, String dlq, String stats,
                     String encoded) {

    public static final Topics DEFAULT = withPrefix("lapstream");

    /** The topics under one prefix, e.g. {@code lapstream.frames}; tests use a prefix per run. */
    public static Topics withPrefix(String prefix) {
        return new Topics(prefix + ".frames", prefix + ".streams", prefix + ".upscaled", prefix + ".metrics",
                prefix + ".dlq", prefix + ".stats", prefix + ".encoded");
    }
}
