package dev.lapstream.ingest;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.kafka.ClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an earlier, interrupted ingest of a stream already put on the frames topic, so a resumed ingest sends
 * the rest and nothing twice (the producer is idempotent: what the broker acknowledged is there exactly once).
 *
 * @param lastFrame    index of the last video frame published, -1 for none
 * @param lastAudioPts pts of the last audio chunk published, {@link Long#MIN_VALUE} for none
 */
public record Published(boolean started, long lastFrame, long lastAudioPts, boolean ended) {

    public static final Published NOTHING = new Published(false, -1, Long.MIN_VALUE, false);

    /** Reads the stream's partition of the frames topic to its end, looking at record headers only. */
    public static Published scan(ClientConfig client, Topics topics, String streamId, int maxMessageBytes) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(client.consumer(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxMessageBytes,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxMessageBytes)),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            int partitions = consumer.partitionsFor(topics.frames(), Duration.ofSeconds(30)).size();
            TopicPartition tp = new TopicPartition(topics.frames(),
                    Utils.toPositive(Utils.murmur2(streamId.getBytes(StandardCharsets.UTF_8))) % partitions);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            Published seen = NOTHING;
            while (consumer.position(tp) < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (streamId.equals(r.key())) {
                        seen = seen.after(r.value());
                    }
                }
            }
            return seen;
        }
    }

    private Published after(byte[] value) {
        if (FrameCodec.isStart(value)) {
            return new Published(true, lastFrame, lastAudioPts, ended);
        }
        if (FrameCodec.isEnd(value)) {
            return new Published(started, lastFrame, lastAudioPts, true);
        }
        return new Published(started, Math.max(lastFrame, FrameCodec.videoIndex(value)),
                Math.max(lastAudioPts, FrameCodec.audioPts(value)), ended);
    }
}
