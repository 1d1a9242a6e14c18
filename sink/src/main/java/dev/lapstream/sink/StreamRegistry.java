package dev.lapstream.sink;

import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.MalformedRecordException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The sink service's streams, by upscaled partition: routes each record to its stream's run, opens a run at a
 * start record and closes it at the end record, and says per partition which offset is safe to commit and
 * what to store with it ({@link SinkCheckpoint}). Bad input is logged and skipped, never thrown: a malformed
 * record, records of a stream whose start this sink never saw, a stream that fails to encode (dropped), a
 * stream without an end record (closed as truncated after {@code idleTimeout}).
 */
final class StreamRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRegistry.class);

    /** What a run needs from the service: how to cut and publish segments and where files go. */
    record Outputs(SegmentOptions segments, List<SegmentPublisher> publishers, Path fileDir) {

        Path file(String streamId) {
            return fileDir == null ? null : fileDir.resolve(SafeNames.of(streamId) + ".mp4");
        }
    }

    private final Pattern streams;
    private final Outputs outputs;
    private final int maxStreams;
    private final Duration idleTimeout;
    private final Consumer<StreamReport> reports;
    private final MeterRegistry meters;
    private final Map<TopicPartition, Map<String, StreamRun>> runs = new HashMap<>();
    /** Ended runs whose end record is not below the committed offset yet: a restart skips their records. */
    private final Map<TopicPartition, Map<String, SinkCheckpoint.Entry>> ended = new HashMap<>();
    /** Ended runs to report once their last segment is committed. */
    private final List<StreamRun> toReport = new ArrayList<>();
    /** Streams this sink does not follow until their next start (one message each, not one per record). */
    private final Set<String> skipped = new HashSet<>();
    private int uncommittedSegments;

    /** @param meters where each stream's {@code lapstream.sink.segment.latency} timer and segment counter go */
    StreamRegistry(Pattern streams, Outputs outputs, int maxStreams, Duration idleTimeout,
                   Consumer<StreamReport> reports, MeterRegistry meters) {
        this.meters = meters;
        this.streams = streams;
        this.outputs = outputs;
        this.maxStreams = maxStreams;
        this.idleTimeout = idleTimeout;
        this.reports = reports;
    }

    /** Takes over a partition where the checkpoint committed with its offset left it. */
    void restore(TopicPartition tp, SinkCheckpoint checkpoint) {
        Map<String, StreamRun> active = runs.computeIfAbsent(tp, p -> new HashMap<>());
        Map<String, SinkCheckpoint.Entry> done = ended.computeIfAbsent(tp, p -> new HashMap<>());
        checkpoint.streams().forEach((id, entry) -> {
            if (entry.end() >= 0) {
                done.put(id, entry);
            } else {
                active.put(id, newRun(id, entry.info(id), entry.start(), entry));
            }
        });
    }

    /** Gives up partitions (revoked, or the service stops): their open segments are encoded again elsewhere. */
    void release(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            Map<String, StreamRun> active = runs.remove(tp);
            if (active != null) {
                active.values().forEach(StreamRun::abandon);
            }
            ended.remove(tp);
        }
    }

    /** Segments published since the last {@link #committed}: a commit now makes them visible. */
    int uncommittedSegments() {
        return uncommittedSegments;
    }

    int openStreams() {
        return runs.values().stream().mapToInt(Map::size).sum();
    }

    void accept(ConsumerRecord<String, byte[]> record) {
        String id = record.key();
        if (id == null || !streams.matcher(id).matches()) {
            return;
        }
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        SinkCheckpoint.Entry done = ended.computeIfAbsent(tp, p -> new HashMap<>()).get(id);
        if (done != null && record.offset() <= done.end()) {
            return; // published before a restart
        }
        FrameRecord decoded;
        try {
            decoded = FrameCodec.decode(record.value());
        } catch (MalformedRecordException e) {
            LOG.error("stream '{}': skipping malformed upscaled record at {}@{}: {}", id, tp, record.offset(),
                    e.getMessage());
            return;
        }
        Map<String, StreamRun> active = runs.computeIfAbsent(tp, p -> new HashMap<>());
        StreamRun run = active.get(id);
        try {
            if (decoded instanceof FrameRecord.Start start) {
                if (run != null && record.offset() <= run.startOffset()) {
                    return;
                }
                if (run != null) {
                    LOG.warn("stream '{}' started again at {}@{} before its end record: closing the earlier run"
                            + " as truncated", id, tp, record.offset());
                    finish(tp, id, run, -1, -1, true, run.lastOffset());
                }
                if (openStreams() >= maxStreams) {
                    LOG.error("stream '{}' not followed: this sink already encodes {} streams (--max-streams)", id,
                            maxStreams);
                    skipped.add(id);
                    return;
                }
                skipped.remove(id);
                active.put(id, newRun(id, start.info(), record.offset(), null));
            } else if (run == null) {
                if (skipped.add(id)) {
                    LOG.warn("stream '{}': records without a start record at {}@{} (the stream began before this"
                            + " sink's position, or is not followed); skipped until its next start", id, tp,
                            record.offset());
                }
            } else if (decoded instanceof FrameRecord.Video v) {
                run.video(v.frame(), record.offset());
            } else if (decoded instanceof FrameRecord.Audio a) {
                run.audio(a.chunk(), record.offset());
            } else if (decoded instanceof FrameRecord.End end) {
                finish(tp, id, run, end.frames(), end.lastPtsMicros(), end.truncated(), record.offset());
            }
        } catch (RuntimeException e) {
            LOG.error("stream '{}': cannot encode the record at {}@{} ({}); the stream is dropped until its next"
                    + " start", id, tp, record.offset(), e.getMessage());
            StreamRun failed = active.remove(id);
            if (failed != null) {
                failed.abandon();
            }
            skipped.add(id);
        }
    }

    /** Closes, as truncated, streams that sent nothing for the idle timeout (their end record was lost). */
    void expireIdle() {
        long now = System.nanoTime();
        for (Map.Entry<TopicPartition, Map<String, StreamRun>> p : runs.entrySet()) {
            for (Map.Entry<String, StreamRun> e : List.copyOf(p.getValue().entrySet())) {
                if (e.getValue().idleNanos(now) > idleTimeout.toNanos()) {
                    LOG.warn("stream '{}': no record for {} s and no end record: closing it as truncated",
                            e.getKey(), idleTimeout.toSeconds());
                    finish(p.getKey(), e.getKey(), e.getValue(), -1, -1, true, e.getValue().lastOffset());
                }
            }
        }
    }

    /** The offset to commit for {@code tp}: its position, or the oldest record an open segment still needs. */
    long safeOffset(TopicPartition tp, long position) {
        long safe = position;
        for (StreamRun run : runs.getOrDefault(tp, Map.of()).values()) {
            safe = Math.min(safe, run.neededFrom());
        }
        return safe;
    }

    SinkCheckpoint checkpoint(TopicPartition tp) {
        Map<String, SinkCheckpoint.Entry> entries = new HashMap<>(ended.getOrDefault(tp, Map.of()));
        runs.getOrDefault(tp, Map.of()).forEach((id, run) -> {
            SinkCheckpoint.Entry e = run.checkpoint();
            if (e != null) {
                entries.put(id, e);
            }
        });
        return new SinkCheckpoint(entries);
    }

    /** {@code offsets} are committed with every segment published so far: latencies, reports, forgetting. */
    void committed(Map<TopicPartition, Long> offsets) {
        uncommittedSegments = 0;
        long now = System.currentTimeMillis();
        runs.values().forEach(m -> m.forEach((id, r) -> r.committed(now, latency -> record(id, latency))));
        for (StreamRun run : toReport) {
            String id = run.report().streamId();
            run.committed(now, latency -> record(id, latency));
            reports.accept(run.report());
            meters.remove(latencyTimer(id));
        }
        toReport.clear();
        offsets.forEach((tp, offset) -> ended.getOrDefault(tp, new HashMap<>()).values()
                .removeIf(e -> e.end() < offset));
    }

    private void record(String streamId, long latencyMillis) {
        latencyTimer(streamId).record(latencyMillis, TimeUnit.MILLISECONDS);
    }

    private Timer latencyTimer(String streamId) {
        return Timer.builder("lapstream.sink.segment.latency")
                .description("Capture of a segment's first frame to the segment committed on Kafka")
                .tag("stream", streamId).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(meters);
    }

    /** Closes every run without publishing its open segment (the service stops). */
    void closeAll() {
        release(List.copyOf(runs.keySet()));
    }

    private void finish(TopicPartition tp, String id, StreamRun run, long expected, long endPts, boolean truncated,
                        long offset) {
        runs.get(tp).remove(id);
        run.end(expected, endPts, truncated, offset);
        ended.computeIfAbsent(tp, p -> new HashMap<>()).put(id, run.checkpoint());
        toReport.add(run);
    }

    private StreamRun newRun(String id, dev.lapstream.core.frame.StreamInfo info, long startOffset,
                             SinkCheckpoint.Entry resume) {
        SegmentOptions segments = outputs.publishers().isEmpty() ? null : outputs.segments();
        return new StreamRun(id, info, startOffset, resume, segments,
                s -> {
                    uncommittedSegments++;
                    outputs.publishers().forEach(p -> p.publish(s));
                }, outputs.file(id));
    }
}
