package dev.lapstream.sink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes every stream as live HLS: {@code ROOT/<stream>/seg-NNNNNN.ts} and a rolling {@code index.m3u8}
 * with the last {@code window} segments ({@code #EXT-X-ENDLIST} once the stream ended). The playlist is
 * replaced atomically after its segment is complete, so a player never sees a partial file; segments that left
 * the window stay another window long for players still behind, then are deleted. A segment at a new picture
 * size (a scale change) is marked {@code #EXT-X-DISCONTINUITY}. A stream's segment is
 * written again with the same name when a restarted sink encodes it again, so the directory converges.
 */
final class HlsPublisher implements SegmentPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(HlsPublisher.class);

    private final Path root;
    private final int window;
    private final int minTargetSeconds;
    private final Map<String, Window> windows = new HashMap<>();
    private final Map<String, Deque<Long>> retired = new HashMap<>();

    /** A stream's playlist as it grows: the entries in the window, and what a new entry is compared with. */
    private static final class Window {
        final Deque<HlsPlaylist.Entry> entries = new ArrayDeque<>();
        long discontinuitySequence;
        String lastSize;
    }

    /**
     * @param window           segments in the playlist; 0 keeps them all (an event playlist)
     * @param minTargetSeconds the target duration announced from the start (the segment length, rounded up)
     */
    HlsPublisher(Path root, int window, int minTargetSeconds) {
        this.root = root;
        this.window = window;
        this.minTargetSeconds = minTargetSeconds;
    }

    static Path streamDir(Path root, String streamId) {
        return root.resolve(SafeNames.of(streamId));
    }

    @Override
    public void publish(EncodedSegment segment) {
        Path dir = streamDir(root, segment.streamId());
        try {
            Files.createDirectories(dir);
            Window w = windows.computeIfAbsent(segment.streamId(), id -> resumed(id, dir, segment.index()));
            write(dir.resolve(HlsPlaylist.fileName(segment.index())), segment.bytes());
            String size = segment.width() + "x" + segment.height();
            w.entries.addLast(new HlsPlaylist.Entry(segment.index(), segment.durationMicros() / 1e6,
                    w.lastSize != null && !w.lastSize.equals(size)));
            w.lastSize = size;
            while (window > 0 && w.entries.size() > window) {
                HlsPlaylist.Entry gone = w.entries.removeFirst();
                w.discontinuitySequence += gone.discontinuity() ? 1 : 0;
                retire(dir, segment.streamId(), gone.index());
            }
            int target = minTargetSeconds;
            for (HlsPlaylist.Entry e : w.entries) {
                target = Math.max(target, (int) Math.ceil(e.seconds() - 1e-3));
            }
            List<HlsPlaylist.Entry> list = new ArrayList<>(w.entries);
            write(dir.resolve("index.m3u8"), new HlsPlaylist(target, w.discontinuitySequence, list, segment.last())
                    .render().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("HLS of stream '" + segment.streamId() + "' in " + dir + ": "
                    + e.getMessage(), e);
        }
        if (segment.last()) {
            windows.remove(segment.streamId());
            retired.remove(segment.streamId());
        }
    }

    /**
     * The window a previous run left, up to {@code nextIndex}, and the segments it had retired but not deleted yet;
     * a stream that starts over begins empty.
     */
    private Window resumed(String streamId, Path dir, long nextIndex) {
        Window w = new Window();
        Path index = dir.resolve("index.m3u8");
        if (nextIndex > 0 && Files.isRegularFile(index)) {
            try {
                HlsPlaylist previous = HlsPlaylist.parse(Files.readString(index));
                w.discontinuitySequence = previous.discontinuitySequence();
                for (HlsPlaylist.Entry e : previous.entries()) {
                    if (e.index() < nextIndex) {
                        w.entries.addLast(e);
                    }
                }
                if (window > 0 && !w.entries.isEmpty()) {
                    Deque<Long> old = retired.computeIfAbsent(streamId, id -> new ArrayDeque<>());
                    long first = w.entries.getFirst().index();
                    for (long i = Math.max(0, first - window); i < first; i++) {
                        old.addLast(i);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: unreadable playlist, starting a new window ({})", index, e.getMessage());
                w.entries.clear();
            }
        }
        return w;
    }

    private void retire(Path dir, String streamId, long index) throws IOException {
        Deque<Long> old = retired.computeIfAbsent(streamId, id -> new ArrayDeque<>());
        old.addLast(index);
        while (old.size() > window) {
            Files.deleteIfExists(dir.resolve(HlsPlaylist.fileName(old.removeFirst())));
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
