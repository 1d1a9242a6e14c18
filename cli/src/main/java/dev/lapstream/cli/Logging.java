package dev.lapstream.cli;

/**
 * Logging for a terminal program: warnings only by default so the progress bar stays readable; everything
 * of lapstream's own at info with {@code --verbose}. Must run before the first logger is created.
 */
final class Logging {

    private Logging() {
    }

    static void configure(boolean verbose) {
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setDefault("org.slf4j.simpleLogger.log.dev.lapstream", verbose ? "info" : "warn");
        // the report's info lines (one per scale and phase) are its progress through a run of most of an hour
        setDefault("org.slf4j.simpleLogger.log.dev.lapstream.report", "info");
        // the sink service's partition moves and stream resumes are its story as a long-running service
        setDefault("org.slf4j.simpleLogger.log.dev.lapstream.sink.SinkService", "info");
        setDefault("org.slf4j.simpleLogger.log.dev.lapstream.sink.StreamRun", "info");
        // the embedded controller logs expected shutdown races at warn/info; keep them out of the user's way
        setDefault("org.slf4j.simpleLogger.log.org.apache.kafka.controller", "error");
        setDefault("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        setDefault("org.slf4j.simpleLogger.log.kafka", "error");
        // transactions v2 reject a producer's later batches while its first is in flight with a retriable
        // OutOfOrderSequence error (KAFKA-18202) that the broker logs at error level; not a fault
        setDefault("org.slf4j.simpleLogger.log.kafka.server.ReplicaManager", "off");
        setDefault("org.slf4j.simpleLogger.log.org.apache.kafka.clients.consumer.internals", "error");
        // retriable transaction races (CONCURRENT_TRANSACTIONS) are retried by the producer itself
        setDefault("org.slf4j.simpleLogger.log.org.apache.kafka.clients.producer.internals.Sender", "error");
        // advice about Kafka 5.0 defaults, printed for every client
        setDefault("org.slf4j.simpleLogger.log.org.apache.kafka.streams.StreamsConfig", "error");
        setDefault("org.slf4j.simpleLogger.log.state.change.logger", "error");
        // FFmpeg's own stderr lines (AV_LOG_QUIET = -8): lapstream reports the problem in its own words
        setDefault("lapstream.ffmpeg.loglevel", verbose ? "24" : "-8");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
