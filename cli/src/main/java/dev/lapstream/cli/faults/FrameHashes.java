package dev.lapstream.cli.faults;

import dev.lapstream.core.image.RgbImage;
import dev.lapstream.ingest.MediaItem;
import dev.lapstream.ingest.VideoSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Per-frame fingerprints: of a picture's size and pixels, and of every picture a video file decodes to. */
final class FrameHashes {

    /** One decoded picture of a file. */
    record Decoded(long ptsMicros, String hash) {
    }

    private FrameHashes() {
    }

    /** SHA-256 of width, height and pixels, as 16 hex digits (enough to tell frames of one run apart). */
    static String of(RgbImage image) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(8).putInt(image.width()).putInt(image.height()).array());
            sha.update(image.pixels());
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Decodes the whole file; throws the decoder's own error when it is not a playable video. */
    static List<Decoded> decode(Path file) {
        List<Decoded> out = new ArrayList<>();
        try (VideoSource source = VideoSource.open(file)) {
            for (MediaItem item = source.next(); item != null; item = source.next()) {
                if (item instanceof MediaItem.Video v) {
                    out.add(new Decoded(v.frame().ptsMicros(), of(v.frame().image())));
                }
            }
        }
        return out;
    }
}
