package dev.lapstream.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Each model's full width against the first model's, and its narrowest subnet against its full width,
 * from the widest input timed at each scale: "n times today's output MP/s" can be read off one run.
 */
final class SpeedRatios {

    /**
     * @param versusFirst       full width's output MP/s over the first model's full width's
     * @param narrowest         the model's narrowest width's row (the full width's if it has one)
     * @param narrowestSpeedup  its output MP/s over the full width's
     * @param narrowestPsnrLoss full width's PSNR minus its, on the first set at this scale (NaN if not swept)
     */
    record Ratio(String model, String method, int scale, int inW, int inH, double outputMpPerSecond,
                 double versusFirst, String narrowest, double narrowestSpeedup, double narrowestPsnrLoss) {
    }

    private SpeedRatios() {
    }

    static List<Ratio> of(MethodSet methods, List<SpeedBench.Speed> speed, SymmetricSweep.Result sweep) {
        List<Ratio> out = new ArrayList<>();
        List<Method> full = methods.fullWidths();
        if (full.isEmpty()) {
            return out;
        }
        String set = sweep.sets().get(0).set();
        for (int s : Tradeoff.SCALES) {
            int inW = SpeedBench.widestInput(speed, s);
            SpeedBench.Speed first = SpeedBench.find(speed, full.get(0).name(), s, inW);
            for (Method m : full) {
                Method narrow = methods.lapstream().stream().filter(x -> x.group().equals(m.group())).findFirst()
                        .orElseThrow();
                SpeedBench.Speed sp = SpeedBench.find(speed, m.name(), s, inW);
                SpeedBench.Speed ns = SpeedBench.find(speed, narrow.name(), s, inW);
                if (first == null || sp == null || ns == null) {
                    continue;
                }
                Score fs = sweep.score(set, m.name(), s);
                Score nsc = sweep.score(set, narrow.name(), s);
                out.add(new Ratio(m.group(), m.name(), s, sp.inW(), sp.inH(), sp.outputMpPerSecond(),
                        Score.round(sp.outputMpPerSecond() / first.outputMpPerSecond(), 2), narrow.name(),
                        Score.round(ns.outputMpPerSecond() / sp.outputMpPerSecond(), 2),
                        fs == null || nsc == null ? Double.NaN : Score.round(fs.psnr() - nsc.psnr(), 3)));
            }
        }
        return out;
    }
}
