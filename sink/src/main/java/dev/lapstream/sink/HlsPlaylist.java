package dev.lapstream.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A live HLS media playlist (RFC 8216): the segments in the window, oldest first, and whether the stream ended.
 *
 * @param targetSeconds          {@code EXT-X-TARGETDURATION}: no segment may be longer once rounded
 * @param discontinuitySequence  {@code EXT-X-DISCONTINUITY-SEQUENCE}: discontinuities that left the window
 */
record HlsPlaylist(int targetSeconds, long discontinuitySequence, List<Entry> entries, boolean ended) {

    /**
     * One segment: its index (the media sequence number), duration, and whether it starts a new picture size
     * ({@code EXT-X-DISCONTINUITY}: players reset their decoder there).
     */
    record Entry(long index, double seconds, boolean discontinuity) {
        String uri() {
            return fileName(index);
        }
    }

    static String fileName(long index) {
        return String.format(Locale.ROOT, "seg-%06d.ts", index);
    }

    String render() {
        StringBuilder s = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:3\n");
        s.append("#EXT-X-TARGETDURATION:").append(targetSeconds).append('\n');
        s.append("#EXT-X-MEDIA-SEQUENCE:").append(entries.isEmpty() ? 0 : entries.get(0).index()).append('\n');
        if (discontinuitySequence > 0) {
            s.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(discontinuitySequence).append('\n');
        }
        for (Entry e : entries) {
            if (e.discontinuity()) {
                s.append("#EXT-X-DISCONTINUITY\n");
            }
            s.append(String.format(Locale.ROOT, "#EXTINF:%.6f,%n", e.seconds())).append(e.uri()).append('\n');
        }
        if (ended) {
            s.append("#EXT-X-ENDLIST\n");
        }
        return s.toString();
    }

    /** Reads what {@link #render} wrote (a restarted sink continues its window). */
    static HlsPlaylist parse(String text) {
        int target = 0;
        long sequence = 0;
        long discontinuities = 0;
        boolean ended = false;
        boolean discontinuity = false;
        List<Entry> entries = new ArrayList<>();
        double pending = -1;
        for (String line : text.split("\n")) {
            line = line.strip();
            if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Integer.parseInt(line.substring(22));
            } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                sequence = Long.parseLong(line.substring(22));
            } else if (line.startsWith("#EXT-X-DISCONTINUITY-SEQUENCE:")) {
                discontinuities = Long.parseLong(line.substring(30));
            } else if (line.equals("#EXT-X-DISCONTINUITY")) {
                discontinuity = true;
            } else if (line.startsWith("#EXTINF:")) {
                pending = Double.parseDouble(line.substring(8, line.indexOf(',')));
            } else if (line.equals("#EXT-X-ENDLIST")) {
                ended = true;
            } else if (!line.isEmpty() && !line.startsWith("#") && pending >= 0) {
                entries.add(new Entry(sequence + entries.size(), pending, discontinuity));
                pending = -1;
                discontinuity = false;
            }
        }
        return new HlsPlaylist(target, discontinuities, entries, ended);
    }
}
