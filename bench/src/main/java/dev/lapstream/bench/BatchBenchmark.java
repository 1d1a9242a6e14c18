package dev.lapstream.bench;

import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.Upscaler;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The model alone at batch 1 against batch N on the same frames of one size: what a worker gains by running
 * frames of several streams as one session call. Rounds alternate which batch size goes first, so a machine
 * whose speed drifts (another job on its cores) slows both alike.
 */
public final class BatchBenchmark {

    /** Frames per second at batch 1 and at the larger batch. */
    public record Result(int batch, double singleFps, double batchFps) {
        public double ratio() {
            return batchFps / singleFps;
        }
    }

    private final Upscaler model;
    private final PrintStream out;

    BatchBenchmark(Upscaler model, PrintStream out) {
        this.model = model;
        this.out = out;
    }

    /**
     * @param frames the frames, cycled to {@code rounds} rounds of a whole number of batches each
     * @param width  the subnet width both sizes run
     */
    Result run(List<RgbImage> frames, int outW, int outH, int width, int batch, int rounds) {
        int n = Math.max(frames.size(), batch) / batch * batch;
        List<RgbImage> cycled = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cycled.add(frames.get(i % frames.size()));
        }
        seconds(cycled.subList(0, batch), outW, outH, width, 1); // warm-up of both shapes
        seconds(cycled.subList(0, batch), outW, outH, width, batch);
        double single = 0;
        double batched = 0;
        for (int round = 0; round < rounds; round++) {
            boolean singleFirst = round % 2 == 0;
            double first = seconds(cycled, outW, outH, width, singleFirst ? 1 : batch);
            double second = seconds(cycled, outW, outH, width, singleFirst ? batch : 1);
            single += singleFirst ? first : second;
            batched += singleFirst ? second : first;
        }
        Result r = new Result(batch, rounds * n / single, rounds * n / batched);
        out.printf(Locale.ROOT, "%nmodel alone, batch 1 vs %d (%dx%d -> %dx%d, width %d, %d alternating rounds of %d"
                        + " frames): %.2f fps vs %.2f fps, ratio %.2f%n", batch, frames.get(0).width(),
                frames.get(0).height(), outW, outH, width, rounds, n, r.singleFps(), r.batchFps(), r.ratio());
        return r;
    }

    private double seconds(List<RgbImage> frames, int outW, int outH, int width, int batch) {
        long t0 = System.nanoTime();
        for (int i = 0; i < frames.size(); i += batch) {
            model.upscaleAll(frames.subList(i, Math.min(frames.size(), i + batch)), outW, outH, width);
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
