package dev.lapstream.cli.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A soak's memory samples and their least-squares slope over the later half: the first half holds start-up
 * (class loading, JIT, the heap growing to its working size, TensorFlow's arenas), so only the later half says
 * whether memory has levelled off.
 */
final class MemoryTrend {

    /** One sample of the worker, MB: its resident set, and the least Java heap in use over the interval before. */
    record Sample(Duration elapsed, long frames, double residentMb, double heapMb) {
    }

    private final List<Sample> samples = new ArrayList<>();

    void add(Sample sample) {
        samples.add(sample);
    }

    /** The later half of the samples (the later and larger half for an odd count). */
    List<Sample> laterHalf() {
        return samples.subList(samples.size() / 2, samples.size());
    }

    /** MB per minute of the resident set over the later half; NaN with fewer than two samples there. */
    double residentSlope() {
        return slope(laterHalf(), Sample::residentMb);
    }

    /** MB per minute of the heap in use over the later half; NaN with fewer than two samples there. */
    double heapSlope() {
        return slope(laterHalf(), Sample::heapMb);
    }

    /** Least-squares slope of {@code y} against elapsed minutes. */
    static double slope(List<Sample> points, ToDoubleFunction<Sample> y) {
        if (points.size() < 2) {
            return Double.NaN;
        }
        double mx = points.stream().mapToDouble(MemoryTrend::minutes).average().orElseThrow();
        double my = points.stream().mapToDouble(y).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (Sample p : points) {
            double dx = minutes(p) - mx;
            sxy += dx * (y.applyAsDouble(p) - my);
            sxx += dx * dx;
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    private static double minutes(Sample s) {
        return s.elapsed().toMillis() / 60_000.0;
    }
}
