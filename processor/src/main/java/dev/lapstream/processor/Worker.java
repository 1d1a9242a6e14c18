package dev.lapstream.processor;

import dev.lapstream.core.Topics;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.image.Upscaler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.core.kafka.RecordLimit;
import dev.lapstream.core.spec.StreamSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One worker process's Kafka Streams client: exactly-once (v2) processing of the frames topic with the
 * given upscaler. Settings account for slow records: a frame may take seconds to upscale, so polls are
 * small and the transaction timeout is long.
 */
public final class Worker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final KafkaStreams streams;
    private final KafkaStreamsMetrics streamsMetrics;
    /** Kafka Streams needs a state directory even with no stores; a private one is removed on close. */
    private final Path stateDir = tempStateDir();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * How a worker connects and how quickly failures are noticed.
     *
     * @param client             the cluster and the user's client properties (they override the settings here)
     * @param applicationId      consumer group and transactional id prefix; workers sharing it share the load
     * @param maxMessageBytes    largest frame record produced or fetched
     * @param transactionTimeout how long a dead worker's open transaction blocks read_committed readers
     *                           before the broker aborts it; must exceed the time to upscale one poll's frames
     * @param sessionTimeout     how long before a dead worker's partitions move to the survivors
     * @param commitInterval     how often the worker commits its transaction: each commit stalls
     *                           processing for a broker round trip, and read_committed readers see output
     *                           only after it, so this trades throughput against output latency
     * @param upscaledCodec      how the upscaled frames' pixels travel
     * @param controller         the width controller's cool-down and default latency target
     * @param batching           how many frames of one size run as one upscaler call, and the longest wait
     */
    public record Settings(ClientConfig client, String applicationId, Topics topics, int maxMessageBytes,
                           Duration transactionTimeout, Duration sessionTimeout, Duration commitInterval,
                           PixelCodec upscaledCodec, WidthController.Tuning controller, Batching batching) {

        /** Commits every 500 ms: under 10 % of a full-width frame's time goes to commits. */
        public static Settings defaults(ClientConfig client, Topics topics, int maxMessageBytes) {
            return new Settings(client, "lapstream-worker", topics, maxMessageBytes, Duration.ofSeconds(60),
                    Duration.ofSeconds(15), Duration.ofMillis(500), PixelCodec.parse(PixelCodec.UPSCALED_DEFAULT),
                    WidthController.Tuning.DEFAULTS, Batching.NONE);
        }

        public Settings withApplicationId(String id) {
            return new Settings(client, id, topics, maxMessageBytes, transactionTimeout, sessionTimeout,
                    commitInterval, upscaledCodec, controller, batching);
        }

        public Settings withTimeouts(Duration transaction, Duration session) {
            return new Settings(client, applicationId, topics, maxMessageBytes, transaction, session,
                    commitInterval, upscaledCodec, controller, batching);
        }

        public Settings withCommitInterval(Duration interval) {
            return new Settings(client, applicationId, topics, maxMessageBytes, transactionTimeout, sessionTimeout,
                    interval, upscaledCodec, controller, batching);
        }

        public Settings withUpscaledCodec(PixelCodec codec) {
            return new Settings(client, applicationId, topics, maxMessageBytes, transactionTimeout, sessionTimeout,
                    commitInterval, codec, controller, batching);
        }

        public Settings withController(WidthController.Tuning tuning) {
            return new Settings(client, applicationId, topics, maxMessageBytes, transactionTimeout, sessionTimeout,
                    commitInterval, upscaledCodec, tuning, batching);
        }

        public Settings withBatching(Batching batch) {
            return new Settings(client, applicationId, topics, maxMessageBytes, transactionTimeout, sessionTimeout,
                    commitInterval, upscaledCodec, controller, batch);
        }
    }

    /** A worker whose meters go nowhere (benchmarks, tests that do not look at them). */
    public Worker(Settings settings, Upscaler upscaler) {
        this(settings, upscaler, new CompositeMeterRegistry());
    }

    /**
     * @param registry receives the Kafka Streams client's metrics ({@code kafka_stream_...}) and the per-stream
     *                 meters of {@link StreamMeters}
     */
    public Worker(Settings settings, Upscaler upscaler, MeterRegistry registry) {
        this(settings, Models.only(upscaler), registry);
    }

    /**
     * A worker that also serves the models stream specs name ({@link Models}; closed by the caller, as its own
     * upscaler is).
     */
    public Worker(Settings settings, Models models, MeterRegistry registry) {
        String applicationId = settings.applicationId();
        Topics topics = settings.topics();
        int maxMessageBytes = settings.maxMessageBytes();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
        props.put("processing.exception.handler.global.enabled", true);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
        props.put(DeadLetterProductionHandler.DLQ_TOPIC_CONFIG, topics.dlq());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 4);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), 600_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), maxMessageBytes);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), maxMessageBytes);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), maxMessageBytes);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.BUFFER_MEMORY_CONFIG), 2L * maxMessageBytes);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG),
                settings.upscaledCodec().producerCompression());
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) settings.transactionTimeout().toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
                (int) settings.sessionTimeout().toMillis());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
                (int) Math.max(500, settings.sessionTimeout().toMillis() / 5));
        AtomicReference<KafkaStreams> self = new AtomicReference<>();
        int producerLimit = RecordLimit.of(settings.client().producer(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                maxMessageBytes)));
        UpscaledTopicLimit.Limit limit = UpscaledTopicLimit.of(settings.client(), topics, producerLimit);
        streams = new KafkaStreams(UpscaleTopology.build(topics, models,
                new UpscaledOutput(settings.upscaledCodec(), limit.bytes(), topics.upscaled(), limit.setting()),
                workerId(), () -> self.get() == null ? null : self.get().metrics(), registry, settings.controller(),
                settings.batching()),
                settings.client().streams(props));
        self.set(streams);
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("worker failed: {}", e.toString(), e);
            failure.compareAndSet(null, e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse
                    .SHUTDOWN_CLIENT;
        });
    }

    /** Starts processing and returns once the client is running (specs loaded, partitions assigned). */
    public void start(Duration timeout) {
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING || now == KafkaStreams.State.ERROR
                    || now == KafkaStreams.State.PENDING_ERROR) {
                running.countDown();
            }
        });
        streams.start();
        try {
            if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("worker did not start within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the worker", e);
        }
        if (streams.state() != KafkaStreams.State.RUNNING && streams.state() != KafkaStreams.State.REBALANCING) {
            throw new IllegalStateException("worker failed to start: " + streams.state(), failure.get());
        }
    }

    /** This process's name in metrics: host and pid, so two workers of one group can be told apart. */
    static String workerId() {
        return ProcessHandle.current().pid() + "@" + hostName();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    /** Blocks until the worker stops (closed, or failed). */
    public void awaitTermination() throws InterruptedException {
        while (streams.state().isRunningOrRebalancing() || streams.state() == KafkaStreams.State.CREATED) {
            Thread.sleep(500);
        }
    }

    /** The Kafka Streams client's state: RUNNING when it has its partitions and processes them. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The spec this worker applies to the stream's next frame: its copy of the streams topic, if it has one. */
    public Optional<StreamSpec> spec(String stream) {
        byte[] json = streams.store(StoreQueryParameters.fromNameAndType(UpscaleTopology.SPEC_STORE,
                QueryableStoreTypes.<String, byte[]>keyValueStore())).get(stream);
        return Optional.ofNullable(json).map(StreamSpec::fromJson);
    }

    /** The error that stopped the worker, or null while it is healthy. */
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        streamsMetrics.close(); // stops its refresh of the client's metric list
        try { // the whole private directory, so no separate streams.cleanUp()
            Utils.delete(stateDir.toFile());
        } catch (IOException e) {
            LOG.warn("could not remove the worker's state directory {}: {}", stateDir, e.toString());
        }
    }

    Path stateDir() {
        return stateDir;
    }

    private static Path tempStateDir() {
        try {
            return Files.createTempDirectory("lapstream-worker-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the worker's state directory", e);
        }
    }
}
