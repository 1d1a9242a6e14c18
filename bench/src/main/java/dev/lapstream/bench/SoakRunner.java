package dev.lapstream.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The pipeline soak behind {@code bench --soak}: it starts {@code lapstream worker} processes, so it lives in the
 * cli module (which depends on this one) and is handed to {@link BenchCommand} from there.
 */
public interface SoakRunner {

    /**
     * @param duration how long the streams run
     * @param interval time between memory samples
     * @param streams  concurrent streams, each the clip looped
     * @param clip     the video looped as every stream
     * @param upscaler the worker's {@code --upscaler}
     * @param model    the worker's {@code --model}; null for its default
     * @param threads  the worker's {@code --threads}
     */
    record Options(Duration duration, Duration interval, int streams, Path clip, double scale, Upscaler upscaler,
                   Path model, int threads) {

        public Options {
            if (duration.isNegative() || duration.isZero() || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("--soak and --soak-interval must be positive");
            }
            if (duration.compareTo(interval.multipliedBy(4)) < 0) {
                // fewer than two samples in the second half: no slope to fit
                throw new IllegalArgumentException("--soak " + DurationConverter.format(duration)
                        + " must be at least 4 times --soak-interval " + DurationConverter.format(interval));
            }
            if (streams < 1) {
                throw new IllegalArgumentException("--soak-streams must be at least 1, got " + streams);
            }
        }
    }

    /** The worker's upscalers, as its {@code --upscaler} spells them. */
    enum Upscaler { asdn, bicubic }

    void run(Options options, PrintStream out) throws Exception;
}
