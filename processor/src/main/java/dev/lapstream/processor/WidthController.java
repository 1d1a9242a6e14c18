package dev.lapstream.processor;

import dev.lapstream.core.spec.StreamSpec;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Picks the AnySR subnet width for the next frame from how far behind the worker is (AnySR: trade width
 * for throughput). The backlog is turned into time: {@code lag x (measured seconds per frame at a width)}.
 * The controller narrows one step when draining the backlog at the current width would take longer than
 * the latency target, and widens one step only when the wider subnet would drain it in a quarter of the
 * target and keep up with arrivals. Between the two thresholds it holds, and after any change it holds
 * for a cool-down of frames, so it does not flap.
 */
public final class WidthController {

    /** A decision and why, recorded in the frame's metrics; {@code cause} is the reason's kind, a metric label. */
    public record Choice(int width, String reason, Cause cause) {
    }

    /** The kinds of reason, few and fixed so they can label a Prometheus series. */
    public enum Cause {
        FULL_WIDTH, NARROWED, WIDENED, HOLDING, POLICY_MINIMUM, POLICY_MAXIMUM;

        /** The label value: {@code full_width}, {@code narrowed}, ... */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The worker's settings of the controller: how many frames it holds after a change, and the latency target
     * of streams whose policy sets none. Two seconds of backlog is what a live viewer tolerates before a stall.
     */
    public record Tuning(int coolDownFrames, Duration latencyTarget) {
        public static final Tuning DEFAULTS = new Tuning(10, Duration.ofSeconds(2));

        public Tuning {
            if (coolDownFrames < 0) {
                throw new IllegalArgumentException("controller cool-down must be at least 0 frames, got " + coolDownFrames);
            }
            if (latencyTarget.isNegative() || latencyTarget.isZero()) {
                throw new IllegalArgumentException("latency target must be positive, got " + latencyTarget);
            }
        }

        /** The latency target in seconds, as {@link StreamSpec.Policy#latencyTargetSeconds(double)} takes it. */
        public double latencyTargetSeconds() {
            return latencyTarget.toMillis() / 1000.0;
        }
    }

    private final List<Integer> widths;
    private final int coolDownFrames;
    private final double latencyTargetSeconds;
    private final Map<Integer, Double> secondsPerMegapixel = new HashMap<>();
    private final Set<Integer> warmedUp = new HashSet<>();
    private double arrivalGapSeconds = Double.NaN;
    private long lastArrivalMillis = -1;
    private int index;
    private int framesSinceChange;

    /** @param widths available subnet widths, narrowest first */
    public WidthController(List<Integer> widths, Tuning tuning) {
        if (widths.isEmpty()) {
            throw new IllegalArgumentException("no widths to choose from");
        }
        this.widths = List.copyOf(widths);
        this.coolDownFrames = tuning.coolDownFrames();
        this.latencyTargetSeconds = tuning.latencyTargetSeconds();
        this.index = widths.size() - 1;
        this.framesSinceChange = coolDownFrames;
    }

    /** The worker's latency target, for streams whose policy sets none. */
    public double latencyTargetSeconds() {
        return latencyTargetSeconds;
    }

    /**
     * Records that a frame was upscaled at {@code width}, taking {@code seconds} for {@code megapixels} of output.
     * The first frame at each width is not a measure: it builds the graph and picks kernels (15 s where a frame
     * then takes 0.5 s), and the average would take dozens of frames to forget it, narrowing the subnet for nothing.
     */
    public void observeCost(int width, double megapixels, double seconds) {
        if (warmedUp.add(width)) {
            return;
        }
        double perMp = seconds / Math.max(megapixels, 1e-6);
        secondsPerMegapixel.merge(width, perMp, (old, now) -> 0.8 * old + 0.2 * now);
    }

    /** Records a frame's arrival (its record timestamp), to estimate the input rate. */
    public void observeArrival(long timestampMillis) {
        if (lastArrivalMillis >= 0 && timestampMillis > lastArrivalMillis) {
            double gap = (timestampMillis - lastArrivalMillis) / 1000.0;
            arrivalGapSeconds = Double.isNaN(arrivalGapSeconds) ? gap : 0.9 * arrivalGapSeconds + 0.1 * gap;
        }
        lastArrivalMillis = Math.max(lastArrivalMillis, timestampMillis);
    }

    /**
     * The width for the next frame.
     *
     * @param lagFrames       records waiting on this frame's partition
     * @param megapixels      output size of the next frame
     * @param latencyTargetSeconds how long a backlog may take to drain
     * @param minWidth        narrowest allowed by the stream's policy
     * @param maxWidth        widest allowed by the stream's policy
     */
    public Choice choose(long lagFrames, double megapixels, double latencyTargetSeconds, int minWidth, int maxWidth) {
        framesSinceChange++;
        int current = widths.get(index);
        double drain = lagFrames * secondsPerFrame(current, megapixels);
        String reason;
        Cause cause;
        if (index > 0 && drain > latencyTargetSeconds && framesSinceChange > coolDownFrames) {
            index--;
            framesSinceChange = 0;
            reason = String.format(Locale.ROOT, "narrowed: lag %d frames = %.1f s at width %d > target %.1f s",
                    lagFrames, drain, current, latencyTargetSeconds);
            cause = Cause.NARROWED;
        } else if (index < widths.size() - 1 && framesSinceChange > coolDownFrames && keepsUp(index + 1, megapixels)
                && lagFrames * secondsPerFrame(widths.get(index + 1), megapixels) < latencyTargetSeconds / 4) {
            index++;
            framesSinceChange = 0;
            reason = String.format(Locale.ROOT, "widened: lag %d frames drains in < %.1f s at width %d",
                    lagFrames, latencyTargetSeconds / 4, widths.get(index));
            cause = Cause.WIDENED;
        } else if (index == widths.size() - 1) {
            reason = "full width: keeping up";
            cause = Cause.FULL_WIDTH;
        } else {
            reason = String.format(Locale.ROOT, "holding: lag %d frames = %.1f s", lagFrames, drain);
            cause = Cause.HOLDING;
        }
        int chosen = widths.get(index);
        if (chosen < minWidth) {
            return new Choice(snapUp(minWidth), "policy minimum " + minWidth + " (" + reason + ")",
                    Cause.POLICY_MINIMUM);
        }
        if (chosen > maxWidth) {
            return new Choice(snapDown(maxWidth), "policy maximum " + maxWidth + " (" + reason + ")",
                    Cause.POLICY_MAXIMUM);
        }
        return new Choice(chosen, reason, cause);
    }

    /** The narrowest available width at least {@code w}. */
    public int snapUp(int w) {
        return widths.stream().filter(x -> x >= w).findFirst().orElse(widths.get(widths.size() - 1));
    }

    /** The widest available width at most {@code w}. */
    public int snapDown(int w) {
        int best = widths.get(0);
        for (int x : widths) {
            if (x <= w) {
                best = x;
            }
        }
        return best;
    }

    private boolean keepsUp(int widthIndex, double megapixels) {
        return Double.isNaN(arrivalGapSeconds)
                || secondsPerFrame(widths.get(widthIndex), megapixels) < 0.9 * arrivalGapSeconds;
    }

    /** Measured cost, or, for a width not yet run, the cost of the nearest measured one scaled by width squared. */
    private double secondsPerFrame(int width, double megapixels) {
        Double measured = secondsPerMegapixel.get(width);
        if (measured != null) {
            return measured * megapixels;
        }
        for (Map.Entry<Integer, Double> e : secondsPerMegapixel.entrySet()) {
            double ratio = (double) width / e.getKey();
            return e.getValue() * ratio * ratio * megapixels;
        }
        return 0;
    }
}
