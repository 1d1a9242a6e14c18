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
import java.util.HashSet;
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
 * Records of a stream whose spec has not come yet wait in a {@link SpecWaitQueue}, checked by a punctuator.
 */
final class UpscaleProcessor implements Processor<String, byte[], String, byte[]> {

    private static final Logger LOG = LoggerFactory.getLogger(UpscaleProcessor.class);
    /** How often waiting records are checked against the spec store and the grace. */
    static final Duration SPEC_CHECK = Duration.ofMillis(100);

    private final Upscaler upscaler;
    private final UpscaledOutput output;
    private final WidthController controller;
    private final LagProbe lagProbe;
    private final VideoShare videoShare = new VideoShare();
    private final String workerId;
    private final StreamMeters meters;
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, byte[]> specs;
    private ContractInput contract;
    private SpecWaitQueue waiting;
    /** Streams that waited their grace without a spec: their records are refused at once until one comes. */
    private final Set<String> graceSpent = new HashSet<>();
    /** Where the record being served came from: the context's, or the stored source of one that waited. */
    private Optional<RecordMetadata> source = Optional.empty();

    /** @param controller shared by the worker's tasks, or null when the upscaler has no subnets */
    UpscaleProcessor(Upscaler upscaler, UpscaledOutput output, WidthController controller, LagProbe lagProbe,
                     String workerId, StreamMeters meters) {
        this.upscaler = upscaler;
        this.output = output;
        this.controller = controller;
        this.lagProbe = lagProbe;
        this.workerId = workerId;
        this.meters = meters;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.specs = context.getStateStore(UpscaleTopology.SPEC_STORE);
        this.contract = new ContractInput(context.getStateStore(UpscaleTopology.CONTRACT_STORE));
        this.waiting = new SpecWaitQueue(context.getStateStore(UpscaleTopology.SPEC_WAIT_STORE),
                output.maxRecordBytes());
        context.schedule(SPEC_CHECK, PunctuationType.WALL_CLOCK_TIME, this::checkWaiting);
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
        serve(record, context.recordMetadata());
    }

    /** Serves the waiting records of streams whose spec has come, and ends the wait of those past the grace. */
    private void checkWaiting(long now) {
        for (String stream : waiting.streams()) {
            if (specs.get(stream) != null) {
                release(stream);
            } else if (now - waiting.since(stream) >= SpecWaitQueue.GRACE.toMillis()) {
                expire(stream);
            }
        }
    }

    private void release(String stream) {
        for (SpecWaitQueue.Waiting w : waiting.take(stream)) {
            serve(w.record(), w.source());
        }
    }

    /** The grace is over: the waiting records are served without a spec (so refused, except audio and markers). */
    private void expire(String stream) {
        graceSpent.add(stream);
        release(stream);
    }

    private void serve(Record<String, byte[]> record, Optional<RecordMetadata> from) {
        source = from;
        long started = System.currentTimeMillis();
        try {
            if (record.key() == null) {
                throw new MalformedRecordException("record has no stream id (null key)");
            }
            if (ContractInput.applies(record)) {
                specFor(record.key()); // before the contract's state records the stream as started
                java.util.List<FrameRecord> frames = contract.toNative(record);
                observe(frames.stream().anyMatch(f -> f instanceof FrameRecord.Video));
                for (FrameRecord frame : frames) {
                    handle(record, frame, null, started);
                }
            } else {
                FrameRecord frame = FrameCodec.decode(record.value());
                observe(frame instanceof FrameRecord.Video);
                handle(record, frame, record.value(), started);
            }
        } catch (MalformedRecordException e) {
            deadLetter(record, e.getMessage(), StreamMeters.DeadLetterCause.MALFORMED);
        } catch (UnknownStreamException e) {
            deadLetter(record, e.getMessage(), StreamMeters.DeadLetterCause.UNKNOWN_STREAM);
        } catch (UnservableSpecException e) {
            deadLetter(record, e.getMessage(), StreamMeters.DeadLetterCause.UNSERVABLE_SPEC);
        } catch (InvalidSpecException e) {
            deadLetter(record, e.getMessage(), StreamMeters.DeadLetterCause.INVALID_SPEC);
        } catch (RuntimeException e) {
            // an upscaler failure on one frame must not kill the worker or lose the frame
            LOG.error("stream '{}': cannot process record: {}", record.key(), e.toString());
            deadLetter(record, "processing failed: " + e, StreamMeters.DeadLetterCause.PROCESSING_FAILED);
        }
    }

    /** Counts the record for its partition's share of video frames (see {@link VideoShare}). */
    private void observe(boolean video) {
        source.ifPresent(m -> videoShare.observe(m.partition(), video));
    }

    /** @param encoded the record's own value, passed through unchanged; null for records made from the contract */
    private void handle(Record<String, byte[]> record, FrameRecord frame, byte[] encoded, long started) {
        if (frame instanceof FrameRecord.Start start) {
            StreamInfo in = start.info();
            StreamSpec spec = specFor(record.key());
            Size out = servableSize(spec, in.width(), in.height());
            StreamInfo upscaled = new StreamInfo(out.width(), out.height(), in.frameRate(), in.durationMicros(),
                    in.frameCount(), in.audioSampleRate(), in.audioChannels(), in.source());
            forward(record, FrameCodec.encode(new FrameRecord.Start(upscaled)));
            LOG.info("stream '{}' {}x{} -> {} ({})", record.key(), in.width(), in.height(), out,
                    spec.describe());
        } else if (frame instanceof FrameRecord.Video video) {
            // contract records have no native encoding: count the bytes the producer sent
            meters.frameIn(record.key(), record.value().length);
            upscale(record, video.frame(), started);
        } else {
            if (frame instanceof FrameRecord.End) {
                meters.ended(record.key());
            }
            forward(record, encoded != null ? encoded : FrameCodec.encode(frame));
        }
    }

    private void upscale(Record<String, byte[]> record, VideoFrame frame, long started) {
        StreamSpec spec = specFor(record.key());
        RgbImage in = frame.image();
        Size out = servableSize(spec, in.width(), in.height());
        long lag = source
                .map(m -> videoShare.frames(m.partition(), lagProbe.lag(m.topic(), m.partition()))).orElse(0L);
        double megapixels = out.width() * (double) out.height() / 1e6;
        WidthController.Choice choice = null;
        long t0 = System.nanoTime();
        RgbImage result;
        if (controller == null) {
            result = upscaler.upscale(in, out.width(), out.height());
        } else {
            StreamSpec.Policy policy = spec.effectivePolicy();
            synchronized (controller) {
                controller.observeArrival(record.timestamp());
                choice = controller.choose(lag, megapixels, policy.latencyTargetSeconds(), policy.min(), policy.max());
            }
            result = upscaler.upscale(in, out.width(), out.height(), choice.width());
        }
        double inferenceMs = (System.nanoTime() - t0) / 1e6;
        if (choice != null) {
            synchronized (controller) {
                controller.observeCost(choice.width(), megapixels, inferenceMs / 1000);
            }
        }
        byte[] value = FrameCodec.encode(new FrameRecord.Video(
                new VideoFrame(frame.index(), frame.ptsMicros(), frame.captureMillis(), result)), output.codec());
        if (value.length > output.maxRecordBytes()) {
            deadLetter(record, RecordLimit.tooLarge("upscaled frame " + frame.index() + " (" + out + ", "
                    + output.codec().describe() + ")", value.length, output.maxRecordBytes(),
                    output.limitSetting(), output.topic()), StreamMeters.DeadLetterCause.TOO_LARGE);
            return;
        }
        forward(record, value);
        long now = System.currentTimeMillis();
        FrameMetrics metrics = new FrameMetrics(record.key(), frame.index(), frame.ptsMicros(), in.width(),
                in.height(), out.width(), out.height(), (double) out.width() / in.width(),
                (double) out.height() / in.height(), upscaler.name(), choice == null ? null : choice.width(),
                choice == null ? null : choice.reason(), lag, inferenceMs,
                Math.max(0, started - record.timestamp()), Math.max(0, now - frame.captureMillis()),
                value.length, workerId, now);
        meters.frameOut(record.key(), upscaler.name(), inferenceMs, metrics.latencyMs(), value.length, lag, choice);
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

    private void forward(Record<String, byte[]> record, byte[] value) {
        context.forward(record.withValue(value), UpscaleTopology.UPSCALED_SINK);
    }

    private void deadLetter(Record<String, byte[]> record, String reason, StreamMeters.DeadLetterCause cause) {
        meters.deadLetter(record.key(), cause);
        LOG.warn("stream '{}': record to dead-letter topic: {}", record.key(), reason);
        context.forward(record.withHeaders(DeadLetter.headers(record.headers(), reason,
                source.orElse(null))), UpscaleTopology.DLQ_SINK);
    }
}
