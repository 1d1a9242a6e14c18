package dev.lapstream.processor;

import java.time.Duration;

/**
 * How a worker runs frames of equal size together: up to {@code size} frames of the streams of one task (one
 * input partition) go to the upscaler as one call, a partial batch once its first frame has waited
 * {@code maxWait}. Size 1 runs every frame as it comes.
 */
public record Batching(int size, Duration maxWait) {

    /** One frame at a time. */
    public static final Batching NONE = new Batching(1, Duration.ofMillis(100));

    public Batching {
        if (size < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + size);
        }
        if (maxWait.isNegative() || maxWait.isZero()) {
            throw new IllegalArgumentException("batch max wait must be positive, got " + maxWait.toMillis() + " ms");
        }
    }
}
