package dev.lapstream.sink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rolling playlist: window, media and discontinuity sequence, deletion behind it, a restart continuing it. */
class HlsPublisherTest {

    @TempDir
    Path dir;

    private static EncodedSegment segment(long index, int width, boolean last) {
        return new EncodedSegment("cam/1", index, index * 20, 20, index * 2_000_000, 2_000_000, width, width / 2, 0,
                last, "h264", new byte[]{(byte) index});
    }

    @Test
    void slidingWindowWithADiscontinuityAtASizeChange() throws Exception {
        HlsPublisher hls = new HlsPublisher(dir, 2, 2);
        for (int i = 0; i < 4; i++) {
            hls.publish(segment(i, i < 2 ? 64 : 96, false));
        }
        Path stream = dir.resolve("cam_1");
        assertThat(Files.readAllLines(stream.resolve("index.m3u8"))).containsExactly("#EXTM3U", "#EXT-X-VERSION:3",
                "#EXT-X-TARGETDURATION:2", "#EXT-X-MEDIA-SEQUENCE:2", "#EXT-X-DISCONTINUITY",
                "#EXTINF:2.000000,", "seg-000002.ts", "#EXTINF:2.000000,", "seg-000003.ts");
        // a segment that left the window stays one window long for players behind
        assertThat(stream.resolve("seg-000000.ts")).exists();

        // a restarted sink continues the window from the playlist on disk
        HlsPublisher restarted = new HlsPublisher(dir, 2, 2);
        restarted.publish(segment(4, 96, false));
        restarted.publish(segment(5, 96, true));
        List<String> playlist = Files.readAllLines(stream.resolve("index.m3u8"));
        assertThat(playlist).contains("#EXT-X-MEDIA-SEQUENCE:4", "#EXT-X-DISCONTINUITY-SEQUENCE:1")
                .doesNotContain("#EXT-X-DISCONTINUITY").endsWith("seg-000005.ts", "#EXT-X-ENDLIST");
        assertThat(stream.resolve("seg-000001.ts")).doesNotExist();
        assertThat(Files.readAllBytes(stream.resolve("seg-000005.ts"))).containsExactly(5);
        assertThat(HlsPlaylist.parse(String.join("\n", playlist)).entries())
                .extracting(HlsPlaylist.Entry::index).containsExactly(4L, 5L);
    }
}
