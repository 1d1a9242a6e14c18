package dev.lapstream.dashboard;

import dev.lapstream.core.metrics.FrameMetrics;
import dev.lapstream.core.metrics.WindowStats;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the page shows, per stream, as the topics tell it: the latest per-frame metrics, the current stats
 * window, dead letters and the latest input and output thumbnails. Written by the topic reader's thread,
 * read by the page's event streams.
 */
final class StreamBoard {

    /** One stream's row as the page receives it (JSON). */
    record Row(String stream, String upscaler, String input, String output, long frames, long lag,
               double inferenceMs, Integer width, String widthReason, double fps, long p50LatencyMs,
               long p95LatencyMs, double meanInferenceMs, Map<String, Long> widthMix, long deadLetters,
               String lastDeadLetter, int thumbnail, long thumbnailFrame, long updatedMillis) {
    }

    /** Everything the page gets at once. */
    record Snapshot(long timeMillis, List<Row> streams) {
    }

    private static final class State {
        FrameMetrics last;
        WindowStats.Summary window;
        long deadLetters;
        String lastDeadLetter;
        byte[] thumbIn;
        byte[] thumbOut;
        int thumbnailVersion;
        long thumbnailFrame;
        long updatedMillis;
    }

    private final Map<String, State> streams = new TreeMap<>();

    synchronized void frame(FrameMetrics m) {
        State s = state(m.stream());
        if (s.last == null || m.frame() >= s.last.frame() || m.doneMillis() > s.last.doneMillis()) {
            s.last = m;
        }
        s.updatedMillis = Math.max(s.updatedMillis, m.doneMillis());
    }

    synchronized void window(WindowStats.Summary summary) {
        State s = state(summary.stream());
        if (s.window == null || summary.windowStartMs() >= s.window.windowStartMs()) {
            s.window = summary;
        }
    }

    synchronized void deadLetter(String stream, String reason) {
        State s = state(stream);
        s.deadLetters++;
        s.lastDeadLetter = reason;
    }

    /** One frame of the stream before and after upscaling. */
    synchronized void thumbnails(String stream, long frame, byte[] inputJpeg, byte[] outputJpeg) {
        State s = state(stream);
        s.thumbIn = inputJpeg;
        s.thumbOut = outputJpeg;
        s.thumbnailFrame = frame;
        s.thumbnailVersion++;
    }

    /** The latest pair's input or output JPEG, or null. */
    synchronized byte[] thumbnail(String stream, boolean upscaled) {
        State s = streams.get(stream);
        return s == null ? null : upscaled ? s.thumbOut : s.thumbIn;
    }

    synchronized Snapshot snapshot() {
        List<Row> rows = streams.entrySet().stream().map(e -> row(e.getKey(), e.getValue())).toList();
        return new Snapshot(System.currentTimeMillis(), rows);
    }

    private static Row row(String stream, State s) {
        FrameMetrics m = s.last;
        WindowStats.Summary w = s.window;
        return new Row(stream, m == null ? null : m.upscaler(),
                m == null ? null : m.inWidth() + "x" + m.inHeight(),
                m == null ? null : m.outWidth() + "x" + m.outHeight(),
                m == null ? 0 : m.frame() + 1, m == null ? 0 : m.partitionLag(), m == null ? 0 : m.inferenceMs(),
                m == null ? null : m.width(), m == null ? null : m.widthReason(),
                w == null ? 0 : w.fps(), w == null ? 0 : w.p50LatencyMs(), w == null ? 0 : w.p95LatencyMs(),
                w == null ? 0 : w.meanInferenceMs(), w == null ? Map.of() : w.widthMix(), s.deadLetters,
                s.lastDeadLetter, s.thumbnailVersion, s.thumbnailFrame, s.updatedMillis);
    }

    private State state(String stream) {
        return streams.computeIfAbsent(stream == null ? "" : stream, k -> new State());
    }
}
