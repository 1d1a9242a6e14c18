package dev.lapstream.processor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Records a task holds back, per stream in the order they came, with where they came from: those of streams
 * whose spec has not reached this worker yet, and the frames waiting to run as one batch. The store is
 * changelogged: records whose input offsets are committed survive a failover.
 */
final class RecordQueue {

    /** What a task holds at most in one queue; a record that would go over it is not kept. */
    static final long MAX_BYTES = 64L << 20;

    /** A record that waited, with where it came from (its dead letter names its source). */
    record Waiting(Record<String, byte[]> record, Optional<RecordMetadata> source) {
    }

    private record Source(String topic, int partition, long offset) implements RecordMetadata {
    }

    /** Per stream: the sequence numbers held (first inclusive, next exclusive), since when, and their bytes. */
    private static final class Held {
        long first = Long.MAX_VALUE;
        long next;
        long since = Long.MAX_VALUE;
        long bytes;
        int count;
    }

    private final KeyValueStore<String, byte[]> store;
    private final int maxRecordBytes;
    private final Map<String, Held> held = new HashMap<>();
    private long bytes;
    private int count;

    /** @param maxRecordBytes the changelog's record limit: a larger record cannot be kept */
    RecordQueue(KeyValueStore<String, byte[]> store, int maxRecordBytes) {
        this.store = store;
        this.maxRecordBytes = maxRecordBytes;
        try (KeyValueIterator<String, byte[]> all = store.all()) { // restored after a failover
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                int cut = kv.key.lastIndexOf('\0');
                Held h = held.computeIfAbsent(kv.key.substring(0, cut), s -> new Held());
                long seq = Long.parseLong(kv.key.substring(cut + 1));
                h.first = Math.min(h.first, seq);
                h.next = Math.max(h.next, seq + 1);
                h.since = Math.min(h.since, parkedAt(kv.value));
                h.bytes += kv.value.length;
                h.count++;
                bytes += kv.value.length;
                count++;
            }
        }
    }

    boolean holds(String stream) {
        return held.containsKey(stream);
    }

    /** The streams with waiting records, in order of their ids. */
    Set<String> streams() {
        return new TreeSet<>(held.keySet());
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /** Records held, all streams together. */
    int size() {
        return count;
    }

    /** Wall-clock millis of the first record still waiting, any stream; Long.MAX_VALUE when none waits. */
    long oldest() {
        return held.values().stream().mapToLong(h -> h.since).min().orElse(Long.MAX_VALUE);
    }

    /** Wall-clock millis of the stream's first waiting record. */
    long since(String stream) {
        return held.get(stream).since;
    }

    /** Keeps the record at the end of its stream's queue; false, keeping nothing, when it does not fit. */
    boolean add(Record<String, byte[]> record, Optional<RecordMetadata> source, long nowMillis) {
        byte[] value = encode(record, source.orElse(null), nowMillis);
        if (value.length > maxRecordBytes || bytes + value.length > MAX_BYTES) {
            return false;
        }
        Held h = held.computeIfAbsent(record.key(), s -> new Held());
        h.first = Math.min(h.first, h.next);
        h.since = Math.min(h.since, nowMillis);
        store.put(key(record.key(), h.next++), value);
        h.bytes += value.length;
        h.count++;
        bytes += value.length;
        count++;
        return true;
    }

    /** Removes the stream's waiting records and returns them in the order they came. */
    List<Waiting> take(String stream) {
        Held h = held.remove(stream);
        List<Waiting> out = new ArrayList<>();
        if (h == null) {
            return out;
        }
        for (long seq = h.first; seq < h.next; seq++) {
            byte[] value = store.delete(key(stream, seq));
            if (value != null) {
                out.add(decode(stream, value));
            }
        }
        bytes -= h.bytes;
        count -= h.count;
        return out;
    }

    /** Keys sort by stream, then by arrival (fixed-width sequence number). */
    private static String key(String stream, long seq) {
        return stream + '\0' + String.format("%019d", seq);
    }

    private static byte[] encode(Record<String, byte[]> record, RecordMetadata source, long nowMillis) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(
                (record.value() == null ? 0 : record.value().length) + 64);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeLong(nowMillis);
            out.writeLong(record.timestamp());
            out.writeBoolean(source != null);
            if (source != null) {
                out.writeUTF(source.topic());
                out.writeInt(source.partition());
                out.writeLong(source.offset());
            }
            Header[] headers = record.headers().toArray();
            out.writeInt(headers.length);
            for (Header header : headers) {
                out.writeUTF(header.key());
                writeBytes(out, header.value());
            }
            writeBytes(out, record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    private static long parkedAt(byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            return in.readLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Waiting decode(String stream, byte[] value) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
            in.readLong(); // when it began waiting
            long timestamp = in.readLong();
            RecordMetadata source = in.readBoolean() ? new Source(in.readUTF(), in.readInt(), in.readLong()) : null;
            RecordHeaders headers = new RecordHeaders();
            for (int i = in.readInt(); i > 0; i--) {
                headers.add(in.readUTF(), readBytes(in));
            }
            return new Waiting(new Record<>(stream, readBytes(in), timestamp, headers), Optional.ofNullable(source));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            out.write(bytes);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int n = in.readInt();
        return n < 0 ? null : in.readNBytes(n);
    }
}
