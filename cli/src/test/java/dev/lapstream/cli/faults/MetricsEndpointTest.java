package dev.lapstream.cli.faults;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MetricsEndpointTest {

    private static final String PAGE = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
            jvm_memory_used_bytes_other{area="heap"} 9.0
            lapstream_sink_frames_total 42.0
            """;

    @Test
    void sumsTheSamplesWithTheLabelsOnly() {
        assertEquals(12_582_912, MetricsEndpoint.sum(PAGE, "jvm_memory_used_bytes", "area=\"heap\""));
        assertEquals(62_582_912, MetricsEndpoint.sum(PAGE, "jvm_memory_used_bytes", ""));
        assertEquals(42, MetricsEndpoint.sum(PAGE, "lapstream_sink_frames_total", ""));
        assertEquals(0, MetricsEndpoint.sum(PAGE, "absent", ""));
    }
}
