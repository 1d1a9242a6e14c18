package dev.lapstream.cli.soak;

import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.ingest.MediaItem;
import dev.lapstream.ingest.VideoSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A clip's frames decoded once, to be sent over and over as a live stream without end (no audio). */
record LoopedClip(StreamInfo info, List<RgbImage> frames) {

    static LoopedClip decode(Path file) {
        List<RgbImage> frames = new ArrayList<>();
        StreamInfo info;
        try (VideoSource source = VideoSource.open(file)) {
            info = source.info();
            for (MediaItem item = source.next(); item != null; item = source.next()) {
                if (item instanceof MediaItem.Video v) {
                    frames.add(v.frame().image());
                }
            }
        }
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no video frames in " + file);
        }
        // a live source: no known duration or frame count
        return new LoopedClip(new StreamInfo(info.width(), info.height(), info.frameRate(), -1, -1, 0, 0,
                info.source()), List.copyOf(frames));
    }

    long frameMicros() {
        return Math.round(1e6 / info.frameRate());
    }
}
