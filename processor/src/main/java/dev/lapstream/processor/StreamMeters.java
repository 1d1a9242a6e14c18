package dev.lapstream.processor;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's own meters, per stream (Prometheus names in brackets): frames in and out
 * ({@code lapstream_frames_in_total}, {@code lapstream_frames_out_total}), bytes ({@code lapstream_input_bytes_total},
 * {@code lapstream_output_bytes_total}), inference time and end-to-end latency as histograms
 * ({@code lapstream_inference_seconds}, {@code lapstream_frame_latency_seconds}), the subnet width and the kind
 * of reason for it ({@code lapstream_subnet_width}, {@code lapstream_subnet_reason}), frames per width
 * ({@code lapstream_subnet_frames_total}), partition lag ({@code lapstream_partition_lag_records}) and
 * dead letters by reason ({@code lapstream_dead_letters_total}). A stream's gauges go when its end record
 * passes, so an ended stream does not show a frozen lag.
 */
final class StreamMeters {

    /** The kinds of dead-letter reason, a label with few values (the full reason is in the record's header). */
    enum DeadLetterCause {
        MALFORMED, UNKNOWN_STREAM, INVALID_SPEC, UNSERVABLE_SPEC, UNAVAILABLE_MODEL, TOO_LARGE, PROCESSING_FAILED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<String, Gauges> gauges = new ConcurrentHashMap<>();

    StreamMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A video record of {@code bytes} arrived for {@code stream}. */
    void frameIn(String stream, long bytes) {
        Counter.builder("lapstream.frames.in").description("Video frames received by the worker")
                .tag("stream", stream).register(registry).increment();
        Counter.builder("lapstream.input").baseUnit("bytes").description("Bytes of video records received")
                .tag("stream", stream).register(registry).increment(bytes);
    }

    /**
     * A frame was upscaled and handed to Kafka.
     *
     * @param choice the controller's decision, or null for an upscaler without subnets
     */
    void frameOut(String stream, String upscaler, double inferenceMs, long latencyMs, long outputBytes, long lag,
                  WidthController.Choice choice) {
        Counter.builder("lapstream.frames.out").description("Upscaled frames handed to Kafka")
                .tag("stream", stream).register(registry).increment();
        Counter.builder("lapstream.output").baseUnit("bytes").description("Bytes of upscaled video records")
                .tag("stream", stream).register(registry).increment(outputBytes);
        histogram("lapstream.inference", "Time to upscale one frame", stream)
                .record((long) (inferenceMs * 1e6), TimeUnit.NANOSECONDS);
        histogram("lapstream.frame.latency", "Capture (decode) to upscaled, per frame", stream)
                .record(latencyMs, TimeUnit.MILLISECONDS);
        Counter.builder("lapstream.subnet.frames").description("Frames upscaled per subnet width (or upscaler)")
                .tag("stream", stream).tag("width", choice == null ? upscaler : String.valueOf(choice.width()))
                .register(registry).increment();
        Gauges g = gauges.computeIfAbsent(stream, s -> new Gauges(s, choice != null));
        g.lag.set(lag);
        if (choice != null) {
            g.width.set(choice.width());
            g.cause.set(choice.cause().ordinal());
        }
    }

    void deadLetter(String stream, DeadLetterCause cause) {
        Counter.builder("lapstream.dead.letters").description("Records sent to the dead-letter topic")
                .tag("stream", stream == null ? "" : stream).tag("reason", cause.label())
                .register(registry).increment();
    }

    /** The stream ended: its gauges would only repeat their last value from now on. */
    void ended(String stream) {
        Gauges g = gauges.remove(stream);
        if (g != null) {
            g.meters.forEach(registry::remove);
        }
    }

    private Timer histogram(String name, String description, String stream) {
        return Timer.builder(name).description(description).tag("stream", stream)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }

    /** One stream's gauges and the values they read (the registry holds gauges' state only weakly). */
    private final class Gauges {
        final AtomicLong lag = new AtomicLong();
        final AtomicInteger width = new AtomicInteger();
        final AtomicInteger cause = new AtomicInteger(-1);
        final List<Meter> meters = new ArrayList<>();

        Gauges(String stream, boolean subnets) {
            meters.add(Gauge.builder("lapstream.partition.lag", lag, AtomicLong::get).baseUnit("records")
                    .description("Records waiting on the stream's input partition at its last frame")
                    .tag("stream", stream).register(registry));
            if (subnets) {
                meters.add(Gauge.builder("lapstream.subnet.width", width, AtomicInteger::get)
                        .description("AnySR subnet width (channels) of the stream's last frame")
                        .tag("stream", stream).register(registry));
                // one series per kind of reason, 1 for the current one: a state set, bounded labels
                for (WidthController.Cause c : WidthController.Cause.values()) {
                    meters.add(Gauge.builder("lapstream.subnet.reason", cause, v -> v.get() == c.ordinal() ? 1 : 0)
                            .description("1 for the kind of reason behind the current subnet width")
                            .tag("stream", stream).tag("reason", c.label()).register(registry));
                }
            }
        }
    }
}
