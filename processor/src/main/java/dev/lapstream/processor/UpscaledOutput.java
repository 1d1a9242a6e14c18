package dev.lapstream.processor;

import dev.lapstream.core.frame.PixelCodec;

/**
 * How the worker writes upscaled frames: their pixel codec, and the producer's record limit they must fit
 * (a frame over it goes to the dead-letter topic with the setting to raise, instead of failing the worker).
 */
public record UpscaledOutput(PixelCodec codec, int maxRecordBytes, String topic) {
}
