package dev.lapstream.cli;

import dev.lapstream.model.InferenceGraph;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The device line of the worker: what TensorFlow sees in this process, and which device the graph takes. */
class TensorflowDevicesTest {

    @Test
    void listsTheCpuAtLeast() {
        List<String> devices = TensorflowDevices.list();
        assertThat(devices).contains("CPU:0");
        assertThat(TensorflowDevices.graphDevice(devices)).isIn(devices);
    }

    @Test
    void aGpuTakesTheGraph() {
        assertThat(TensorflowDevices.graphDevice(List.of("CPU:0", "GPU:0", "GPU:1"))).isEqualTo("GPU:0");
        assertThat(TensorflowDevices.graphDevice(List.of("CPU:0"))).isEqualTo("CPU:0");
    }

    @Test
    void servingSessionsGrowGpuMemoryInsteadOfClaimingTheDevice() {
        assertThat(InferenceGraph.config(1).getGpuOptions().getAllowGrowth()).isTrue();
        assertThat(InferenceGraph.config(1).getIntraOpParallelismThreads()).isEqualTo(1);
        assertThat(InferenceGraph.config(1).getGpuOptions().getPerProcessGpuMemoryFraction()).isZero();
        assertThat(InferenceGraph.config(1, 0.25).getGpuOptions().getPerProcessGpuMemoryFraction()).isEqualTo(0.25);
        assertThat(InferenceGraph.config(1, 0.25).getGpuOptions().getAllowGrowth()).isTrue();
    }
}
