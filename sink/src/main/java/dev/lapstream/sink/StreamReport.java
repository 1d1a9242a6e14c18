package dev.lapstream.sink;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What the sink service did with one stream, reported once its end is committed.
 *
 * @param expectedFrames   frames its end record announced
 * @param frames           frames encoded by this sink (after a restart: since the restart)
 * @param truncated        the stream ended early: at its source, or without an end record (idle timeout, restart)
 * @param segments         segments published (encoded topic and HLS)
 * @param meanLatencyMillis mean time from a segment's first frame's capture to the segment being committed
 * @param maxLatencyMillis  the largest such time
 * @param files            the MP4 files written, empty without file output
 */
public record StreamReport(String streamId, long expectedFrames, long frames, long duplicates, long missing,
                           boolean truncated, long segments, long meanLatencyMillis, long maxLatencyMillis,
                           List<Path> files) {

    public String describe() {
        return String.format(Locale.ROOT, "stream '%s': %s%d/%d frames, %d duplicates skipped, %d missing, %d segments,"
                        + " capture to publish latency mean %.2f s, max %.2f s%s", streamId,
                truncated ? "TRUNCATED " : "", frames, expectedFrames, duplicates, missing, segments,
                meanLatencyMillis / 1e3, maxLatencyMillis / 1e3, files.isEmpty() ? "" : " -> " + files);
    }
}
