package dev.lapstream.processor;

import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.kafka.RecordLimit;

/**
 * How the worker writes upscaled frames: their pixel codec, and the record limit they must fit (a frame over it
 * goes to the dead-letter topic with the setting to raise, instead of failing the worker).
 *
 * @param maxRecordBytes the lower of the producer's {@code max.request.size} and what the upscaled topic accepts
 * @param limitSetting   the setting {@code maxRecordBytes} comes from, for messages
 */
public record UpscaledOutput(PixelCodec codec, int maxRecordBytes, String topic, String limitSetting) {

    /** A limit from the producer's {@code max.request.size}. */
    public UpscaledOutput(PixelCodec codec, int maxRecordBytes, String topic) {
        this(codec, maxRecordBytes, topic, RecordLimit.MAX_REQUEST_SIZE);
    }
}
