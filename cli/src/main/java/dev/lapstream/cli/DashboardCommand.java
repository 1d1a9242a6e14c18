package dev.lapstream.cli;

import dev.lapstream.dashboard.Dashboard;
import dev.lapstream.ops.Health;
import dev.lapstream.ops.OpsServer;
import dev.lapstream.ops.ProcessMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code lapstream dashboard}: the live page of every stream of a cluster; runs until stopped. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = {"Serve a live web page of every stream: fps, latency, lag, subnet width, dead letters and"
                + " the latest input and upscaled frame, read from the metrics, stats, dead-letter and frame topics.",
                "The same port serves /metrics and /health/live, /health/ready."})
final class DashboardCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--port", defaultValue = "8090", paramLabel = "PORT",
            description = "Port of the page (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to serve on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--lookback", defaultValue = "10", paramLabel = "MINUTES",
            description = "Minutes of metrics, stats and dead letters to read at start (default: ${DEFAULT-VALUE}).")
    int lookbackMinutes;

    @Override
    public Integer call() throws InterruptedException {
        Health health = new Health();
        CountDownLatch stopped = new CountDownLatch(1);
        try (ProcessMetrics metrics = new ProcessMetrics();
             OpsServer server = new OpsServer(bind, port, metrics, health);
             Dashboard dashboard = new Dashboard(kafka.client(), kafka.topics(), kafka.maxMessageBytes,
                     Duration.ofMinutes(lookbackMinutes), server, health, metrics.registry())) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "lapstream-dashboard-shutdown"));
            System.err.println("lapstream dashboard on " + server.uri() + " (" + kafka.bootstrap + "); Ctrl-C to stop");
            stopped.await();
        }
        return 0;
    }
}
