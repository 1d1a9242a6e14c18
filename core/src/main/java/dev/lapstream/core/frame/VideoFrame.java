package dev.lapstream.core.frame;

import dev.lapstream.core.image.RgbImage;

/**
 * One decoded picture of a stream.
 *
 * @param index        0-based position in decode order; the sink uses it to detect gaps and duplicates
 * @param ptsMicros    presentation time in microseconds from the start of the stream (carried end to end,
 *                     so variable-frame-rate input keeps its timing)
 * @param captureMillis wall-clock time (epoch ms) the frame was decoded; end-to-end latency is measured from it
 * @param image        the pixels
 */
public record VideoFrame(long index, long ptsMicros, long captureMillis, RgbImage image) {
}
