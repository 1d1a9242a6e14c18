package dev.lapstream.cli.faults;

/**
 * How far a running {@code lapstream sink} process got, read from its Prometheus endpoint: the frames it has
 * encoded so far.
 */
final class SinkMetrics {

    static final String MARKER = MetricsEndpoint.MARKER;
    private static final String COUNTER = "lapstream_sink_frames_total";

    private SinkMetrics() {
    }

    /** Frames written so far; -1 while the process has not said where its metrics are or does not answer. */
    static long framesWritten(ChildJvm sink) {
        return MetricsEndpoint.scrape(sink).map(page -> (long) MetricsEndpoint.sum(page, COUNTER, "")).orElse(-1L);
    }
}
