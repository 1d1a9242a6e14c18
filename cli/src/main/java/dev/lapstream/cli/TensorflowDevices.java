package dev.lapstream.cli;

import dev.lapstream.model.InferenceGraph;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.internal.c_api.TFE_Context;
import org.tensorflow.internal.c_api.TFE_ContextOptions;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Status;

import java.util.ArrayList;
import java.util.List;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_ContextListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_ContextOptionsSetConfig;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;

/**
 * The devices TensorFlow can place this process's graphs on. A GPU build without the CUDA or cuDNN libraries
 * it needs falls back to the CPU silently; this list says which happened. TensorFlow puts the serving graph's
 * ops on the first GPU when there is one.
 */
final class TensorflowDevices {

    private TensorflowDevices() {
    }

    /** Short device names, e.g. {@code [CPU:0, GPU:0]}. */
    static List<String> list() {
        try (PointerScope scope = new PointerScope()) {
            TF_Status status = TF_Status.newStatus();
            TFE_ContextOptions options = TFE_ContextOptions.newContextOptions();
            // the serving graph's options, so listing a GPU does not claim all of its memory
            byte[] config = InferenceGraph.config(0).toByteArray();
            TFE_ContextOptionsSetConfig(options, new BytePointer(config), config.length, status);
            status.throwExceptionIfNotOK();
            TFE_Context context = TFE_Context.newContext(options, status);
            status.throwExceptionIfNotOK();
            TF_DeviceList devices = TFE_ContextListDevices(context, status);
            status.throwExceptionIfNotOK();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < TF_DeviceListCount(devices); i++) {
                String name = TF_DeviceListName(devices, i, status).getString();
                status.throwExceptionIfNotOK();
                names.add(name.substring(name.lastIndexOf("device:") + "device:".length()));
            }
            TF_DeleteDeviceList(devices);
            return names;
        }
    }

    /** Where the graph runs: the first GPU if TensorFlow has one, else the CPU. */
    static String graphDevice(List<String> devices) {
        return devices.stream().filter(d -> d.startsWith("GPU:")).findFirst().orElse("CPU:0");
    }
}
