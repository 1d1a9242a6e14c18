package dev.lapstream.report;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every pair of vertical and horizontal factors on one set: bicubic against each model's full width. */
final class AsymmetricGrid {

    private static final Logger LOG = LoggerFactory.getLogger(AsymmetricGrid.class);

    /** {@code methods} in order: bicubic first, then each model's full width. */
    record Result(String set, List<Double> factors, List<String> methods, List<Cell> cells) {

        Score score(String method, double sh, double sw) {
            return cells.stream().filter(c -> c.method().equals(method) && SymmetricSweep.same(c.scaleH(), sh)
                    && SymmetricSweep.same(c.scaleW(), sw)).findFirst().map(Cell::score).orElseThrow();
        }
    }

    record Cell(String method, double scaleH, double scaleW, Score score) {
    }

    private AsymmetricGrid() {
    }

    static Result run(ReportConfig cfg, BenchSet b, MethodSet methodSet) {
        List<Double> f = cfg.quick() ? List.of(1.5, 3.0) : List.of(1.5, 2.0, 2.5, 3.0, 3.5, 4.0);
        List<Method> methods = new ArrayList<>();
        methods.add(methodSet.bicubic());
        methods.addAll(methodSet.fullWidths());
        List<Cell> cells = new ArrayList<>();
        for (double sh : f) {
            long t = System.nanoTime();
            for (double sw : f) {
                Scoring.evaluate(b, sh, sw, Degradation.MATLAB, methods)
                        .forEach((name, score) -> cells.add(new Cell(name, sh, sw, score)));
            }
            LOG.info("asymmetric {} vertical x{} done ({} ms)", b.name(), SymmetricSweep.key(sh),
                    (System.nanoTime() - t) / 1_000_000);
        }
        return new Result(b.name(), f, methods.stream().map(Method::name).toList(), cells);
    }
}
