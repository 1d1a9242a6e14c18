package dev.lapstream.sink;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lapstream.core.frame.StreamInfo;

import java.util.Map;

/**
 * Where each stream of one upscaled partition stands, stored as the metadata of the partition's committed offset
 * (in the transaction that published the segments), so a restarted sink continues each stream at its next
 * segment. The committed offset is the oldest record still needed by any stream; a stream whose start record
 * lies before it is restored from here. Short keys: the broker keeps 4 KB of metadata by default
 * ({@code offset.metadata.max.bytes}), about 30 streams per partition.
 */
record SinkCheckpoint(Map<String, Entry> streams) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One stream.
     *
     * @param start   offset of its start record (an older record of the same id belongs to an earlier run)
     * @param segment index of its next segment
     * @param frame   index of its next frame to encode
     * @param pts     where its next segment begins: audio before it is already published
     * @param end     offset of its end record once it ended (its records up to there are done), else -1
     */
    record Entry(@JsonProperty("w") int width, @JsonProperty("h") int height, @JsonProperty("r") double frameRate,
                 @JsonProperty("d") long durationMicros, @JsonProperty("n") long frameCount,
                 @JsonProperty("ar") int audioRate, @JsonProperty("ac") int audioChannels,
                 @JsonProperty("s") long start, @JsonProperty("g") long segment, @JsonProperty("f") long frame,
                 @JsonProperty("p") long pts, @JsonProperty("e") long end) {

        StreamInfo info(String streamId) {
            return new StreamInfo(width, height, frameRate, durationMicros, frameCount, audioRate, audioChannels,
                    "checkpoint of " + streamId);
        }

        static Entry of(StreamInfo i, long start, long segment, long frame, long pts, long end) {
            return new Entry(i.width(), i.height(), i.frameRate(), i.durationMicros(), i.frameCount(),
                    i.audioSampleRate(), i.audioChannels(), start, segment, frame, pts, end);
        }
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("checkpoint not writable as JSON", e);
        }
    }

    /** An empty checkpoint for no metadata; a metadata string that is not a checkpoint is refused with why. */
    static SinkCheckpoint parse(String metadata) {
        if (metadata == null || metadata.isBlank()) {
            return new SinkCheckpoint(Map.of());
        }
        try {
            SinkCheckpoint c = JSON.readValue(metadata, SinkCheckpoint.class);
            return c.streams() == null ? new SinkCheckpoint(Map.of()) : c;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("committed offset metadata is not a sink checkpoint: "
                    + e.getOriginalMessage());
        }
    }
}
