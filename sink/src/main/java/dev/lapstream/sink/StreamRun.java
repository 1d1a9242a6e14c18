package dev.lapstream.sink;

import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * One run of one stream in the sink service, from its start record to its end: its segmenter and files, frame
 * order (a duplicate is skipped, a gap counted), what a restart must not publish again, and its latencies.
 */
final class StreamRun {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRun.class);

    private final String id;
    private final StreamInfo info;
    private final long startOffset;
    private final Segmenter segmenter;
    private final StreamFiles files;
    private final boolean resumed;
    /** Frames below this index were published before a restart: seeing them again is the replay, not duplicates. */
    private final long replayedBelow;
    private final List<Long> uncommittedCaptures = new ArrayList<>();

    private long nextFrame;
    private long audioFrom;
    private long resumeFrame;
    private long resumePts;
    private long segments;
    private long frames;
    private long duplicates;
    private long missing;
    private long expectedFrames = -1;
    private boolean truncated;
    private long endOffset = -1;
    private long lastOffset;
    private long lastRecordNanos = System.nanoTime();
    private List<Path> written = List.of();
    private long latencySum;
    private long latencyMax;
    private long latencyCount;

    /**
     * @param resume   where a previous sink left the stream, or null for a run from its start record
     * @param segmentOptions how to cut segments, or null when no segment output is on
     * @param publish  takes each segment (the publishers)
     * @param file     the stream's MP4 file, or null when no file output is on
     */
    StreamRun(String id, StreamInfo info, long startOffset, SinkCheckpoint.Entry resume,
              SegmentOptions segmentOptions, Consumer<EncodedSegment> publish, Path file) {
        this.id = id;
        this.info = info;
        this.startOffset = startOffset;
        this.resumed = resume != null;
        this.nextFrame = resumed ? resume.frame() : 0;
        this.replayedBelow = nextFrame;
        this.audioFrom = resumed ? resume.pts() : Long.MIN_VALUE;
        this.resumeFrame = nextFrame;
        this.resumePts = audioFrom;
        this.segmenter = segmentOptions == null ? null
                : new Segmenter(id, info, segmentOptions, resumed ? resume.segment() : 0, s -> {
                    published(s);
                    publish.accept(s);
                });
        // a resumed run cannot append to the killed run's MP4 (its index is written at the end): a new part
        this.files = file == null ? null
                : new StreamFiles(id, resumed ? StreamFiles.segmentPath(file, nextFrame) : file);
        this.lastOffset = startOffset;
        if (resumed) {
            LOG.info("stream '{}': resuming at segment {}, frame {}", id, resume.segment(), nextFrame);
        }
    }

    void video(VideoFrame frame, long offset) {
        touch(offset);
        if (frame.index() < nextFrame) {
            if (frame.index() >= replayedBelow) {
                duplicates++;
            }
            return;
        }
        if (frame.index() > nextFrame) {
            LOG.warn("stream '{}': frames {}..{} missing (see the dead-letter topic)", id, nextFrame,
                    frame.index() - 1);
            missing += frame.index() - nextFrame;
        }
        if (segmenter != null) {
            segmenter.write(frame, offset);
        }
        if (files != null) {
            files.write(info, frame);
        }
        nextFrame = frame.index() + 1;
        frames++;
    }

    void audio(AudioChunk chunk, long offset) {
        touch(offset);
        AudioChunk c = chunk;
        if (c.ptsMicros() < audioFrom) {
            c = Segmenter.split(c, audioFrom)[1]; // the part before is in a published segment
            if (c == null) {
                return;
            }
        }
        if (segmenter != null) {
            segmenter.write(c, offset);
        }
        if (files != null) {
            files.write(c);
        }
    }

    /**
     * Publishes the last segment and closes the files.
     *
     * @param expected  frames the end record announced, or -1 without one
     * @param endPts    the stream's end time, or -1 when unknown
     * @param truncated the stream ended early
     */
    void end(long expected, long endPts, boolean truncated, long offset) {
        touch(offset);
        this.expectedFrames = expected;
        this.truncated = truncated;
        if (expected >= 0) {
            missing += Math.max(0, expected - nextFrame);
        }
        if (segmenter != null) {
            segmenter.finish(endPts);
        }
        if (files != null) {
            written = files.finish(info).stream().map(StreamSink.Segment::file).toList();
        }
        endOffset = offset;
    }

    /** Drops what is not published (the service stops or loses the partition); files close as they are. */
    void abandon() {
        if (segmenter != null) {
            segmenter.abort();
        }
        if (files != null) {
            files.abort();
        }
    }

    boolean ended() {
        return endOffset >= 0;
    }

    long startOffset() {
        return startOffset;
    }

    long lastOffset() {
        return lastOffset;
    }

    long idleNanos(long now) {
        return now - lastRecordNanos;
    }

    /**
     * The oldest offset a restart must read again for this stream: its start record until a segment is
     * published (files and a first segment start over), then the first record of its open segment.
     */
    long neededFrom() {
        if (ended()) {
            return Long.MAX_VALUE;
        }
        if (segmenter == null || (segments == 0 && !resumed)) {
            return startOffset;
        }
        return segmenter.firstUnpublishedOffset();
    }

    /** What a restart needs to continue this run, or null when it must start it over. */
    SinkCheckpoint.Entry checkpoint() {
        if (ended()) {
            return SinkCheckpoint.Entry.of(info, startOffset, 0, 0, 0, endOffset);
        }
        if (segmenter == null || (segments == 0 && !resumed)) {
            return null;
        }
        return SinkCheckpoint.Entry.of(info, startOffset, segmenter.nextIndex(), resumeFrame, resumePts, -1);
    }

    /**
     * The segments published since the last commit are now committed: their latencies are known.
     *
     * @param onLatency takes each segment's capture-to-commit latency in milliseconds
     */
    void committed(long nowMillis, LongConsumer onLatency) {
        for (long capture : uncommittedCaptures) {
            long latency = Math.max(0, nowMillis - capture);
            onLatency.accept(latency);
            latencySum += latency;
            latencyMax = Math.max(latencyMax, latency);
            latencyCount++;
            LOG.debug("stream '{}': segment committed {} ms after its first frame's capture", id, latency);
        }
        uncommittedCaptures.clear();
    }

    StreamReport report() {
        return new StreamReport(id, expectedFrames, frames, duplicates, missing, truncated, segments,
                latencyCount == 0 ? 0 : latencySum / latencyCount, latencyMax, written);
    }

    private void published(EncodedSegment s) {
        segments++;
        resumeFrame = nextFrame;
        resumePts = s.firstPtsMicros() + s.durationMicros();
        uncommittedCaptures.add(s.firstCaptureMillis());
    }

    private void touch(long offset) {
        lastOffset = Math.max(lastOffset, offset);
        lastRecordNanos = System.nanoTime();
    }
}
