package dev.lapstream.processor;

import dev.lapstream.core.spec.InvalidSpecException;
import dev.lapstream.core.spec.StreamSpec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global spec store in step with the compacted streams topic. An invalid spec is logged and
 * ignored, so a stream keeps its last good spec instead of failing every frame; a tombstone removes it.
 */
final class SpecUpdater implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(SpecUpdater.class);
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(UpscaleTopology.SPEC_STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warn("ignoring a stream spec without a stream id");
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        try {
            StreamSpec spec = StreamSpec.fromJson(record.value());
            store.put(record.key(), spec.toJson());
        } catch (InvalidSpecException e) {
            LOG.error("ignoring invalid spec for stream '{}': {}", record.key(), e.getMessage());
        }
    }
}
