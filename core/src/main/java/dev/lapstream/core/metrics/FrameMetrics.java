package dev.lapstream.core.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lapstream.core.json.Json;

/**
 * What happened to one frame in a worker, published as JSON on the metrics topic.
 *
 * @param stream        stream id
 * @param frame         frame index
 * @param ptsMicros     presentation time
 * @param inWidth       input width
 * @param inHeight      input height
 * @param outWidth      output width
 * @param outHeight     output height
 * @param scaleX        horizontal factor applied
 * @param scaleY        vertical factor applied
 * @param upscaler      upscaler name (bicubic, asdn)
 * @param width         AnySR subnet width used, or null for an upscaler without subnets
 * @param widthReason   why the controller chose that width
 * @param partitionLag  records waiting on this frame's input partition when it was processed
 * @param inferenceMs   time spent upscaling this frame
 * @param queueWaitMs   time between the record's append to the frames topic and the start of processing
 * @param latencyMs     capture (decode) to upscaled, end to end so far
 * @param outputBytes   size of the upscaled record
 * @param worker        the worker (pid@host) that did it
 * @param doneMillis    wall-clock time (epoch ms) the upscaled frame was handed to Kafka
 */
public record FrameMetrics(String stream, long frame, long ptsMicros, int inWidth, int inHeight, int outWidth,
                           int outHeight, double scaleX, double scaleY, String upscaler, Integer width,
                           String widthReason, long partitionLag, double inferenceMs,
                           long queueWaitMs, long latencyMs, long outputBytes, String worker, long doneMillis) {

    public byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static FrameMetrics fromJson(byte[] json) throws java.io.IOException {
        return Json.MAPPER.readValue(json, FrameMetrics.class);
    }
}
