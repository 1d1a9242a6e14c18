package dev.lapstream.processor;

import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.Upscaler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Frames to upscale, run so that frames of one upscaler (their streams' model), input size, output size and subnet
 * width go to it together, at most {@code maxBatch} a call. Frames of different sizes are never mixed: one call is one tensor.
 */
final class FrameJobs {

    /** One frame's part: what to upscale to what, and, once run, the result and its share of the call's time. */
    static final class Job {
        final Upscaler upscaler;
        final RgbImage input;
        final int outWidth;
        final int outHeight;
        /** The subnet width, or 0 for the upscaler's own. */
        final int width;
        RgbImage result;
        RuntimeException failure;
        double millis;

        Job(Upscaler upscaler, RgbImage input, int outWidth, int outHeight, int width) {
            this.upscaler = upscaler;
            this.input = input;
            this.outWidth = outWidth;
            this.outHeight = outHeight;
            this.width = width;
        }

        private List<Integer> key() {
            return List.of(input.width(), input.height(), outWidth, outHeight, width);
        }
    }

    private FrameJobs() {
    }

    static void run(List<Job> jobs, int maxBatch) {
        // upscalers by identity: each is one loaded model
        Map<Upscaler, Map<List<Integer>, List<Job>>> groups = new LinkedHashMap<>();
        for (Job job : jobs) {
            groups.computeIfAbsent(job.upscaler, u -> new LinkedHashMap<>())
                    .computeIfAbsent(job.key(), k -> new ArrayList<>()).add(job);
        }
        groups.forEach((upscaler, bySize) -> {
            for (List<Job> group : bySize.values()) {
                for (int i = 0; i < group.size(); i += maxBatch) {
                    call(upscaler, group.subList(i, Math.min(group.size(), i + maxBatch)));
                }
            }
        });
    }

    private static void call(Upscaler upscaler, List<Job> batch) {
        Job first = batch.get(0);
        long t0 = System.nanoTime();
        try {
            List<RgbImage> out = upscaler.upscaleAll(batch.stream().map(j -> j.input).toList(), first.outWidth,
                    first.outHeight, first.width);
            double share = (System.nanoTime() - t0) / 1e6 / batch.size();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result = out.get(i);
                batch.get(i).millis = share;
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                first.failure = e;
            } else {
                // one bad frame must not take its batch with it: each alone, so only it fails
                batch.forEach(job -> call(upscaler, List.of(job)));
            }
        }
    }
}
