package dev.lapstream.sink;

import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Cuts one stream into {@link EncodedSegment}s. Every segment is its own encoder and muxer, so it starts with a
 * key frame and PAT/PMT and decodes alone, and a restarted sink can continue at any segment boundary with
 * nothing carried over. The segment is encoded from its own time 0 and the muxer adds its start
 * ({@link VideoWriterOptions#outputOffsetMicros}): a fresh AAC encoder counts from 0 whatever it is told.
 *
 * <p>A segment ends at the first frame at or past its target length, at a size change (a new scale) or when its
 * bytes near the record limit. Audio is split at the boundary, so each sample is in exactly one segment. Memory:
 * one segment's bytes and the audio that ran ahead of the video.
 */
final class Segmenter {

    /** A frame this close to the target length counts as past it (timestamps rounded to microseconds). */
    private static final long BOUNDARY_TOLERANCE_MICROS = 1_000;

    private record Pending(AudioChunk chunk, long offset) {
    }

    private final String streamId;
    private final StreamInfo info;
    private final SegmentOptions options;
    private final Consumer<EncodedSegment> out;
    private final List<Pending> pendingAudio = new ArrayList<>();
    private final String codecs;

    private long nextIndex;
    private ByteArrayOutputStream bytes;
    private VideoWriter writer;
    private long startPts;
    private long firstFrame;
    private long frames;
    private long firstCapture;
    private long firstOffset;
    private int width;
    private int height;
    private long lastPts;

    /** @param nextIndex index of the first segment this segmenter publishes (above 0 when resuming) */
    Segmenter(String streamId, StreamInfo info, SegmentOptions options, long nextIndex, Consumer<EncodedSegment> out) {
        this.streamId = streamId;
        this.info = info;
        this.options = options;
        this.nextIndex = nextIndex;
        this.out = out;
        this.codecs = info.hasAudio() ? "h264,aac" : "h264";
    }

    /** @param offset the record's offset on its partition, for {@link #firstUnpublishedOffset} */
    void write(VideoFrame frame, long offset) {
        RgbImage img = frame.image();
        if (writer != null && (frame.ptsMicros() >= startPts + options.segmentMicros() - BOUNDARY_TOLERANCE_MICROS
                || img.width() != width || img.height() != height || bytes.size() >= options.cutBytes())) {
            cut(frame.ptsMicros(), false);
        }
        if (writer == null) {
            open(frame, offset);
        }
        writer.write(new VideoFrame(frame.index(), frame.ptsMicros() - startPts, frame.captureMillis(), img));
        frames++;
        lastPts = frame.ptsMicros();
    }

    void write(AudioChunk chunk, long offset) {
        if (writer == null) {
            pendingAudio.add(new Pending(chunk, offset));
            return;
        }
        long boundary = startPts + options.segmentMicros();
        AudioChunk[] parts = split(chunk, boundary);
        if (parts[0] != null) {
            writeAudio(parts[0]);
        }
        if (parts[1] != null) {
            pendingAudio.add(new Pending(parts[1], offset));
        }
    }

    /**
     * Publishes the open segment as the stream's last, with the audio that followed its frames.
     *
     * @param endPts the stream's end time (its last frame's pts plus its duration), or -1 when unknown
     */
    void finish(long endPts) {
        if (writer == null) {
            pendingAudio.clear();
            return;
        }
        cut(Math.max(endPts, lastPts + frameMicros()), true);
    }

    /** Drops the open segment (the service stops; the segment is encoded again after the restart). */
    void abort() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        pendingAudio.clear();
    }

    /** Offset of the oldest record not yet in a published segment, or {@link Long#MAX_VALUE} for none. */
    long firstUnpublishedOffset() {
        long first = writer != null ? firstOffset : Long.MAX_VALUE;
        for (Pending p : pendingAudio) {
            first = Math.min(first, p.offset());
        }
        return first;
    }

    /** Index the next published segment gets. */
    long nextIndex() {
        return nextIndex;
    }

    private void open(VideoFrame frame, long offset) {
        startPts = frame.ptsMicros();
        firstFrame = frame.index();
        firstCapture = frame.captureMillis();
        firstOffset = offset;
        frames = 0;
        width = frame.image().width();
        height = frame.image().height();
        double fps = info.frameRate() > 0 ? info.frameRate() : 25;
        VideoWriterOptions o = VideoWriterOptions.forStream(info, width, height)
                .withVideoBitrate(options.autoBitrate(width, height, fps))
                // one key frame per segment: its first
                .withGopFrames((int) Math.ceil(options.segmentMicros() * fps / 1e6) + 1)
                .withOutputOffset(startPts);
        bytes = new ByteArrayOutputStream(options.cutBytes() / 2);
        writer = new VideoWriter(bytes, VideoWriter.Container.MPEG_TS, o);
        List<Pending> waiting = List.copyOf(pendingAudio);
        pendingAudio.clear();
        for (Pending p : waiting) {
            firstOffset = Math.min(firstOffset, p.offset());
            write(p.chunk(), p.offset());
        }
    }

    /** Closes the open segment at {@code endPts}: audio before it goes in, the rest waits for the next one. */
    private void cut(long endPts, boolean last) {
        List<Pending> waiting = List.copyOf(pendingAudio);
        pendingAudio.clear();
        for (Pending p : waiting) {
            AudioChunk[] parts = last ? new AudioChunk[]{p.chunk(), null} : split(p.chunk(), endPts);
            if (parts[0] != null) {
                writeAudio(parts[0]);
            }
            if (parts[1] != null) {
                pendingAudio.add(new Pending(parts[1], p.offset()));
            }
        }
        writer.close();
        writer = null;
        out.accept(new EncodedSegment(streamId, nextIndex++, firstFrame, frames, startPts, endPts - startPts, width,
                height, firstCapture, last, codecs, bytes.toByteArray()));
        bytes = null;
    }

    private void writeAudio(AudioChunk c) {
        writer.write(new AudioChunk(c.ptsMicros() - startPts, c.sampleRate(), c.channels(), c.samples()));
    }

    private long frameMicros() {
        return Math.round(1e6 / (info.frameRate() > 0 ? info.frameRate() : 25));
    }

    /** The samples before {@code atMicros} and those from it on; either is null when empty. */
    static AudioChunk[] split(AudioChunk c, long atMicros) {
        int channels = c.channels();
        long total = c.samples().length / channels;
        long before = Math.max(0, Math.min(total, Math.round((atMicros - c.ptsMicros()) * c.sampleRate() / 1e6)));
        if (before == total) {
            return new AudioChunk[]{c, null};
        }
        if (before == 0) {
            return new AudioChunk[]{null, c};
        }
        int cut = (int) before * channels;
        return new AudioChunk[]{
                new AudioChunk(c.ptsMicros(), c.sampleRate(), channels, Arrays.copyOfRange(c.samples(), 0, cut)),
                new AudioChunk(c.ptsMicros() + Math.round(before * 1e6 / c.sampleRate()), c.sampleRate(), channels,
                        Arrays.copyOfRange(c.samples(), cut, c.samples().length))};
    }
}
