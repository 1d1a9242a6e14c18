package dev.lapstream.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LfrAndPlannerTest {

    @Test
    void lfrLevelBoundaries() {
        Lfr.Level l = Lfr.level(1.1);
        assertEquals(1, l.index());
        assertEquals(0, l.previous());
        assertEquals(0.0, l.weight(), 1e-12);

        l = Lfr.level(1.15);
        assertEquals(2, l.index());
        assertEquals(1, l.previous());
        assertEquals(0.5, l.weight(), 1e-9);

        l = Lfr.level(2.0);
        assertEquals(10, l.index());
        assertEquals(9, l.previous());
        assertEquals(0.0, l.weight(), 1e-12);

        l = Lfr.level(1.0);
        assertEquals(0, l.index());
        assertEquals(0.0, l.weight(), 1e-12);

        l = Lfr.level(1.101);
        assertEquals(2, l.index());
        assertEquals(0.99, l.weight(), 1e-9);

        for (int i = 0; i <= 10; i++) {
            Lfr.Level e = Lfr.level(1 + i / 10.0);
            assertEquals(i, e.index(), "level of exact r_" + i);
            assertEquals(0.0, e.weight(), 1e-12);
        }
        // asymmetric: level from the larger factor
        assertEquals(Lfr.level(1.7), Lfr.level(1.2, 1.7));
    }

    private static void assertFactors(List<double[]> f, double... expectedPairs) {
        assertEquals(expectedPairs.length / 2, f.size());
        for (int i = 0; i < f.size(); i++) {
            assertEquals(expectedPairs[2 * i], f.get(i)[0], 1e-9, "pass " + i + " h");
            assertEquals(expectedPairs[2 * i + 1], f.get(i)[1], 1e-9, "pass " + i + " w");
        }
    }

    @Test
    void paperSplit() {
        RecursionPlanner.Split p = RecursionPlanner.Split.PAPER;
        assertFactors(RecursionPlanner.factors(1.0, 1.0, p), 1.0, 1.0);
        assertFactors(RecursionPlanner.factors(1.7, 1.7, p), 1.7, 1.7);
        assertFactors(RecursionPlanner.factors(2.0, 2.0, p), 2.0, 2.0);
        assertFactors(RecursionPlanner.factors(2.5, 2.5, p), 2.0, 2.0, 1.25, 1.25);
        assertFactors(RecursionPlanner.factors(3.0, 3.0, p), 2.0, 2.0, 1.5, 1.5);
        assertFactors(RecursionPlanner.factors(8.0, 8.0, p), 2, 2, 2, 2, 2, 2);
        // asymmetric: the larger axis drives, the smaller spreads its log-factor
        double s = Math.sqrt(1.5);
        assertFactors(RecursionPlanner.factors(4.0, 1.5, p), 2, s, 2, s);
        assertFactors(RecursionPlanner.factors(1.5, 3.0, p), Math.pow(1.5, Math.log(2) / Math.log(3)), 2,
                Math.pow(1.5, Math.log(1.5) / Math.log(3)), 1.5);
        assertFactors(RecursionPlanner.factors(1.2, 1.8, p), 1.2, 1.8);
        assertFactors(RecursionPlanner.factors(1.0, 2.5, p), 1, 2, 1, 1.25);
    }

    @Test
    void smallFirstSplit() {
        RecursionPlanner.Split p = RecursionPlanner.Split.SMALL_FIRST;
        assertFactors(RecursionPlanner.factors(1.7, 1.7, p), 1.7, 1.7);
        assertFactors(RecursionPlanner.factors(2.5, 2.5, p), 1.25, 1.25, 2.0, 2.0);
        assertFactors(RecursionPlanner.factors(3.0, 3.0, p), 1.5, 1.5, 2.0, 2.0);
        assertFactors(RecursionPlanner.factors(6.0, 6.0, p), 1.5, 1.5, 2, 2, 2, 2);
        double s = Math.sqrt(1.5);
        assertFactors(RecursionPlanner.factors(4.0, 1.5, p), 2, s, 2, s);
    }

    @Test
    void evenSplitIsTheDefault() {
        assertEquals(RecursionPlanner.Split.EVEN, RecursionPlanner.DEFAULT);
        assertFactors(RecursionPlanner.factors(1.0, 1.0), 1.0, 1.0);
        assertFactors(RecursionPlanner.factors(1.7, 1.7), 1.7, 1.7);
        assertFactors(RecursionPlanner.factors(2.0, 2.0), 2.0, 2.0);
        double r25 = Math.sqrt(2.5);
        assertFactors(RecursionPlanner.factors(2.5, 2.5), r25, r25, r25, r25);
        double r3 = Math.sqrt(3);
        assertFactors(RecursionPlanner.factors(3.0, 3.0), r3, r3, r3, r3);
        assertFactors(RecursionPlanner.factors(4.0, 4.0), 2, 2, 2, 2);
        assertFactors(RecursionPlanner.factors(8.0, 8.0), 2, 2, 2, 2, 2, 2);
        double r6 = Math.cbrt(6);
        assertFactors(RecursionPlanner.factors(6.0, 6.0), r6, r6, r6, r6, r6, r6);
        // asymmetric: both axes split evenly over the larger axis's passes
        double s = Math.sqrt(1.5);
        assertFactors(RecursionPlanner.factors(4.0, 1.5), 2, s, 2, s);
        assertFactors(RecursionPlanner.factors(1.5, 3.0), s, r3, s, r3);
        assertFactors(RecursionPlanner.factors(1.2, 1.8), 1.2, 1.8);
        assertFactors(RecursionPlanner.factors(1.0, 2.5), 1, r25, 1, r25);
    }

    @Test
    void planHitsExactSizes() {
        int[][] cases = {{7, 5, 7, 5}, {7, 5, 12, 9}, {7, 5, 14, 10}, {7, 5, 18, 13}, {10, 10, 30, 30},
                {9, 11, 72, 88}, {100, 60, 400, 90}, {33, 17, 50, 68}};
        for (RecursionPlanner.Split split : RecursionPlanner.Split.values()) {
            for (int[] c : cases) {
                List<RecursionPlanner.Step> p = RecursionPlanner.plan(c[0], c[1], c[2], c[3], split);
                RecursionPlanner.Step last = p.get(p.size() - 1);
                assertEquals(c[2], last.outHeight());
                assertEquals(c[3], last.outWidth());
                int h = c[0];
                int w = c[1];
                for (RecursionPlanner.Step s : p) {
                    double rh = (double) s.outHeight() / h;
                    double rw = (double) s.outWidth() / w;
                    assertTrue(rh >= 1 - 1e-9 && rh <= 2 + 0.2, "pass factor h " + rh);
                    assertTrue(rw >= 1 - 1e-9 && rw <= 2 + 0.2, "pass factor w " + rw);
                    // the graph computes round(in * (out / in)) in float32: must give out back
                    assertEquals(s.outHeight(), Math.round((float) h * (float) rh));
                    assertEquals(s.outWidth(), Math.round((float) w * (float) rw));
                    h = s.outHeight();
                    w = s.outWidth();
                }
            }
        }
        assertEquals(3, RecursionPlanner.plan(10, 10, 80, 80).size());
        assertEquals(1, RecursionPlanner.plan(10, 10, 20, 20).size());
        assertEquals(2, RecursionPlanner.plan(10, 10, 25, 25).size());
    }
}
