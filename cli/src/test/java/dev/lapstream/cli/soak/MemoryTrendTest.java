package dev.lapstream.cli.soak;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryTrendTest {

    private static MemoryTrend.Sample at(int seconds, double rss, double heap) {
        return new MemoryTrend.Sample(Duration.ofSeconds(seconds), seconds, rss, heap);
    }

    @Test
    void slopeIsMegabytesPerMinuteOfALine() {
        MemoryTrend trend = new MemoryTrend();
        for (int s = 0; s <= 600; s += 30) {
            trend.add(at(s, 500 + 3.0 * s / 60, 200 - 0.5 * s / 60));
        }
        assertEquals(3.0, trend.residentSlope(), 1e-9);
        assertEquals(-0.5, trend.heapSlope(), 1e-9);
    }

    @Test
    void startUpGrowthInTheFirstHalfDoesNotCount() {
        MemoryTrend trend = new MemoryTrend();
        for (int s = 0; s < 300; s += 30) {
            trend.add(at(s, 100 + s, 50 + s));
        }
        for (int s = 300; s < 600; s += 30) {
            trend.add(at(s, 700 + (s / 30 % 2) * 10, 300));
        }
        assertEquals(300, trend.laterHalf().get(0).elapsed().toSeconds());
        assertEquals(0, trend.heapSlope(), 1e-9);
        // a sawtooth of 10 MB around a level: a small slope either way, nowhere near the first half's 60 MB/min
        assertTrue(Math.abs(trend.residentSlope()) < 1, "slope " + trend.residentSlope());
    }

    @Test
    void leastSquaresNotEndpoints() {
        // the endpoints alone say flat; the fit sees the rise in between
        List<MemoryTrend.Sample> points = List.of(at(0, 100, 0), at(60, 110, 0), at(120, 120, 0), at(180, 100, 0));
        assertEquals(1.0, MemoryTrend.slope(points, MemoryTrend.Sample::residentMb), 1e-9);
    }

    @Test
    void noSlopeFromOneSample() {
        MemoryTrend trend = new MemoryTrend();
        trend.add(at(0, 100, 10));
        trend.add(at(30, 100, 10));
        assertTrue(Double.isNaN(trend.residentSlope()));
    }
}
