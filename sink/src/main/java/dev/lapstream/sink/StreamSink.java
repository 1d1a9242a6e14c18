package dev.lapstream.sink;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.MalformedRecordException;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Reads one stream's upscaled records (read_committed, so only what the worker's transactions committed)
 * and encodes them to a file. Frames are checked against their index: a duplicate is skipped, a gap is
 * counted and reported, so the summary says whether the output is complete.
 */
public final class StreamSink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSink.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String streamId;
    private final Path output;

    /** What the sink wrote. */
    public record Result(StreamInfo info, long frames, long expectedFrames, long duplicates, long missing,
                         long audioChunks, long firstPtsMicros, long endPtsMicros, boolean truncatedInput,
                         Path output) {

        public boolean complete() {
            return missing == 0 && frames == expectedFrames;
        }
    }

    public StreamSink(String bootstrap, Topics topics, String streamId, Path output, int maxMessageBytes) {
        this.streamId = streamId;
        this.output = output;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxMessageBytes,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxMessageBytes,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16,
                ConsumerConfig.CLIENT_ID_CONFIG, "lapstream-sink-" + streamId),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<PartitionInfo> partitions = consumer.partitionsFor(topics.upscaled(), Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topics.upscaled() + " does not exist");
        }
        consumer.assign(partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList());
    }

    /** Starts reading from now on; call before the stream's frames are published. */
    public void fromLatest() {
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
    }

    /** Starts reading from the beginning of the topic (a stream already published). */
    public void fromEarliest() {
        consumer.seekToBeginning(consumer.assignment());
    }

    /**
     * Consumes until the stream's end record.
     *
     * @param onFrame   called with the number of frames written so far
     * @param healthy   checked between polls; when it turns false the sink stops with an error
     * @param stall     how long to wait for the next record before giving up
     */
    public Result run(LongConsumer onFrame, BooleanSupplier healthy, Duration stall) {
        VideoWriter writer = null;
        StreamInfo info = null;
        long written = 0;
        long duplicates = 0;
        long missing = 0;
        long audio = 0;
        long nextIndex = 0;
        long firstPts = -1;
        long lastPts = 0;
        long lastProgress = System.nanoTime();
        try {
            while (true) {
                if (!healthy.getAsBoolean()) {
                    throw new IllegalStateException("pipeline stopped before stream '" + streamId + "' ended");
                }
                if (System.nanoTime() - lastProgress > stall.toNanos()) {
                    throw new IllegalStateException("no upscaled frame of stream '" + streamId + "' for "
                            + stall.toSeconds() + " s; " + written + " frames written");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (!streamId.equals(record.key())) {
                        continue;
                    }
                    lastProgress = System.nanoTime();
                    FrameRecord decoded;
                    try {
                        decoded = FrameCodec.decode(record.value());
                    } catch (MalformedRecordException e) {
                        LOG.error("stream '{}': skipping malformed upscaled record at offset {}: {}", streamId,
                                record.offset(), e.getMessage());
                        continue;
                    }
                    if (decoded instanceof FrameRecord.Start start) {
                        if (writer != null) {
                            LOG.warn("stream '{}' restarted; keeping the first start", streamId);
                            continue;
                        }
                        info = start.info();
                        writer = new VideoWriter(output, VideoWriterOptions.forStream(info, info.width(), info.height()));
                    } else if (decoded instanceof FrameRecord.Video v) {
                        VideoFrame frame = v.frame();
                        if (writer == null) {
                            throw new IllegalStateException("stream '" + streamId + "': frame before its start record");
                        }
                        if (frame.index() < nextIndex) {
                            duplicates++;
                            continue;
                        }
                        if (frame.index() > nextIndex) {
                            LOG.warn("stream '{}': frames {}..{} missing (see the dead-letter topic)", streamId,
                                    nextIndex, frame.index() - 1);
                            missing += frame.index() - nextIndex;
                        }
                        writer.write(frame);
                        nextIndex = frame.index() + 1;
                        firstPts = firstPts < 0 ? frame.ptsMicros() : firstPts;
                        lastPts = frame.ptsMicros();
                        onFrame.accept(++written);
                    } else if (decoded instanceof FrameRecord.Audio a) {
                        if (writer != null) {
                            writer.write(a.chunk());
                            audio++;
                        }
                    } else if (decoded instanceof FrameRecord.End end) {
                        if (writer == null) {
                            throw new IllegalStateException("stream '" + streamId + "' ended before it started");
                        }
                        missing += Math.max(0, end.frames() - nextIndex);
                        writer.close();
                        writer = null;
                        return new Result(info, written, end.frames(), duplicates, missing, audio,
                                Math.max(firstPts, 0), end.lastPtsMicros(), end.truncated(), output);
                    }
                }
            }
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
