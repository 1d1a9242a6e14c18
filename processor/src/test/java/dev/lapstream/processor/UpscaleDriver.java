package dev.lapstream.processor;

import dev.lapstream.core.Topics;
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.core.frame.PixelCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.util.Properties;

/** The worker's upscale topology on a {@link TopologyTestDriver} (raw frames out), with its input and output topics. */
record UpscaleDriver(TopologyTestDriver driver, TestInputTopic<String, byte[]> frames,
                     TestInputTopic<String, byte[]> specs, TestOutputTopic<String, byte[]> upscaled,
                     TestOutputTopic<String, byte[]> metrics, TestOutputTopic<String, byte[]> dlq)
        implements AutoCloseable {

    static UpscaleDriver start(Topics topics, Upscaler upscaler, int maxRecordBytes) {
        return start(topics, upscaler, maxRecordBytes, Batching.NONE);
    }

    static UpscaleDriver start(Topics topics, Upscaler upscaler, int maxRecordBytes, Batching batching) {
        return start(topics, Models.only(upscaler), maxRecordBytes, batching);
    }

    static UpscaleDriver start(Topics topics, Models models, int maxRecordBytes, Batching batching) {
        Properties props = new Properties();
        props.put("application.id", topics.frames() + "-test");
        props.put("bootstrap.servers", "unused:9092");
        TopologyTestDriver driver = new TopologyTestDriver(UpscaleTopology.build(topics, models,
                new UpscaledOutput(PixelCodec.RAW_CODEC, maxRecordBytes, topics.upscaled()), "test", () -> null,
                new SimpleMeterRegistry(), WidthController.Tuning.DEFAULTS, batching), props);
        StringSerializer keys = new StringSerializer();
        ByteArraySerializer values = new ByteArraySerializer();
        StringDeserializer keysOut = new StringDeserializer();
        ByteArrayDeserializer valuesOut = new ByteArrayDeserializer();
        return new UpscaleDriver(driver, driver.createInputTopic(topics.frames(), keys, values),
                driver.createInputTopic(topics.streams(), keys, values),
                driver.createOutputTopic(topics.upscaled(), keysOut, valuesOut),
                driver.createOutputTopic(topics.metrics(), keysOut, valuesOut),
                driver.createOutputTopic(topics.dlq(), keysOut, valuesOut));
    }

    @Override
    public void close() {
        driver.close();
    }
}
