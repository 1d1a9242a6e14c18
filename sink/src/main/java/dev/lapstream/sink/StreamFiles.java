package dev.lapstream.sink;

import dev.lapstream.core.frame.AudioChunk;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one stream. A writer opens at the first frame (so its size is the frames' size, whatever the
 * spec was at the start record) and a new one at each size change; audio that arrives before the first frame
 * waits for it. Every file's timeline starts at its first frame, except the first, which keeps the stream's
 * timestamps.
 */
final class StreamFiles {

    private static final Logger LOG = LoggerFactory.getLogger(StreamFiles.class);

    private final String streamId;
    private final Path output;
    private final List<StreamSink.Segment> done = new ArrayList<>();
    private final List<AudioChunk> pendingAudio = new ArrayList<>();
    private VideoWriter writer;
    private StreamSink.Segment current;
    private long ptsOffset;

    /** @param output the first file's path; later ones are named by {@link #segmentPath} */
    StreamFiles(String streamId, Path output) {
        this.streamId = streamId;
        this.output = output;
    }

    void write(StreamInfo info, VideoFrame frame) {
        RgbImage img = frame.image();
        if (current == null || img.width() != current.width() || img.height() != current.height()) {
            boolean first = current == null && done.isEmpty();
            open(info, frame.index(), img.width(), img.height(), first ? 0 : frame.ptsMicros());
        }
        writer.write(new VideoFrame(frame.index(), frame.ptsMicros() - ptsOffset, frame.captureMillis(), img));
        current = new StreamSink.Segment(current.file(), current.firstFrame(), current.width(), current.height(),
                current.frames() + 1);
    }

    void write(AudioChunk chunk) {
        if (writer == null) {
            pendingAudio.add(chunk);
        } else {
            writeShifted(chunk);
        }
    }

    /** Closes the last file; a stream without frames still gets a (video-less) file with its audio. */
    List<StreamSink.Segment> finish(StreamInfo info) {
        if (current == null && done.isEmpty()) {
            open(info, 0, info.width(), info.height(), 0);
        }
        closeCurrent();
        return List.copyOf(done);
    }

    /** Closes the open file, if any, as it is (playable up to its last frame). */
    void abort() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }

    private void open(StreamInfo info, long firstFrame, int width, int height, long offset) {
        closeCurrent();
        Path file = done.isEmpty() ? output : segmentPath(output, firstFrame);
        if (!done.isEmpty()) {
            LOG.info("stream '{}': {}x{} from frame {}, new segment {}", streamId, width, height, firstFrame, file);
        }
        writer = new VideoWriter(file, VideoWriterOptions.forStream(info, width, height));
        current = new StreamSink.Segment(file, firstFrame, width, height, 0);
        ptsOffset = offset;
        pendingAudio.forEach(this::writeShifted);
        pendingAudio.clear();
    }

    private void writeShifted(AudioChunk c) {
        writer.write(new AudioChunk(c.ptsMicros() - ptsOffset, c.sampleRate(), c.channels(), c.samples()));
    }

    private void closeCurrent() {
        if (writer != null) {
            writer.close();
            writer = null;
            done.add(current);
            current = null;
        }
    }

    /** {@code out.mp4} and first frame 120 give {@code out.from-frame-120.mp4}. */
    static Path segmentPath(Path output, long firstFrame) {
        String name = output.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return output.resolveSibling(stem + ".from-frame-" + firstFrame + ext);
    }
}
