package dev.lapstream.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The records a task holds back (waiting for a spec, or for a batch), as a worker that takes over the partition finds them in the store. */
class RecordQueueTest {

    private KeyValueStore<String, byte[]> store;

    @BeforeEach
    void store() {
        store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("wait"), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(new MockProcessorContext<String, byte[]>().getStateStoreContext(), store);
    }

    @Test
    void aQueueRebuiltFromTheStoreKeepsOrderTimesHeadersAndSources() {
        RecordQueue first = new RecordQueue(store, 1 << 20);
        first.add(record("a", "a0", 10), Optional.of(source(5)), 1_000);
        first.add(record("b", "b0", 11), Optional.empty(), 1_100);
        first.add(record("a", "a1", 12), Optional.of(source(7)), 1_200);

        RecordQueue takenOver = new RecordQueue(store, 1 << 20);
        assertThat(takenOver.streams()).containsExactlyInAnyOrder("a", "b");
        assertThat(takenOver.since("a")).isEqualTo(1_000);
        assertThat(takenOver.oldest()).isEqualTo(1_000);
        assertThat(takenOver.size()).isEqualTo(3);
        takenOver.add(record("a", "a2", 13), Optional.empty(), 2_000);

        List<RecordQueue.Waiting> a = takenOver.take("a");
        assertThat(a).extracting(w -> new String(w.record().value())).containsExactly("a0", "a1", "a2");
        assertThat(a).extracting(w -> w.record().timestamp()).containsExactly(10L, 12L, 13L);
        assertThat(new String(a.get(0).record().headers().lastHeader("h").value())).isEqualTo("a0");
        assertThat(a.get(1).source()).map(RecordMetadata::offset).contains(7L);
        assertThat(a.get(2).source()).isEmpty();
        assertThat(takenOver.holds("a")).isFalse();
        assertThat(takenOver.take("b")).hasSize(1);
        assertThat(store.approximateNumEntries()).isZero();
        assertThat(takenOver.isEmpty()).isTrue();
        assertThat(takenOver.size()).isZero();
    }

    @Test
    void aRecordOverTheChangelogsLimitIsNotKept() {
        RecordQueue queue = new RecordQueue(store, 100);
        assertThat(queue.add(record("a", "x".repeat(100), 1), Optional.empty(), 0)).isFalse();
        assertThat(queue.holds("a")).isFalse();
        assertThat(queue.add(record("a", "x", 1), Optional.empty(), 0)).isTrue();
    }

    private static Record<String, byte[]> record(String stream, String value, long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("h", value.getBytes());
        return new Record<>(stream, value.getBytes(), timestamp, headers);
    }

    private static RecordMetadata source(long offset) {
        return new RecordMetadata() {
            @Override
            public String topic() {
                return "frames";
            }

            @Override
            public int partition() {
                return 0;
            }

            @Override
            public long offset() {
                return offset;
            }
        };
    }
}
