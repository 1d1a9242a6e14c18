package dev.lapstream.cli.soak;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.kafka.ClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Live streams of one looped clip, each sent at the clip's frame rate (a camera's clock) but never more than
 * {@link #WINDOW} frames ahead of what the worker has committed (its per-frame metrics records): a worker too slow
 * for the rate stays busy without a backlog piling up on the broker.
 */
final class LoopingStreams implements AutoCloseable {

    static final int WINDOW = 8;
    private static final PixelCodec CODEC = PixelCodec.parse(PixelCodec.FRAMES_DEFAULT);

    private final Topics topics;
    private final List<String> ids;
    private final LoopedClip clip;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> metrics;
    private final long[] sent;
    private final long[] done;
    private final AtomicLong upscaled = new AtomicLong();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopping;

    LoopingStreams(ClientConfig client, Topics topics, int maxMessageBytes, List<String> ids, LoopedClip clip) {
        this.topics = topics;
        this.ids = ids;
        this.clip = clip;
        this.sent = new long[ids.size()];
        this.done = new long[ids.size()];
        this.producer = new KafkaProducer<>(client.producer(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                maxMessageBytes)), new StringSerializer(), new ByteArraySerializer());
        this.metrics = new KafkaConsumer<>(client.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = metrics.partitionsFor(topics.metrics()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        metrics.assign(partitions);
        metrics.seekToBeginning(partitions);
        this.thread = new Thread(this::loop, "soak-streams");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Frames the worker has upscaled and committed, all streams. */
    long upscaled() {
        RuntimeException e = failure.get();
        if (e != null) {
            throw new IllegalStateException("the soak's streams failed: " + e.getMessage(), e);
        }
        return upscaled.get();
    }

    private void loop() {
        try {
            long frameNanos = clip.frameMicros() * 1000;
            long[] due = new long[ids.size()];
            for (String id : ids) {
                send(id, new FrameRecord.Start(clip.info()));
            }
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> r : metrics.poll(Duration.ofMillis(20))) {
                    int s = ids.indexOf(r.key());
                    if (s >= 0) {
                        done[s]++;
                        upscaled.incrementAndGet();
                    }
                }
                long now = System.nanoTime();
                for (int s = 0; s < ids.size(); s++) {
                    if (sent[s] - done[s] < WINDOW && now - due[s] >= 0) {
                        long i = sent[s]++;
                        send(ids.get(s), new FrameRecord.Video(new VideoFrame(i, i * clip.frameMicros(),
                                System.currentTimeMillis(), clip.frames().get((int) (i % clip.frames().size())))));
                        // no catching up in a burst after the window held a stream back
                        due[s] = Math.max(due[s] + frameNanos, now);
                    }
                }
            }
        } catch (RuntimeException e) {
            failure.set(e);
        }
    }

    private void send(String id, FrameRecord record) {
        producer.send(new ProducerRecord<>(topics.frames(), id, FrameCodec.encode(record, CODEC)), (meta, e) -> {
            if (e != null) {
                failure.compareAndSet(null, new IllegalStateException("cannot send to " + topics.frames() + ": "
                        + e.getMessage(), e));
            }
        });
    }

    /** Stops sending and ends every stream with its end record. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        try {
            if (thread.getState() != Thread.State.NEW) {
                thread.join();
                for (int s = 0; s < ids.size(); s++) {
                    send(ids.get(s), new FrameRecord.End(sent[s], sent[s] * clip.frameMicros(), false));
                }
                producer.flush();
            }
        } finally {
            producer.close();
            metrics.close();
        }
    }
}
