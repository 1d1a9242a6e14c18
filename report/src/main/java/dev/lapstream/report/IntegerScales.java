package dev.lapstream.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Integer scales under both degradations: the peers at their fixed factors, and the baselines at
 * 2, 3, 4 and 8 for context. The OpenCV peers were trained on plain cubic LR, so their better number is compared.
 */
final class IntegerScales {

    private static final Logger LOG = LoggerFactory.getLogger(IntegerScales.class);

    /** One method on one set at one integer scale under both degradations. */
    record Row(String set, String method, Method.Kind kind, int scale, Score matlab, Score cubic) {

        /** The score under the degradation with the better PSNR. */
        Score best() {
            return matlab.psnr() >= cubic.psnr() ? matlab : cubic;
        }

        double bestPsnr() {
            return best().psnr();
        }
    }

    private IntegerScales() {
    }

    /** Peer rows are named after the peer's family ({@code ESPCN}), one per scale it serves. */
    static List<Row> run(List<BenchSet> benches, MethodSet methods, SymmetricSweep.Result sweep) {
        List<Row> rows = new ArrayList<>();
        for (BenchSet b : benches) {
            for (Method m : methods.peers()) {
                long t = System.nanoTime();
                int s = m.fixedScale();
                Score matlab = Scoring.evaluate(b, s, s, Degradation.MATLAB, List.of(m)).get(m.name());
                Score cubic = Scoring.evaluate(b, s, s, Degradation.CUBIC, List.of(m)).get(m.name());
                rows.add(new Row(b.name(), m.group(), m.kind(), s, matlab, cubic));
                LOG.info("peer {} {}: matlab {} dB, cubic {} dB ({} ms)", b.name(), m.name(), matlab.psnr(),
                        cubic.psnr(), (System.nanoTime() - t) / 1_000_000);
            }
            for (int s : List.of(2, 3, 4, 8)) {
                if (sweep.scales().stream().noneMatch(x -> SymmetricSweep.same(x, s))) {
                    continue;
                }
                Map<String, Score> cubic = Scoring.evaluate(b, s, s, Degradation.CUBIC, methods.baselines());
                for (Method m : methods.baselines()) {
                    rows.add(new Row(b.name(), m.name(), m.kind(), s, sweep.score(b.name(), m.name(), s),
                            cubic.get(m.name())));
                }
                LOG.info("baselines {} x{} under plain cubic: bicubic {} dB", b.name(), s,
                        cubic.get(methods.bicubic().name()).psnr());
            }
        }
        return rows;
    }
}
