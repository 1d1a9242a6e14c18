package dev.lapstream.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Quality versus symmetric scale of the arbitrary-scale methods, MATLAB degradation. */
final class SymmetricSweep {

    private static final Logger LOG = LoggerFactory.getLogger(SymmetricSweep.class);

    /**
     * @param scales      the sweep's scales
     * @param modelScales the scales the lapstream rows ran at, or null for all of them
     * @param sets        one entry per set, in order
     */
    record Result(List<Double> scales, List<Double> modelScales, List<SetCurves> sets) {

        /** The score of {@code method} on {@code set} at {@code scale}, or null if it did not run there. */
        Score score(String set, String method, double scale) {
            return sets.stream().filter(s -> s.set().equals(set)).flatMap(s -> s.curves().stream())
                    .filter(c -> c.method().equals(method)).findFirst().map(c -> c.at(scale)).orElse(null);
        }

        SetCurves of(String set) {
            return sets.stream().filter(s -> s.set().equals(set)).findFirst().orElseThrow();
        }
    }

    record SetCurves(String set, List<Curve> curves) {
    }

    record Curve(String method, Method.Kind kind, List<Point> points) {

        Score at(double scale) {
            return points.stream().filter(p -> same(p.scale(), scale)).findFirst().map(Point::score).orElse(null);
        }
    }

    record Point(double scale, Score score) {
    }

    private SymmetricSweep() {
    }

    /** The default scales: 1.1 ... 4.0 in steps of 0.1 and 8, or 1.5, 2, 3, 4 for {@code --quick}. */
    static List<Double> scales(ReportConfig cfg) {
        if (cfg.scales() != null && !cfg.scales().isEmpty()) {
            return cfg.scales();
        }
        if (cfg.quick()) {
            return List.of(1.5, 2.0, 3.0, 4.0);
        }
        List<Double> s = new ArrayList<>();
        for (int i = 11; i <= 40; i++) {
            s.add(i / 10.0);
        }
        s.add(8.0);
        return s;
    }

    static Result run(ReportConfig cfg, List<BenchSet> benches, MethodSet methods) {
        List<Double> scales = scales(cfg);
        List<Double> modelScales = methods.lapstream().isEmpty() ? null : cfg.modelScales();
        List<SetCurves> sets = new ArrayList<>();
        for (BenchSet b : benches) {
            Map<String, List<Point>> byMethod = new LinkedHashMap<>();
            for (Method m : methods.arbitrary()) {
                byMethod.put(m.name(), new ArrayList<>());
            }
            for (double s : scales) {
                long t = System.nanoTime();
                // --model-scales bounds the run time: the networks' inference dominates it
                List<Method> here = methods.arbitrary().stream().filter(m -> m.kind() != Method.Kind.LAPSTREAM
                        || modelScales == null || modelScales.stream().anyMatch(x -> same(x, s))).toList();
                StringBuilder line = new StringBuilder();
                Scoring.evaluate(b, s, s, Degradation.MATLAB, here).forEach((name, score) -> {
                    byMethod.get(name).add(new Point(s, score));
                    line.append(String.format(Locale.ROOT, " %s %.2f", name, score.psnr()));
                });
                LOG.info("sweep {} x{}:{} dB ({} ms)", b.name(), key(s), line, (System.nanoTime() - t) / 1_000_000);
            }
            List<Curve> curves = new ArrayList<>();
            for (Method m : methods.arbitrary()) {
                curves.add(new Curve(m.name(), m.kind(), byMethod.get(m.name())));
            }
            sets.add(new SetCurves(b.name(), curves));
        }
        return new Result(scales, modelScales, sets);
    }

    static boolean same(double a, double b) {
        return Math.abs(a - b) < 1e-9;
    }

    /** "2.0", "2.5", "1.25": one decimal unless the scale needs two. */
    static String key(double s) {
        boolean tenths = Math.abs(s * 10 - Math.rint(s * 10)) < 1e-6;
        return String.format(Locale.ROOT, tenths ? "%.1f" : "%.2f", s);
    }
}
