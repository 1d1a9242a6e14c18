package dev.lapstream.ingest;

import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.VideoFrame;

/**
 * One thing pulled from a {@link VideoSource}: a decoded picture or a chunk of audio. The core records
 * cannot share an interface, so this wraps them.
 */
public sealed interface MediaItem permits MediaItem.Video, MediaItem.Audio {

    /** Presentation time in microseconds from the first video frame. */
    long ptsMicros();

    record Video(VideoFrame frame) implements MediaItem {
        @Override
        public long ptsMicros() {
            return frame.ptsMicros();
        }
    }

    record Audio(AudioChunk chunk) implements MediaItem {
        @Override
        public long ptsMicros() {
            return chunk.ptsMicros();
        }
    }
}
