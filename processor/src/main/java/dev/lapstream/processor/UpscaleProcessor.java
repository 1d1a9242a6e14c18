package dev.lapstream.processor;

import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import dev.lapstream.core.frame.MalformedRecordException;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.frame.StreamInfo;
import dev.lapstream.core.frame.VideoFrame;
import dev.lapstream.core.image.RgbImage;
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.core.kafka.RecordLimit;
import dev.lapstream.core.metrics.FrameMetrics;
import dev.lapstream.core.spec.InvalidSpecException;
import dev.lapstream.core.spec.Size;
import dev.lapstream.core.spec.StreamSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's per-record step: decode, look up the stream's spec, upscale video frames, pass audio and
 * stream markers through, and route anything that cannot be served to the dead-letter topic with a reason.
 * Records of a stream whose spec has not come yet wait in a {@link RecordQueue}, checked by a punctuator.
 *
 * <p>With a batch size above 1 ({@link Batching}), frames are held in a second, changelogged queue until the
 * task holds that many or the first has waited the maximum wait (a wall-clock punctuator), then run together
 * ({@link FrameJobs}); the other records of a stream with held frames are held behind them, so each stream's
 * output keeps its order. Held records live in the store, not in memory, so a commit while they wait (their
 * input offsets committed, their output not yet produced) loses none: the task's next owner restores them.
 * Batches form within one task only: a processor forwards in its own task's context, so frames of two
 * partitions cannot share a call.
 */
final class UpscaleProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(UpscaleProcessor.class);
    /** How often waiting records are checked against the spec store and the grace. */
    static final Duration SPEC_CHECK = Duration.ofMillis(100);
    /** How long a stream's records wait for its spec (wall-clock time from its first waiting record). */
    static final Duration SPEC_GRACE = Duration.ofSeconds(5);

    private final Models models;
    private final UpscaledOutput output;
    private final WidthController controller;
    private final LagProbe lagProbe;
    private final VideoShare videoShare = new VideoShare();
    private final String workerId;
    private final StreamMeters meters;
    private final Batching batching;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> specs;
    private ContractInput contract;
    private RecordQueue waiting;
    /** Records held for the next batch: frames, and the records of their streams that came after them. */
    private RecordQueue held;
    /** Frames among them (after a restore: every record, so the batch runs no later). */
    private int heldFrames;
    /** Streams that waited their grace without a spec: their records are refused at once until one comes. */
    private final Set<String> graceSpent = new HashSet<>();

    /** @param controller shared by the worker's tasks, or null when the upscaler has no subnets */
    UpscaleProcessor(Models models, UpscaledOutput output, WidthController controller, LagProbe lagProbe,
                     String workerId, StreamMeters meters, Batching batching) {
        this.models = models;
        this.output = output;
        this.controller = controller;
        this.lagProbe = lagProbe;
        this.workerId = workerId;
        this.meters = meters;
        this.batching = batching;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.specs = context.getStateStore(UpscaleTopology.SPEC_STORE);
        this.contract = new ContractInput(context.getStateStore(UpscaleTopology.CONTRACT_STORE));
        this.waiting = new RecordQueue(context.getStateStore(UpscaleTopology.SPEC_WAIT_STORE),
                output.maxRecordBytes());
        this.held = new RecordQueue(context.getStateStore(UpscaleTopology.BATCH_STORE), output.maxRecordBytes());
        this.heldFrames = held.size();
        context.schedule(SPEC_CHECK, PunctuationType.WALL_CLOCK_TIME, this::checkWaiting);
        // also with size 1: a batch held by a run with a larger size is served after a restart with size 1
        context.schedule(batching.maxWait().compareTo(SPEC_CHECK) < 0 ? batching.maxWait() : SPEC_CHECK,
                PunctuationType.WALL_CLOCK_TIME, this::flushIfDue);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String stream = record.key();
        if (stream != null && (waiting.holds(stream) || (specs.get(stream) == null && !graceSpent.contains(stream)))) {
            if (specs.get(stream) != null) {
                release(stream);
            } else if (waiting.add(record, context.recordMetadata(), context.currentSystemTimeMs())) {
                return;
            } else {
                LOG.warn("stream '{}': no room to keep its records until its spec comes; it waits no longer", stream);
                expire(stream);
            }
        }
        admit(record, context.recordMetadata());
    }

    /**
     * Holds the record for the next batch (a frame, or any record of a stream with held frames), running the
     * batch once it is full; otherwise serves it now, after its stream's held records.
     */
    private void admit(Record<String, byte[]> record, Optional<RecordMetadata> from) {
        String stream = record.key();
        if (stream != null && batching.size() > 1) {
            boolean frame = isFrame(record);
            if ((frame || held.holds(stream)) && held.add(record, from, context.currentSystemTimeMs())) {
                if (frame && ++heldFrames >= batching.size()) {
                    flush();
                }
                return;
            }
            // not held (nothing of its stream is, or no room): served now, behind what its stream holds
        }
        if (stream != null && held.holds(stream)) {
            flush();
        }
        Pending pending = new Pending();
        serve(record, from, pending);
        pending.run();
    }

    /** A video frame, natively or by the image contract (whose end marker counts too: it only runs a batch early). */
    private static boolean isFrame(Record<String, byte[]> record) {
        return FrameCodec.videoIndex(record.value()) >= 0 || ContractInput.applies(record);
    }

    private void flushIfDue(long now) {
        if (!held.isEmpty() && now - held.oldest() >= batching.maxWait().toMillis()) {
            flush();
        }
    }

    /** Runs every held frame, of one size per upscaler call, then forwards each stream's outputs in order. */
    private void flush() {
        Pending pending = new Pending();
        for (String stream : held.streams()) {
            for (RecordQueue.Waiting w : held.take(stream)) {
                serve(w.record(), w.source(), pending);
            }
        }
        heldFrames = 0;
        pending.run();
    }

    /**
     * What serving some records produces, in order: forwards, and frames to upscale first. The frames run
     * together, then the forwards go out in the order the records were served.
     */
    private final class Pending {
        private final List<FrameJobs.Job> jobs = new ArrayList<>();
        private final List<Runnable> outputs = new ArrayList<>();

        void run() {
            FrameJobs.run(jobs, batching.size());
            outputs.forEach(Runnable::run);
        }
    }

    /** Serves the waiting records of streams whose spec has come, and ends the wait of those past the grace. */
    private void checkWaiting(long now) {
        for (String stream : waiting.streams()) {
            if (specs.get(stream) != null) {
                release(stream);
            } else if (now - waiting.since(stream) >= SPEC_GRACE.toMillis()) {
                expire(stream);
            }
        }
    }

    private void release(String stream) {
        for (RecordQueue.Waiting w : waiting.take(stream)) {
            admit(w.record(), w.source());
        }
    }

    /** The grace is over: the waiting records are served without a spec (so refused, except audio and markers). */
    private void expire(String stream) {
        graceSpent.add(stream);
        release(stream);
    }

    /** Serves one record into {@code pending}: what it forwards, and the frames it upscales first. */
    private void serve(Record<String, byte[]> record, Optional<RecordMetadata> from, Pending pending) {
        long started = System.currentTimeMillis();
        try {
            if (record.key() == null) {
                throw new MalformedRecordException("record has no stream id (null key)");
            }
            if (ContractInput.applies(record)) {
                specFor(record.key()); // before the contract's state records the stream as started
                List<FrameRecord> frames = contract.toNative(record);
                observe(from, frames.stream().anyMatch(f -> f instanceof FrameRecord.Video));
                for (FrameRecord frame : frames) {
                    handle(record, from, frame, null, started, pending);
                }
            } else {
                FrameRecord frame = FrameCodec.decode(record.value());
                observe(from, frame instanceof FrameRecord.Video);
                handle(record, from, frame, record.value(), started, pending);
            }
        } catch (MalformedRecordException e) {
            deadLetter(record, from, e.getMessage(), StreamMeters.DeadLetterCause.MALFORMED, pending);
        } catch (UnknownStreamException e) {
            deadLetter(record, from, e.getMessage(), StreamMeters.DeadLetterCause.UNKNOWN_STREAM, pending);
        } catch (UnservableSpecException e) {
            deadLetter(record, from, e.getMessage(), StreamMeters.DeadLetterCause.UNSERVABLE_SPEC, pending);
        } catch (InvalidSpecException e) {
            deadLetter(record, from, e.getMessage(), StreamMeters.DeadLetterCause.INVALID_SPEC, pending);
        } catch (Models.UnavailableModelException e) {
            deadLetter(record, from, e.getMessage(), StreamMeters.DeadLetterCause.UNAVAILABLE_MODEL, pending);
        } catch (RuntimeException e) {
            deadLetter(record, from, processingFailed(record, e), StreamMeters.DeadLetterCause.PROCESSING_FAILED,
                    pending);
        }
    }

    /** An upscaler failure on one frame must not kill the worker or lose the frame: the reason of its dead letter. */
    private static String processingFailed(Record<String, byte[]> record, RuntimeException e) {
        LOG.error("stream '{}': cannot process record: {}", record.key(), e.toString());
        return "processing failed: " + e;
    }

    /** Counts the record for its partition's share of video frames (see {@link VideoShare}). */
    private void observe(Optional<RecordMetadata> from, boolean video) {
        from.ifPresent(m -> videoShare.observe(m.partition(), video));
    }

    /** @param encoded the record's own value, passed through unchanged; null for records made from the contract */
    private void handle(Record<String, byte[]> record, Optional<RecordMetadata> from, FrameRecord frame,
                        byte[] encoded, long started, Pending pending) {
        if (frame instanceof FrameRecord.Start start) {
            StreamInfo in = start.info();
            StreamSpec spec = specFor(record.key());
            Size out = servableSize(spec, in.width(), in.height());
            models.forSpec(spec); // a model that cannot serve the stream refuses its start too, with the reason
            StreamInfo upscaled = new StreamInfo(out.width(), out.height(), in.frameRate(), in.durationMicros(),
                    in.frameCount(), in.audioSampleRate(), in.audioChannels(), in.source());
            forward(record, FrameCodec.encode(new FrameRecord.Start(upscaled)), pending);
            LOG.info("stream '{}' {}x{} -> {} ({})", record.key(), in.width(), in.height(), out,
                    spec.describe());
        } else if (frame instanceof FrameRecord.Video video) {
            // contract records have no native encoding: count the bytes the producer sent
            meters.frameIn(record.key(), record.value().length);
            upscale(record, from, video.frame(), started, pending);
        } else {
            if (frame instanceof FrameRecord.End) {
                meters.ended(record.key());
            }
            forward(record, encoded != null ? encoded : FrameCodec.encode(frame), pending);
        }
    }

    /** Chooses the frame's output size and subnet width now; its output goes out once the frame has run. */
    private void upscale(Record<String, byte[]> record, Optional<RecordMetadata> from, VideoFrame frame,
                         long started, Pending pending) {
        StreamSpec spec = specFor(record.key());
        RgbImage in = frame.image();
        Size out = servableSize(spec, in.width(), in.height());
        Upscaler upscaler = models.forSpec(spec);
        long lag = from.map(m -> videoShare.frames(m.partition(), lagProbe.lag(m.topic(), m.partition()))).orElse(0L);
        double megapixels = out.width() * (double) out.height() / 1e6;
        WidthController.Choice choice = null;
        if (controller != null) {
            StreamSpec.Policy policy = spec.effectivePolicy();
            synchronized (controller) {
                controller.observeArrival(record.timestamp());
                choice = controller.choose(lag, megapixels,
                        policy.latencyTargetSeconds(controller.latencyTargetSeconds()), policy.min(), policy.max());
            }
        }
        FrameJobs.Job job = new FrameJobs.Job(upscaler, in, out.width(), out.height(),
                choice == null ? 0 : choice.width());
        pending.jobs.add(job);
        WidthController.Choice chosen = choice;
        pending.outputs.add(() -> {
            try {
                upscaled(record, from, frame, out, chosen, lag, started, job);
            } catch (RuntimeException e) {
                sendDeadLetter(record, from, processingFailed(record, e),
                        StreamMeters.DeadLetterCause.PROCESSING_FAILED);
            }
        });
    }

    /** Forwards the upscaled frame and its metrics (run after its batch, in the stream's order). */
    private void upscaled(Record<String, byte[]> record, Optional<RecordMetadata> from, VideoFrame frame, Size out,
                          WidthController.Choice choice, long lag, long started, FrameJobs.Job job) {
        if (job.failure != null) {
            throw job.failure;
        }
        RgbImage in = frame.image();
        double megapixels = out.width() * (double) out.height() / 1e6;
        double inferenceMs = job.millis;
        if (choice != null) {
            synchronized (controller) {
                controller.observeCost(choice.width(), megapixels, inferenceMs / 1000);
            }
        }
        byte[] value = FrameCodec.encode(new FrameRecord.Video(
                new VideoFrame(frame.index(), frame.ptsMicros(), frame.captureMillis(), job.result)), output.codec());
        if (value.length > output.maxRecordBytes()) {
            sendDeadLetter(record, from, RecordLimit.tooLarge("upscaled frame " + frame.index() + " (" + out + ", "
                    + output.codec().describe() + ")", value.length, output.maxRecordBytes(),
                    output.limitSetting(), output.topic()), StreamMeters.DeadLetterCause.TOO_LARGE);
            return;
        }
        context.forward(record.withValue(value), UpscaleTopology.UPSCALED_SINK);
        long now = System.currentTimeMillis();
        FrameMetrics metrics = new FrameMetrics(record.key(), frame.index(), frame.ptsMicros(), in.width(),
                in.height(), out.width(), out.height(), (double) out.width() / in.width(),
                (double) out.height() / in.height(), job.upscaler.name(), choice == null ? null : choice.width(),
                choice == null ? null : choice.reason(), lag, inferenceMs,
                Math.max(0, started - record.timestamp()), Math.max(0, now - frame.captureMillis()),
                value.length, workerId, now);
        meters.frameOut(record.key(), job.upscaler.name(), inferenceMs, metrics.latencyMs(), value.length, lag, choice);
        context.forward(record.withValue(metrics.toJson()).withTimestamp(now), UpscaleTopology.METRICS_SINK);
    }

    /**
     * The spec's output size for this input, checked against the record limit here, where the spec is applied
     * and the input size is known. Only raw frames have a size known before encoding: a spec whose raw frames
     * cannot be produced is refused with a reason, its start record and every frame, instead of upscaling frames
     * that would be refused (or failing the task). Compressed frames are checked after encoding, frame by frame.
     */
    private Size servableSize(StreamSpec spec, int inWidth, int inHeight) {
        Size out = spec.outputSize(inWidth, inHeight);
        if (output.codec().format() != PixelCodec.RAW) {
            return out;
        }
        long bytes = FrameCodec.videoRecordBytes(out.width(), out.height());
        if (bytes > output.maxRecordBytes()) {
            throw new UnservableSpecException(String.format(java.util.Locale.ROOT,
                    "spec %s cannot be served: an upscaled %s frame (input %dx%d, %s) is %d bytes, over the record"
                            + " limit, %s (%d): %s", spec.describe(), out, inWidth, inHeight,
                    output.codec().describe(), bytes, output.limitSetting(), output.maxRecordBytes(),
                    RecordLimit.raise(output.topic())));
        }
        return out;
    }

    /** A spec whose frames can never be produced (too large for the record limit): its own dead-letter kind. */
    private static final class UnservableSpecException extends InvalidSpecException {
        UnservableSpecException(String message) {
            super(message);
        }
    }

    /** A record of a stream that has no spec: its own dead-letter kind, apart from specs that are invalid. */
    private static final class UnknownStreamException extends InvalidSpecException {
        UnknownStreamException(String message) {
            super(message);
        }
    }

    private StreamSpec specFor(String stream) {
        byte[] json = specs.get(stream);
        if (json == null) {
            throw new UnknownStreamException("unknown stream '" + stream + "': no spec on the streams topic");
        }
        graceSpent.remove(stream);
        return StreamSpec.fromJson(json);
    }

    private void forward(Record<String, byte[]> record, byte[] value, Pending pending) {
        pending.outputs.add(() -> context.forward(record.withValue(value), UpscaleTopology.UPSCALED_SINK));
    }

    private void deadLetter(Record<String, byte[]> record, Optional<RecordMetadata> from, String reason,
                            StreamMeters.DeadLetterCause cause, Pending pending) {
        pending.outputs.add(() -> sendDeadLetter(record, from, reason, cause));
    }

    private void sendDeadLetter(Record<String, byte[]> record, Optional<RecordMetadata> from, String reason,
                                StreamMeters.DeadLetterCause cause) {
        meters.deadLetter(record.key(), cause);
        LOG.warn("stream '{}': record to dead-letter topic: {}", record.key(), reason);
        context.forward(record.withHeaders(DeadLetter.headers(record.headers(), reason, from.orElse(null))),
                UpscaleTopology.DLQ_SINK);
    }
}
