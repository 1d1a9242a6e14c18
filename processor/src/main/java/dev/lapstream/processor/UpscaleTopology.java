package dev.lapstream.processor;

import dev.lapstream.core.Topics;
import dev.lapstream.core.image.Upscaler;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The worker's topology, kept apart from process wiring so tests can build it alone:
 * <pre>
 *   streams topic --> [global spec store]
 *                              |  (lookup)
 *   frames topic --> upscale --+--> upscaled topic       [contract-streams store]
 *                              +--> metrics topic --> [10 s windows per stream] --> stats topic
 *                              +--> dead-letter topic
 *                              [spec-wait store: records of streams whose spec is still on its way]
 *                              [frame-batch store: frames held for the next batch, and what follows them]
 * </pre>
 */
public final class UpscaleTopology {

    static final String SPEC_STORE = "stream-specs";
    /** Streams fed by the image contract: what each has seen so far (changelogged, so failover keeps it). */
    static final String CONTRACT_STORE = "contract-streams";
    /** Records waiting for their stream's spec ({@link RecordQueue}). */
    static final String SPEC_WAIT_STORE = "spec-wait";
    /** Records held for the next batch of frames ({@link RecordQueue}, {@link Batching}). */
    static final String BATCH_STORE = "frame-batch";
    static final String UPSCALED_SINK = "upscaled";
    static final String METRICS_SINK = "metrics";
    static final String DLQ_SINK = "dead-letters";
    /** Width of the per-stream aggregate windows on the stats topic. */
    public static final java.time.Duration STATS_WINDOW = java.time.Duration.ofSeconds(10);

    private UpscaleTopology() {
    }

    /**
     * @param upscaler shared by every task of this worker; it is called from the stream threads
     * @param output   codec and record limit of the upscaled frames
     * @param metrics  the client's metrics (for partition lag); may return null before the client exists
     * @param registry where the per-stream meters go
     * @param tuning   the width controller's settings (unused when the upscaler has no subnets)
     * @param batching how many frames of a task run as one upscaler call, and how long a partial batch waits
     */
    public static Topology build(Topics topics, Upscaler upscaler, UpscaledOutput output, String workerId,
                                 Supplier<Map<MetricName, ? extends Metric>> metrics, MeterRegistry registry,
                                 WidthController.Tuning tuning, Batching batching) {
        return build(topics, Models.only(upscaler), output, workerId, metrics, registry, tuning, batching);
    }

    /**
     * {@link #build(Topics, Upscaler, UpscaledOutput, String, Supplier, MeterRegistry, WidthController.Tuning,
     * Batching)} with the models stream specs may name. The width controller follows the worker's own model's
     * subnets; a named model gets the chosen width clamped to its own.
     */
    public static Topology build(Topics topics, Models models, UpscaledOutput output, String workerId,
                                 Supplier<Map<MetricName, ? extends Metric>> metrics, MeterRegistry registry,
                                 WidthController.Tuning tuning, Batching batching) {
        Upscaler upscaler = models.own();
        WidthController controller = upscaler.widths().isEmpty() ? null
                : new WidthController(upscaler.widths(), tuning);
        LagProbe lagProbe = new LagProbe(metrics);
        StreamMeters meters = new StreamMeters(registry);
        StreamsBuilder builder = new StreamsBuilder();
        StatsTopology.addTo(builder, topics, STATS_WINDOW);
        Topology topology = builder.build();
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SPEC_STORE), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                "spec-source", new StringDeserializer(), new ByteArrayDeserializer(), topics.streams(),
                "spec-updater", SpecUpdater::new);
        topology.addSource("frames", new StringDeserializer(), new ByteArrayDeserializer(), topics.frames());
        topology.addProcessor("upscale", () -> new UpscaleProcessor(models, output, controller, lagProbe, workerId,
                meters,
                batching), "frames");
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CONTRACT_STORE),
                Serdes.String(), Serdes.ByteArray()), "upscale");
        for (String held : new String[] {SPEC_WAIT_STORE, BATCH_STORE}) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(held), Serdes.String(),
                    Serdes.ByteArray()).withLoggingEnabled(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    String.valueOf(output.maxRecordBytes()))), "upscale");
        }
        StringSerializer keys = new StringSerializer();
        ByteArraySerializer values = new ByteArraySerializer();
        topology.addSink(UPSCALED_SINK, topics.upscaled(), keys, values, "upscale");
        topology.addSink(METRICS_SINK, topics.metrics(), keys, values, "upscale");
        topology.addSink(DLQ_SINK, topics.dlq(), keys, values, "upscale");
        return topology;
    }
}
