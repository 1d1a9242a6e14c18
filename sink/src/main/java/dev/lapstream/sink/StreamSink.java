package dev.lapstream.sink;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.MalformedRecordException;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import dev.lapstream.core.kafka.ClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Reads one stream's upscaled records (read_committed, so only what the worker's transactions committed)
 * and encodes them to a file, starting a new segment file where the frame size changes (a new scale from
 * the streams topic). Frames are checked against their index: a duplicate is skipped, a gap is counted
 * and reported, so the summary says whether the output is complete.
 */
public final class StreamSink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSink.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String streamId;
    private final Path output;
    private final TopicPartition partition;
    private volatile boolean stopRequested;

    /**
     * One output file: the frames from {@code firstFrame} on at one size. A stream whose scale changes
     * mid-stream gets a new segment at the first frame of the new size.
     */
    public record Segment(Path file, long firstFrame, int width, int height, long frames) {
    }

    /** What the sink wrote. */
    /**
     * What the sink wrote. {@code interrupted}: {@link #stop()} ended it before the stream's end, with every frame
     * so far in closed, playable files ({@code info} is null when the stream had not started).
     */
    public record Result(StreamInfo info, long frames, long expectedFrames, long duplicates, long missing,
                         long audioChunks, long firstPtsMicros, long endPtsMicros, boolean truncatedInput,
                         List<Segment> segments, boolean interrupted) {

        public boolean complete() {
            return !interrupted && missing == 0 && frames == expectedFrames;
        }

        /** The first segment's file (the requested output path), or null when nothing was written. */
        public Path output() {
            return segments.isEmpty() ? null : segments.get(0).file();
        }
    }

    public StreamSink(ClientConfig client, Topics topics, String streamId, Path output, int maxMessageBytes) {
        this.streamId = streamId;
        this.output = output;
        this.consumer = new KafkaConsumer<>(client.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, maxMessageBytes,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, maxMessageBytes,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 16,
                ConsumerConfig.CLIENT_ID_CONFIG, "lapstream-sink-" + streamId)),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<PartitionInfo> partitions = consumer.partitionsFor(topics.upscaled(), Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topics.upscaled() + " does not exist");
        }
        // every record of a stream is keyed by its id, so it is on the partition the default partitioner picks
        int partition = Utils.toPositive(Utils.murmur2(streamId.getBytes(StandardCharsets.UTF_8))) % partitions.size();
        this.partition = new TopicPartition(topics.upscaled(), partition);
        consumer.assign(List.of(this.partition));
    }

    /**
     * Asks {@link #run} (on another thread) to close the files it is writing and return before the stream's end,
     * within a poll. For Ctrl-C: the output stays playable and holds every frame written so far.
     */
    public void stop() {
        stopRequested = true;
    }

    /** Starts reading from now on; call before the stream's frames are published. */
    /** Binds this sink's consumer metrics ({@code kafka_consumer_...}) to {@code registry}; close it before the sink. */
    public KafkaClientMetrics bindMetrics(MeterRegistry registry) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(consumer);
        metrics.bindTo(registry);
        return metrics;
    }

    public void fromLatest() {
        consumer.seekToEnd(List.of(partition));
        consumer.position(partition);
    }

    /**
     * Starts at the stream's newest committed start record, so a stream id used before gives this run's frames,
     * not the previous run's; a stream not started yet is read from its first start. Reads the stream's partition
     * once up to its end to find it (start records are told by their header, nothing is decoded).
     */
    public void fromNewestStart() {
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        long newest = -1;
        while (consumer.position(partition) < end) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (streamId.equals(record.key()) && FrameCodec.isStart(record.value())) {
                    newest = record.offset();
                }
            }
        }
        if (newest >= 0) {
            consumer.seek(partition, newest);
            LOG.info("stream '{}': reading from its newest start at offset {}", streamId, newest);
        }
    }

    /**
     * Consumes until the stream's end record.
     *
     * @param onFrame   called with the number of frames written so far
     * @param healthy   checked between polls; when it turns false the sink stops with an error
     * @param stall     how long to wait for the next record before giving up
     */
    public Result run(LongConsumer onFrame, BooleanSupplier healthy, Duration stall) {
        StreamFiles out = new StreamFiles(streamId, output);
        StreamInfo info = null;
        long written = 0;
        long duplicates = 0;
        long missing = 0;
        long audio = 0;
        long nextIndex = 0;
        long firstPts = -1;
        long lastProgress = System.nanoTime();
        try {
            while (true) {
                if (stopRequested) {
                    List<Segment> segments = written > 0 ? out.finish(info) : List.of();
                    return new Result(info, written, info == null ? -1 : info.frameCount(), duplicates, missing,
                            audio, Math.max(firstPts, 0), -1, false, segments, true);
                }
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
                        if (info != null) {
                            LOG.warn("stream '{}' restarted; keeping the first start", streamId);
                            continue;
                        }
                        info = start.info();
                    } else if (decoded instanceof FrameRecord.Video v) {
                        VideoFrame frame = v.frame();
                        if (info == null) {
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
                        out.write(info, frame);
                        nextIndex = frame.index() + 1;
                        firstPts = firstPts < 0 ? frame.ptsMicros() : firstPts;
                        onFrame.accept(++written);
                    } else if (decoded instanceof FrameRecord.Audio a) {
                        if (info != null) {
                            out.write(a.chunk());
                            audio++;
                        }
                    } else if (decoded instanceof FrameRecord.End end) {
                        if (info == null) {
                            throw new IllegalStateException("stream '" + streamId + "' ended before it started");
                        }
                        missing += Math.max(0, end.frames() - nextIndex);
                        List<Segment> segments = out.finish(info);
                        return new Result(info, written, end.frames(), duplicates, missing, audio,
                                Math.max(firstPts, 0), end.lastPtsMicros(), end.truncated(), segments, false);
                    }
                }
            }
        } finally {
            out.abort();
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
