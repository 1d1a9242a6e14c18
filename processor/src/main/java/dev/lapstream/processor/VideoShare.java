package dev.lapstream.processor;

import java.util.HashMap;
import java.util.Map;

/**
 * The share of video frames among the records of each input partition, to turn the consumer's lag (all records:
 * audio chunks, starts and ends too) into frames waiting. A clip with four audio chunks per frame otherwise
 * looks five times as far behind as it is, and the width controller narrows for nothing.
 */
final class VideoShare {

    private final Map<Integer, long[]> counts = new HashMap<>();

    synchronized void observe(int partition, boolean video) {
        long[] c = counts.computeIfAbsent(partition, p -> new long[2]);
        c[0] += video ? 1 : 0;
        c[1]++;
    }

    /** The frames among {@code records} waiting on a partition; all of them before any record was seen. */
    synchronized long frames(int partition, long records) {
        long[] c = counts.get(partition);
        return c == null || c[1] == 0 ? records : Math.round(records * (double) c[0] / c[1]);
    }
}
