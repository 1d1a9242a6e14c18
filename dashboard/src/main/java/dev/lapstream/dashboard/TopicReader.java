package dev.lapstream.dashboard;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.metrics.FrameMetrics;
import dev.lapstream.core.metrics.WindowStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import dev.lapstream.core.kafka.ClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds the board from the topics with one consumer of its own (no group, nothing committed, so it never
 * takes partitions from a worker or sink): metrics, stats and dead letters from {@code lookback} ago, the
 * frames and upscaled topics from their end. Thumbnails come in pairs of one frame before and after upscaling:
 * about once a second a stream's latest input frame is picked, and its upscaled twin (same index) is awaited on
 * the upscaled topic; every other frame is skipped by its header, without decoding.
 */
final class TopicReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicReader.class);
    private static final long THUMBNAIL_EVERY_MS = 1000;
    /** A picked frame whose twin has not come by then is given up (a worker that stopped): pick a new one. */
    private static final long TWIN_TIMEOUT_MS = 60_000;
    /** The dead-letter reason header, as the worker writes it. */
    static final String REASON_HEADER = "lapstream.reason";

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaClientMetrics clientMetrics;
    private final Topics topics;
    private final StreamBoard board;
    private final Thread thread;
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<String, Long> pairedAt = new HashMap<>();
    /** Each stream's latest input frame not yet considered, kept whole so a burst's last frame gets its turn. */
    private final Map<String, byte[]> unpicked = new HashMap<>();
    /** Each stream's latest upscaled index: an input frame at or below it has had its twin pass already. */
    private final Map<String, Long> lastUpscaled = new HashMap<>();

    /** An input frame picked for a thumbnail, waiting for its upscaled twin. */
    private record Pending(long index, byte[] inputJpeg, long pickedMillis) {
    }
    private volatile boolean running = true;

    TopicReader(ClientConfig client, Topics topics, int maxMessageBytes, Duration lookback, StreamBoard board,
                MeterRegistry registry) {
        this.topics = topics;
        this.board = board;
        this.consumer = new KafkaConsumer<>(client.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxMessageBytes,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxMessageBytes,
                ConsumerConfig.CLIENT_ID_CONFIG, "lapstream-dashboard")),
                new StringDeserializer(), new ByteArrayDeserializer());
        clientMetrics = new KafkaClientMetrics(consumer);
        clientMetrics.bindTo(registry);
        assign(lookback);
        thread = new Thread(this::run, "lapstream-dashboard-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void assign(Duration lookback) {
        List<TopicPartition> history = partitions(List.of(topics.metrics(), topics.stats(), topics.dlq()));
        List<TopicPartition> live = partitions(List.of(topics.frames(), topics.upscaled()));
        List<TopicPartition> all = new ArrayList<>(history);
        all.addAll(live);
        consumer.assign(all);
        consumer.seekToEnd(all);
        long since = System.currentTimeMillis() - lookback.toMillis();
        Map<TopicPartition, Long> query = new HashMap<>();
        history.forEach(tp -> query.put(tp, since));
        consumer.offsetsForTimes(query, Duration.ofSeconds(30)).forEach((tp, found) -> {
            if (found != null) { // null: nothing that recent, stay at the end
                consumer.seek(tp, found.offset());
            }
        });
    }

    private List<TopicPartition> partitions(List<String> names) {
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : names) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist (is --topic-prefix right?)");
            }
            infos.forEach(p -> out.add(new TopicPartition(topic, p.partition())));
        }
        return out;
    }

    private void run() {
        try {
            while (running) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    try {
                        read(r);
                    } catch (IOException | RuntimeException e) { // one bad record must not blank the page
                        LOG.warn("skipping unreadable record {}-{}@{}: {}", r.topic(), r.partition(), r.offset(),
                                e.toString());
                    }
                }
                unpicked.entrySet().removeIf(e -> pick(e.getKey(), e.getValue()));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("dashboard stopped reading the topics: {}", e.toString(), e);
        }
    }

    private void read(ConsumerRecord<String, byte[]> r) throws IOException {
        String topic = r.topic();
        if (topic.equals(topics.metrics())) {
            board.frame(FrameMetrics.fromJson(r.value()));
        } else if (topic.equals(topics.stats())) {
            board.window(WindowStats.Summary.fromJson(r.value()));
        } else if (topic.equals(topics.dlq())) {
            board.deadLetter(r.key(), reason(r.headers().lastHeader(REASON_HEADER)));
        } else if (r.key() != null && FrameCodec.videoIndex(r.value()) >= 0) {
            if (topic.equals(topics.frames())) {
                unpicked.put(r.key(), r.value());
            } else {
                lastUpscaled.put(r.key(), FrameCodec.videoIndex(r.value()));
                twin(r.key(), r.value());
            }
        }
    }

    /**
     * Picks a stream's input frame for the next pair when one is due (or the waiting one went stale: the stream
     * restarted or its worker stopped). Returns whether the frame is done with, picked or passed over.
     */
    private boolean pick(String stream, byte[] value) {
        long now = System.currentTimeMillis();
        long index = FrameCodec.videoIndex(value);
        if (index <= lastUpscaled.getOrDefault(stream, -1L)) {
            return true; // its twin has gone by
        }
        Pending p = pending.get(stream);
        boolean due = p == null && now - pairedAt.getOrDefault(stream, 0L) >= THUMBNAIL_EVERY_MS;
        boolean stale = p != null && (index < p.index() || now - p.pickedMillis() > TWIN_TIMEOUT_MS);
        if (due || stale) {
            try {
                pending.put(stream, new Pending(index, jpeg(value), now));
            } catch (RuntimeException e) { // a frame that does not decode is the dead-letter topic's business
                LOG.warn("stream '{}': no thumbnail of frame {}: {}", stream, index, e.toString());
            }
            return true;
        }
        return false;
    }

    /** An upscaled frame: the pair is complete when it is the picked one's twin. */
    private void twin(String stream, byte[] value) {
        Pending p = pending.get(stream);
        long index = FrameCodec.videoIndex(value);
        if (p == null || index < p.index()) {
            return;
        }
        pending.remove(stream);
        if (index == p.index()) {
            board.thumbnails(stream, index, p.inputJpeg(), jpeg(value));
            pairedAt.put(stream, System.currentTimeMillis());
        } // else the picked frame never came out (dead-lettered): the next input frame is picked at once
    }

    private static byte[] jpeg(byte[] videoRecord) {
        return Thumbnails.jpeg(((FrameRecord.Video) FrameCodec.decode(videoRecord)).frame().image());
    }

    private static String reason(Header header) {
        return header == null ? "no reason given" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Whether the reader still follows the topics (it stops on an unreadable record or a lost broker). */
    boolean alive() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        clientMetrics.close();
        consumer.close(Duration.ofSeconds(5));
    }
}
