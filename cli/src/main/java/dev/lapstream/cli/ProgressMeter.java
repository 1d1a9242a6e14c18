package dev.lapstream.cli;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.function.LongConsumer;

/** Turns a "frames so far" progress callback into a per-stream Prometheus counter ({@code ..._total}). */
final class ProgressMeter {

    private ProgressMeter() {
    }

    static LongConsumer frames(MeterRegistry registry, String name, String description, String stream) {
        Counter counter = Counter.builder(name).description(description).tag("stream", stream).register(registry);
        long[] last = {0};
        return n -> {
            counter.increment(Math.max(0, n - last[0]));
            last[0] = Math.max(last[0], n);
        };
    }
}
