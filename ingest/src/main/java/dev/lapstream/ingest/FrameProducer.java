package dev.lapstream.ingest;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.FrameCodec;
import dev.lapstream.core.frame.FrameRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.core.kafka.RecordLimit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Publishes a {@link VideoSource} to the frames topic, keyed by stream id so a stream stays on one
 * partition and in order: a start record, frames and audio as decoded, an end record. The producer is
 * idempotent (no duplicates on retry) and its record timestamps are the capture times, so the worker can
 * measure queue wait.
 */
public final class FrameProducer implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final PixelCodec codec;
    private final int maxRecordBytes;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private volatile boolean stopRequested;

    /** @param codec how the frames' pixels travel */
    public FrameProducer(ClientConfig client, Topics topics, int maxMessageBytes, PixelCodec codec) {
        this.topic = topics.frames();
        this.codec = codec;
        Map<String, Object> config = client.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxMessageBytes,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * maxMessageBytes,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, codec.producerCompression(),
                ProducerConfig.CLIENT_ID_CONFIG, "lapstream-ingest"));
        this.maxRecordBytes = RecordLimit.of(config);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Binds this producer's metrics ({@code kafka_producer_...}) to {@code registry}; close it before the producer. */
    public KafkaClientMetrics bindMetrics(MeterRegistry registry) {
        KafkaClientMetrics metrics = new KafkaClientMetrics(producer);
        metrics.bindTo(registry);
        return metrics;
    }

    /** What one ingest sent. */
    public record Result(long frames, long audioChunks, boolean truncated, String warning) {
    }

    /**
     * Sends the whole source and waits until the broker has it all.
     *
     * @param onFrame called with the number of frames sent so far, for progress
     */
    public Result publish(String streamId, VideoSource source, LongConsumer onFrame) {
        return publish(streamId, source, onFrame, Published.NOTHING);
    }

    /**
     * Sends what {@code done} (an earlier, interrupted ingest of the same source) did not: the source is decoded
     * from its beginning, and the start, the frames and the audio already published are skipped.
     */
    public Result publish(String streamId, VideoSource source, LongConsumer onFrame, Published done) {
        if (done.ended()) {
            return new Result(done.lastFrame() + 1, 0, source.truncated(), source.warning());
        }
        if (!done.started()) {
            send(streamId, new FrameRecord.Start(source.info()), System.currentTimeMillis());
        }
        long frames = 0;
        long audio = 0;
        long lastPts = 0;
        for (MediaItem item = source.next(); item != null && !stopRequested; item = source.next()) {
            if (item instanceof MediaItem.Video v) {
                if (v.frame().index() > done.lastFrame()) {
                    send(streamId, new FrameRecord.Video(v.frame()), v.frame().captureMillis());
                }
                lastPts = v.frame().ptsMicros();
                onFrame.accept(++frames);
            } else if (item instanceof MediaItem.Audio a && a.chunk().ptsMicros() > done.lastAudioPts()) {
                send(streamId, new FrameRecord.Audio(a.chunk()), System.currentTimeMillis());
                audio++;
            }
        }
        if (stopRequested) {
            producer.flush();
            return new Result(frames, audio, false, "stopped");
        }
        long frameMicros = Math.round(1e6 / source.info().frameRate());
        send(streamId, new FrameRecord.End(frames, frames == 0 ? 0 : lastPts + frameMicros, source.truncated()),
                System.currentTimeMillis());
        producer.flush();
        if (sendFailure.get() != null) {
            throw new IllegalStateException("could not publish stream '" + streamId + "' to " + topic + ": "
                    + sendFailure.get().getMessage(), sendFailure.get());
        }
        return new Result(frames, audio, source.truncated(), source.warning());
    }

    /** Makes {@link #publish} (on another thread) return after the item it is sending, without an end record. */
    public void stop() {
        stopRequested = true;
    }

    private void send(String streamId, FrameRecord record, long timestamp) {
        Exception failed = sendFailure.get();
        if (failed != null) {
            throw new IllegalStateException("could not publish to " + topic + ": " + failed.getMessage(), failed);
        }
        byte[] value = FrameCodec.encode(record, codec);
        if (value.length > maxRecordBytes && record instanceof FrameRecord.Video v) {
            throw new IllegalStateException(RecordLimit.tooLarge("frame " + v.frame().index() + " of stream '"
                    + streamId + "' (" + v.frame().image().width() + "x" + v.frame().image().height() + ", "
                    + codec.describe() + ")", value.length, maxRecordBytes, topic));
        }
        producer.send(new ProducerRecord<>(topic, null, timestamp, streamId, value), (meta, e) -> {
            if (e instanceof RecordTooLargeException) {
                e = new IllegalStateException(RecordLimit.refusedByBroker(topic, e.getMessage()), e);
            }
            if (e != null) {
                sendFailure.compareAndSet(null, e);
            }
        });
    }

    @Override
    public void close() {
        producer.close();
    }
}
