package dev.lapstream.cli.faults;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.kafka.ClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything the workers committed to the upscaled topic for the watched streams, in offset order, as a
 * read_committed consumer (the sink's view) sees it, with the moment each frame became visible: what the
 * verifier compares and what recovery times are measured on. Duplicates are kept, not skipped: they are
 * what exactly-once must rule out.
 */
final class CommittedFrames implements AutoCloseable {

    /** One committed frame: its index, timestamp, pixel hash and when it was seen ({@link System#nanoTime}). */
    record Frame(long index, long ptsMicros, String hash, long seenNanos) {
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Set<String> streams;
    private final Map<String, List<Frame>> frames = new ConcurrentHashMap<>();
    private final Set<String> ended = ConcurrentHashMap.newKeySet();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean closing;

    CommittedFrames(ClientConfig client, Topics topics, int maxMessageBytes, Set<String> streams) {
        this.streams = Set.copyOf(streams);
        streams.forEach(s -> frames.put(s, new ArrayList<>()));
        consumer = new KafkaConsumer<>(client.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxMessageBytes,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxMessageBytes,
                ConsumerConfig.CLIENT_ID_CONFIG, "lapstream-faults-watch")),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topics.upscaled(), Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::consume, "faults-committed-frames");
        thread.setDaemon(true);
        thread.start();
    }

    private void consume() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (!streams.contains(r.key())) {
                        continue;
                    }
                    FrameRecord record = FrameCodec.decode(r.value());
                    if (record instanceof FrameRecord.Video v) {
                        Frame f = new Frame(v.frame().index(), v.frame().ptsMicros(),
                                FrameHashes.of(v.frame().image()), System.nanoTime());
                        List<Frame> list = frames.get(r.key());
                        synchronized (list) {
                            list.add(f);
                        }
                    } else if (record instanceof FrameRecord.End) {
                        ended.add(r.key());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure.set(e);
        } finally {
            consumer.close();
        }
    }

    /** Frames of {@code stream} committed so far, duplicates included. */
    int count(String stream) {
        checkRunning();
        List<Frame> list = frames.get(stream);
        synchronized (list) {
            return list.size();
        }
    }

    /** A copy of what was committed for {@code stream}, in offset order. */
    List<Frame> frames(String stream) {
        checkRunning();
        List<Frame> list = frames.get(stream);
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** Whether the stream's end record was committed (it follows every frame of the stream). */
    boolean ended(String stream) {
        checkRunning();
        return ended.contains(stream);
    }

    private void checkRunning() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw new FaultSuiteException("reading the upscaled topic failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
