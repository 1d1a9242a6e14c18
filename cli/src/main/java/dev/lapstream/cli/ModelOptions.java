package dev.lapstream.cli;

import dev.lapstream.model.ShippedModel;
import dev.lapstream.processor.Batching;
import dev.lapstream.processor.Models;
import dev.lapstream.processor.WidthController;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Which upscaler a worker runs and how. */
final class ModelOptions {

    @Option(names = "--upscaler", defaultValue = "asdn",
            description = "Upscaler: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    UpscalerChoice upscaler;

    @Option(names = "--model", paramLabel = "DIR",
            description = "ASDN SavedModel directory (default: the shipped model, models/" + ShippedModel.NAME + " of this checkout).")
    Path model;

    @Option(names = "--threads", defaultValue = "0", converter = Counts.NonNegative.class,
            description = "TensorFlow intra-op threads, 0 = all cores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--gpu-memory-fraction", paramLabel = "F", defaultValue = "0.0",
            description = "On a GPU: the most of its memory this process takes, 0..1, so several workers can share"
                    + " it; 0 = as much as it grows to (default: ${DEFAULT-VALUE}).")
    double gpuMemoryFraction;

    @Option(names = "--tile", defaultValue = "256", converter = Counts.NonNegative.class,
            description = "Upscale frames larger than this many input pixels a side in overlapping tiles, so memory"
                    + " stays bounded; 0 = whole frames (default: ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--latency-target", paramLabel = "MS", defaultValue = "2000", converter = Counts.Positive.class,
            description = "Width controller: how long a stream's backlog may take to drain before the subnet narrows,"
                    + " for streams whose policy sets no latencyTargetMs (default: ${DEFAULT-VALUE} ms).")
    int latencyTargetMs;

    @Option(names = "--controller-cool-down", paramLabel = "FRAMES", defaultValue = "10",
            converter = Counts.NonNegative.class,
            description = "Width controller: frames it holds a width after a change, so it does not flap"
                    + " (default: ${DEFAULT-VALUE}).")
    int coolDownFrames;

    @Option(names = "--batch-size", paramLabel = "FRAMES", defaultValue = "1", converter = Counts.Positive.class,
            description = "Frames of equal size (of the streams of one partition) run as one model call; 1 runs each"
                    + " frame as it comes (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batch-max-wait", paramLabel = "MS", defaultValue = "100", converter = Counts.Positive.class,
            description = "How long a frame waits for its batch to fill before a partial batch runs"
                    + " (default: ${DEFAULT-VALUE} ms).")
    int batchMaxWaitMs;

    Batching batching() {
        return new Batching(batchSize, Duration.ofMillis(batchMaxWaitMs));
    }

    WidthController.Tuning tuning() {
        return new WidthController.Tuning(coolDownFrames, Duration.ofMillis(latencyTargetMs));
    }

    dev.lapstream.core.image.Upscaler create() {
        return create(upscaler, model);
    }

    private dev.lapstream.core.image.Upscaler create(UpscalerChoice choice, Path dir) {
        dev.lapstream.core.image.Upscaler up = choice.create(dir, threads, gpuMemoryFraction);
        // 24 input pixels of context covers the network's receptive field (27 3x3 convs) at scales >= 2
        return tile > 0 && choice == UpscalerChoice.asdn ? new dev.lapstream.core.image.TiledUpscaler(up, tile, 24)
                : up;
    }

    /**
     * The models stream specs may name, besides {@code own}, run with these options (threads, tiles): a model
     * directory, or a folder under the checkout's {@code models/} (e.g. {@code fsdn-x3}).
     */
    Models models(dev.lapstream.core.image.Upscaler own, int maxModels) {
        return new Models(own, name -> create(UpscalerChoice.asdn, modelDirectory(name)), maxModels);
    }

    static Path modelDirectory(String name) {
        Path dir = Path.of(name);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path registered = UpscalerChoice.defaultModel().resolveSibling(name);
        if (Files.isDirectory(registered)) {
            return registered;
        }
        throw new IllegalArgumentException("no model directory " + dir + " (nor " + registered + ")");
    }
}
