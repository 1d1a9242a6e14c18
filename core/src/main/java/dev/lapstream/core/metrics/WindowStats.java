package dev.lapstream.core.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lapstream.core.json.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One stream's frames within a time window, aggregated from {@link FrameMetrics}: what an ops dashboard
 * plots. Latencies are kept whole up to {@value #MAX_SAMPLES} per window (a 10 s window of a 30 fps stream
 * needs 300), then every other one, so percentiles stay close without unbounded state.
 */
public record WindowStats(String stream, long windowStartMs, long windowEndMs, long frames, long firstMs,
                          long lastMs, double inferenceMsSum, List<Long> latencySamples,
                          Map<String, Long> widthMix, long maxPartitionLag) {

    public static final int MAX_SAMPLES = 1024;

    public static WindowStats empty() {
        return new WindowStats(null, 0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE, 0, List.of(), Map.of(), 0);
    }

    /** This window with one more frame. */
    public WindowStats add(FrameMetrics m) {
        long timestampMs = m.doneMillis();
        List<Long> samples = new ArrayList<>(latencySamples);
        samples.add(m.latencyMs());
        if (samples.size() > MAX_SAMPLES) {
            List<Long> thinned = new ArrayList<>(MAX_SAMPLES / 2 + 1);
            for (int i = 0; i < samples.size(); i += 2) {
                thinned.add(samples.get(i));
            }
            samples = thinned;
        }
        Map<String, Long> mix = new TreeMap<>(widthMix);
        mix.merge(m.width() == null ? m.upscaler() : String.valueOf(m.width()), 1L, Long::sum);
        return new WindowStats(m.stream(), windowStartMs, windowEndMs, frames + 1, Math.min(firstMs, timestampMs),
                Math.max(lastMs, timestampMs), inferenceMsSum + m.inferenceMs(), samples, mix,
                Math.max(maxPartitionLag, m.partitionLag()));
    }

    public WindowStats inWindow(long startMs, long endMs) {
        return new WindowStats(stream, startMs, endMs, frames, firstMs, lastMs, inferenceMsSum, latencySamples,
                widthMix, maxPartitionLag);
    }

    /** Frames per second over the span the window has seen so far. */
    public double fps() {
        return frames < 2 || lastMs <= firstMs ? frames : (frames - 1) * 1000.0 / (lastMs - firstMs);
    }

    public long latencyPercentile(double p) {
        if (latencySamples.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(latencySamples);
        Collections.sort(sorted);
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p / 100 * sorted.size())));
    }

    /** The summary published on the stats topic. */
    public record Summary(String stream, long windowStartMs, long windowEndMs, long frames, double fps,
                          long p50LatencyMs, long p95LatencyMs, double meanInferenceMs, Map<String, Long> widthMix,
                          long maxPartitionLag) {

        public static Summary fromJson(byte[] json) throws IOException {
            return Json.MAPPER.readValue(json, Summary.class);
        }
    }

    public Summary summary() {
        return new Summary(stream, windowStartMs, windowEndMs, frames, fps(), latencyPercentile(50),
                latencyPercentile(95), frames == 0 ? 0 : inferenceMsSum / frames, widthMix, maxPartitionLag);
    }

    public byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static WindowStats fromJson(byte[] json) throws IOException {
        return Json.MAPPER.readValue(json, WindowStats.class);
    }
}
