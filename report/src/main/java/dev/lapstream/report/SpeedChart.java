package dev.lapstream.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** speed.png: milliseconds per frame of every method at x2 from the widest timed input. */
final class SpeedChart {

    private SpeedChart() {
    }

    static void draw(Path png, List<SpeedBench.Speed> speed) {
        int inW = SpeedBench.widestInput(speed, 2);
        Map<String, Double> bars = new LinkedHashMap<>();
        int inH = 0;
        for (SpeedBench.Speed s : speed) {
            if (s.scale() == 2 && s.inW() == inW) {
                bars.put(s.method(), s.msPerFrame());
                inH = s.inH();
            }
        }
        Charts.bars(png, String.format(Locale.ROOT,
                "Milliseconds per frame, x2 from %dx%d (log scale, lower is better)", inW, inH),
                "ms per frame", bars, true);
    }
}
