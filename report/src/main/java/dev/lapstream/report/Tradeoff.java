package dev.lapstream.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * PSNR versus output MP/s at one scale: every method and width that served it as a point, speed from
 * the largest timed input, PSNR on the first set (peers: their better degradation, as in the quality plots).
 */
final class Tradeoff {

    record Result(int scale, String set, int inW, int inH, String png, List<Point> points) {
    }

    record Point(String method, Method.Kind kind, String group, int width, double outputMpPerSecond, double psnr) {
    }

    private Tradeoff() {
    }

    /** The scales the picture is drawn at. */
    static final List<Integer> SCALES = List.of(2, 4);

    static List<Result> build(Path out, MethodSet methods, List<SpeedBench.Speed> speed, SymmetricSweep.Result sweep,
                              List<IntegerScales.Row> integer) {
        List<Result> results = new ArrayList<>();
        String set = sweep.sets().get(0).set();
        List<Method> all = new ArrayList<>(methods.arbitrary());
        all.addAll(methods.peers());
        for (int s : SCALES) {
            int inW = SpeedBench.widestInput(speed, s);
            if (inW == 0) {
                continue;
            }
            List<Point> points = new ArrayList<>();
            int inH = 0;
            for (Method m : all) {
                SpeedBench.Speed sp = SpeedBench.find(speed, m.name(), s, inW);
                Score sc = m.kind() == Method.Kind.PEER ? integer.stream().filter(r -> r.set().equals(set)
                        && r.method().equals(m.group()) && r.scale() == s).findFirst().map(IntegerScales.Row::best)
                        .orElse(null) : sweep.score(set, m.name(), s);
                if (sp != null && sc != null) {
                    inH = sp.inH();
                    points.add(new Point(m.name(), m.kind(), m.group(), m.width(), sp.outputMpPerSecond(), sc.psnr()));
                }
            }
            String png = "psnr_vs_speed_x" + s + ".png";
            draw(out.resolve(png), String.format(Locale.ROOT, "%s x%d: PSNR (Y) versus output MP/s from %dx%d "
                    + "(log scale; up and right is better)", set, s, inW, inH), points);
            results.add(new Result(s, set, inW, inH, png, points));
        }
        return results;
    }

    /** One series per group: a model's widths joined by a line and labelled, every other method a lone point. */
    private static void draw(Path png, String title, List<Point> points) {
        Map<String, List<Point>> byGroup = new LinkedHashMap<>();
        for (Point p : points) {
            byGroup.computeIfAbsent(p.group(), k -> new ArrayList<>()).add(p);
        }
        List<Charts.Series> series = new ArrayList<>();
        byGroup.forEach((group, pts) -> {
            boolean model = pts.get(0).kind() == Method.Kind.LAPSTREAM;
            series.add(new Charts.Series(group, pts.stream().map(p -> new double[] {p.outputMpPerSecond(), p.psnr()})
                    .toArray(double[][]::new), model ? pts.stream().map(p -> "w" + p.width()).toList() : null, model));
        });
        Charts.scatter(png, title, "output MP/s", "PSNR (dB)", series);
    }
}
