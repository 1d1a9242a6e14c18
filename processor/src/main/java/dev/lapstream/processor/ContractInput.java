package dev.lapstream.processor;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.ImageContract;
import dev.lapstream.core.frame.ImageIoPixels;
import dev.lapstream.core.frame.MalformedRecordException;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.json.Json;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Turns records of the {@link ImageContract} (images from producers that are not lapstream) into the native
 * sequence the rest of the worker handles: the first frame of a stream also yields its start record (sized by
 * that frame), the end marker yields the end record. What a stream has seen so far lives in a changelogged
 * store, so a worker that takes over a partition carries on where the last one committed.
 */
final class ContractInput {

    /** Per stream: the first frame's size and pts, frames so far, the last pts and the gap before it. */
    record StreamState(int width, int height, double fps, long firstPts, long frames, long lastPts, long lastGap) {
    }

    private final KeyValueStore<String, byte[]> store;

    ContractInput(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    static boolean applies(Record<String, byte[]> record) {
        return ImageContract.applies(record.value(), name -> header(record, name));
    }

    /** The native records this contract record stands for, in order. */
    List<FrameRecord> toNative(Record<String, byte[]> record) {
        String stream = record.key();
        ImageContract.Item item = ImageContract.read(record.value(), name -> header(record, name), record.timestamp());
        StreamState state = load(stream);
        if (item instanceof ImageContract.End) {
            if (state == null) {
                throw new MalformedRecordException("end marker of stream '" + stream + "' before any frame");
            }
            store.delete(stream);
            long end = state.lastPts() + Math.max(state.lastGap(), Math.round(1e6 / state.fps()));
            return List.of(new FrameRecord.End(state.frames(), end, false));
        }
        ImageContract.Frame f = (ImageContract.Frame) item;
        RgbImage image = ImageIoPixels.decode(f.image());
        if (state != null && (image.width() != state.width() || image.height() != state.height())) {
            throw new MalformedRecordException("frame " + f.index() + " is " + image.width() + "x" + image.height()
                    + ", stream '" + stream + "' started at " + state.width() + "x" + state.height());
        }
        boolean first = state == null;
        long firstPts = first ? f.ptsMicros() : state.firstPts();
        long pts = f.ptsMicros() - firstPts;
        StreamState next = first
                ? new StreamState(image.width(), image.height(), f.fps(), firstPts, 1, 0, 0)
                : new StreamState(state.width(), state.height(), state.fps(), firstPts, state.frames() + 1, pts,
                pts - state.lastPts());
        save(stream, next);
        FrameRecord.Video video = new FrameRecord.Video(new VideoFrame(f.index(), pts, f.captureMillis(), image));
        if (!first) {
            return List.of(video);
        }
        StreamInfo info = new StreamInfo(image.width(), image.height(), f.fps(), -1, -1, 0, 0,
                "kafka producer (" + ImageContract.class.getSimpleName() + ")");
        return List.of(new FrameRecord.Start(info), video);
    }

    private StreamState load(String stream) {
        byte[] json = store.get(stream);
        try {
            return json == null ? null : Json.MAPPER.readValue(json, StreamState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable contract state of stream '" + stream + "'", e);
        }
    }

    private void save(String stream, StreamState state) {
        try {
            store.put(stream, Json.MAPPER.writeValueAsBytes(state));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] header(Record<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : h.value();
    }
}
