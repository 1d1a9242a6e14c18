package dev.lapstream.cli;

import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.frame.PixelCodec;
import dev.lapstream.core.image.Upscaler;
import dev.lapstream.processor.Models;
import dev.lapstream.ops.Health;
import dev.lapstream.ops.OpsServer;
import dev.lapstream.ops.ProcessMetrics;
import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.processor.Worker;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lapstream worker}: one upscaling worker of a cluster; runs until stopped (SIGTERM, Ctrl-C). */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run an upscaling worker: reads the frames topic, writes upscaled frames and metrics."
                + " Workers with the same --application-id share the partitions.")
final class WorkerCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--application-id", defaultValue = "lapstream-worker",
            description = "Kafka Streams application id (consumer group) (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Mixin
    ModelOptions model;

    @Option(names = "--max-models", defaultValue = "" + Models.DEFAULT_MAX, converter = Counts.Positive.class,
            description = "Most models stream specs may name that this worker loads besides its own; a spec naming"
                    + " one more has its frames dead-lettered with the reason (default: ${DEFAULT-VALUE}).")
    int maxModels;

    @Option(names = "--partitions", defaultValue = "4", converter = Counts.Positive.class,
            description = "Partitions of the frame topics when this worker creates them (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--transaction-timeout", defaultValue = "60", converter = Counts.Positive.class,
            description = "Seconds before a dead worker's open transaction is aborted (default: ${DEFAULT-VALUE}).")
    int transactionTimeout;

    @Option(names = "--session-timeout", defaultValue = "15", converter = Counts.Positive.class,
            description = "Seconds before a dead worker's partitions move to the others (default: ${DEFAULT-VALUE}).")
    int sessionTimeout;

    @Option(names = "--commit-interval", defaultValue = "500", converter = Counts.Positive.class,
            description = "Milliseconds between transaction commits: shorter means lower output latency, longer"
                    + " less time spent committing (default: ${DEFAULT-VALUE}).")
    int commitIntervalMs;

    @Mixin
    OpsOptions ops;
    @Option(names = "--upscaled-codec", paramLabel = "CODEC", defaultValue = PixelCodec.UPSCALED_DEFAULT,
            description = "How upscaled frames travel on the upscaled topic: raw, lossless, png, jpeg or jpeg:Q"
                    + " (default: ${DEFAULT-VALUE}).")
    String upscaledCodec;

    @Override
    public Integer call() throws InterruptedException {
        ClientConfig client = kafka.client();
        PixelCodec codec = PixelCodec.parse(upscaledCodec);
        KafkaReach.check(client);
        try (Admin admin = Admin.create(client.admin())) {
            TopicSetup.ensure(admin, kafka.topics(), partitions, kafka.maxMessageBytes);
        }
        Worker.Settings settings = Worker.Settings.defaults(client, kafka.topics(), kafka.maxMessageBytes)
                .withApplicationId(applicationId)
                .withTimeouts(Duration.ofSeconds(transactionTimeout), Duration.ofSeconds(sessionTimeout))
                .withCommitInterval(Duration.ofMillis(commitIntervalMs))
                .withUpscaledCodec(codec)
                .withController(model.tuning())
                .withBatching(model.batching());
        Health health = new Health();
        WorkerHealth probes = new WorkerHealth(health);
        try (ProcessMetrics metrics = new ProcessMetrics(); OpsServer server = ops.serve(metrics, health);
             Upscaler up = model.create(); Models models = model.models(up, maxModels);
             Worker worker = new Worker(settings, models, metrics.registry())) {
            probes.modelLoaded(up.name());
            probes.started(worker);
            Thread shutdown = new Thread(worker::close, "lapstream-worker-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdown);
            worker.start(Duration.ofSeconds(120));
            System.err.println("lapstream worker running (" + up.name() + device() + ", group " + applicationId
                    + ", " + client.bootstrap() + "); Ctrl-C to stop");
            worker.awaitTermination();
            if (worker.failure() != null) {
                throw new IllegalStateException("worker stopped: " + ErrorHandler.oneLine(worker.failure()),
                        worker.failure());
            }
        }
        return 0;
    }

    /** " on GPU:0 (devices CPU:0, GPU:0)" for a TensorFlow upscaler; bicubic runs on the CPU in Java. */
    private String device() {
        if (model.upscaler != UpscalerChoice.asdn) {
            return "";
        }
        List<String> devices = TensorflowDevices.list();
        return " on " + TensorflowDevices.graphDevice(devices) + " (TensorFlow devices " + String.join(", ", devices)
                + ")";
    }
}
