package dev.lapstream.sink;

import dev.lapstream.core.Topics;
import dev.lapstream.core.kafka.ClientConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code lapstream sink} as a service: follows every stream on the upscaled topic (or those matching a pattern)
 * in a consumer group, so sink instances share the partitions, and publishes each stream as MP4 files, as
 * segments on the encoded topic and as HLS, whichever are on.
 *
 * <p>Exactly once on the encoded topic: segments and the consumed offsets commit in one transaction. The offset
 * committed for a partition is the oldest record an open segment still needs, and its metadata says where each
 * stream stands ({@link SinkCheckpoint}), so a killed sink's successor encodes each open segment again from its
 * first record and publishes nothing twice. Files and HLS are written as segments complete (outside the
 * transaction); HLS segments are rewritten under the same names after a restart.
 */
public final class SinkService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SinkService.class);
    /**
     * Longest time between commits while records arrive but no segment completes (the group's progress); a
     * completed segment is committed at once, as its latency counts.
     */
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    /**
     * @param groupId     the consumer group sink instances share
     * @param instanceId  this instance's name in the group, stable across its restarts: the transactional id and
     *                    the static group membership, so a restarted instance takes its partitions back at once
     * @param sessionTimeout how long the group waits for a vanished instance before giving its partitions away
     * @param streams     stream ids to follow (whole-id match)
     * @param fileDir     where {@code <stream>.mp4} files go, or null for none
     * @param hlsDir      where {@code <stream>/index.m3u8} goes, or null for none
     * @param hlsWindow   segments in a playlist, 0 for all
     * @param encoded     publish segments on the encoded topic
     * @param fromLatest  a new group starts at the topic's end instead of its beginning
     * @param idleTimeout a stream without records this long and no end record is closed as truncated
     */
    public record Settings(ClientConfig client, Topics topics, String groupId, String instanceId, Pattern streams,
                           Path fileDir, Path hlsDir, int hlsWindow, boolean encoded, SegmentOptions segments,
                           int maxMessageBytes, int maxStreams, boolean fromLatest, Duration idleTimeout,
                           Duration sessionTimeout) {

        public Settings {
            if (fileDir == null && hlsDir == null && !encoded) {
                throw new IllegalArgumentException("no output: enable files, HLS or the encoded topic");
            }
        }
    }

    /** Above this, a partition's checkpoint is close to what a default broker keeps with an offset. */
    private static final int CHECKPOINT_WARN_BYTES = 3500;

    private final Settings settings;
    private final KafkaConsumer<String, byte[]> consumer;
    private final SinkTransactions transactions;
    private final StreamRegistry registry;
    private volatile boolean stopRequested;
    private volatile boolean running;
    private volatile int assigned;
    /** Read by health probes on other threads; the registry itself is the service thread's alone. */
    private volatile int openStreams;
    private long lastCommitNanos = System.nanoTime();

    /**
     * @param reports takes each stream's report once its end is committed
     * @param meters  where the per-stream segment latency timers go ({@code lapstream.sink.segment.latency})
     */
    public SinkService(Settings settings, Consumer<StreamReport> reports, MeterRegistry meters) {
        this.settings = settings;
        this.consumer = new KafkaConsumer<>(settings.client().consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, settings.groupId(),
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.instanceId(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) settings.sessionTimeout().toMillis(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.fromLatest() ? "latest" : "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, settings.maxMessageBytes(),
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, settings.maxMessageBytes(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16,
                ConsumerConfig.CLIENT_ID_CONFIG, "lapstream-sink-" + settings.instanceId())),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.transactions = settings.encoded() ? new SinkTransactions(settings.client(),
                settings.groupId() + "-" + settings.instanceId(), settings.segments().maxBytes()) : null;
        List<SegmentPublisher> publishers = new ArrayList<>();
        if (transactions != null) {
            publishers.add(new EncodedTopicPublisher(transactions, settings.topics().encoded()));
        }
        if (settings.hlsDir() != null) {
            publishers.add(new HlsPublisher(settings.hlsDir(), settings.hlsWindow(),
                    (int) Math.ceil(settings.segments().segmentMicros() / 1e6)));
        }
        this.registry = new StreamRegistry(settings.streams(),
                new StreamRegistry.Outputs(settings.segments(), List.copyOf(publishers), settings.fileDir()),
                settings.maxStreams(), settings.idleTimeout(), reports, meters);
    }

    /** Binds the consumer's metrics ({@code kafka_consumer_...}) to {@code registry}; close it before the service. */
    public KafkaClientMetrics bindMetrics(MeterRegistry meters) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(meters);
        return metrics;
    }

    /** Follows the streams until {@link #stop()}; a fencing by a newer instance of the same id ends it. */
    public void run() {
        consumer.subscribe(List.of(settings.topics().upscaled()), new Rebalance());
        running = true;
        LOG.info("sink service '{}' in group '{}' following streams /{}/ on {}", settings.instanceId(),
                settings.groupId(), settings.streams(), settings.topics().upscaled());
        try {
            boolean consumed = false;
            while (!stopRequested) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    registry.accept(record);
                    consumed = true;
                }
                registry.expireIdle();
                openStreams = registry.openStreams();
                if (registry.uncommittedSegments() > 0
                        || consumed && System.nanoTime() - lastCommitNanos > COMMIT_INTERVAL.toNanos()) {
                    commit();
                    consumed = false;
                }
            }
            commit();
        } finally {
            running = false;
            registry.closeAll();
        }
    }

    /** Asks {@link #run} to commit what is published and return, within a poll. */
    public void stop() {
        stopRequested = true;
    }

    /** Whether {@link #run} is following the topic. */
    public boolean running() {
        return running;
    }

    /** Partitions of the upscaled topic this instance follows now. */
    public int assignedPartitions() {
        return assigned;
    }

    /** Streams being encoded now. */
    public int openStreams() {
        return openStreams;
    }

    private void commit() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        Map<TopicPartition, Long> safe = new HashMap<>();
        for (TopicPartition tp : assigned) {
            long offset = registry.safeOffset(tp, consumer.position(tp));
            String metadata = registry.checkpoint(tp).toJson();
            if (metadata.length() > CHECKPOINT_WARN_BYTES) {
                LOG.warn("{}: checkpoint of {} bytes for {} streams nears the broker's offset.metadata.max.bytes"
                        + " (4096 by default); more partitions spread the streams", tp, metadata.length(),
                        registry.checkpoint(tp).streams().size());
            }
            offsets.put(tp, new OffsetAndMetadata(offset, metadata));
            safe.put(tp, offset);
        }
        try {
            if (transactions != null) {
                transactions.commit(offsets, consumer.groupMetadata());
            } else {
                consumer.commitSync(offsets);
            }
        } catch (ProducerFencedException e) {
            throw new IllegalStateException("another sink instance took over transactional id '"
                    + settings.groupId() + "-" + settings.instanceId() + "'; give each instance its own --instance",
                    e);
        } catch (KafkaException e) {
            // what this transaction published is gone: start the partitions over from what is committed
            LOG.error("commit failed ({}); encoding again from the last committed position", e.getMessage());
            if (transactions != null) {
                transactions.abort();
            }
            rewind(assigned);
            return;
        }
        registry.committed(safe);
        lastCommitNanos = System.nanoTime();
    }

    private void rewind(Collection<TopicPartition> partitions) {
        registry.release(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            if (c == null) {
                consumer.seekToBeginning(List.of(tp));
                registry.restore(tp, SinkCheckpoint.parse(null));
            } else {
                consumer.seek(tp, c.offset());
                registry.restore(tp, checkpointOf(tp, c));
            }
        }
    }

    private static SinkCheckpoint checkpointOf(TopicPartition tp, OffsetAndMetadata committed) {
        try {
            return SinkCheckpoint.parse(committed.metadata());
        } catch (IllegalArgumentException e) {
            LOG.error("{}: {}; its streams start over from the committed offset {}", tp, e.getMessage(),
                    committed.offset());
            return SinkCheckpoint.parse(null);
        }
    }

    /** Commits before partitions leave (so their successor continues here), restores checkpoints as they come. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // once run() returned it has committed and released everything: closing must not commit again
            if (running && !partitions.isEmpty()) {
                commit();
                registry.release(partitions);
            }
            assigned = consumer.assignment().size() - partitions.size();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            if (transactions != null) {
                transactions.abort();
            }
            registry.release(partitions);
            assigned = consumer.assignment().size() - partitions.size();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = consumer.assignment().size();
            if (partitions.isEmpty()) {
                return;
            }
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
            for (TopicPartition tp : partitions) {
                OffsetAndMetadata c = committed.get(tp);
                registry.restore(tp, c == null ? SinkCheckpoint.parse(null) : checkpointOf(tp, c));
            }
            LOG.info("sink '{}' now follows partitions {}", settings.instanceId(), partitions);
        }
    }

    @Override
    public void close() {
        registry.closeAll();
        consumer.close();
        if (transactions != null) {
            transactions.close();
        }
    }
}
