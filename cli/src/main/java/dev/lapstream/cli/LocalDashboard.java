package dev.lapstream.cli;

import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.core.Topics;
import dev.lapstream.dashboard.Dashboard;
import dev.lapstream.ops.Health;
import dev.lapstream.ops.OpsServer;
import dev.lapstream.ops.ProcessMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;

/**
 * {@code upscale --dashboard}: the page, {@code /metrics} and the health probes of a local run, on 127.0.0.1,
 * for as long as the run lasts. The in-process worker's meters go to the same registry.
 */
final class LocalDashboard implements AutoCloseable {

    private final ProcessMetrics metrics = new ProcessMetrics();
    private final Health health = new Health();
    private final WorkerHealth workerHealth = new WorkerHealth(health);
    private final OpsServer server;
    private final Dashboard dashboard;

    LocalDashboard(int port, ClientConfig client, Topics topics, int maxMessageBytes) {
        try {
            server = new OpsServer("127.0.0.1", port, metrics, health);
            dashboard = new Dashboard(client, topics, maxMessageBytes, Duration.ofMinutes(10), server, health,
                    metrics.registry());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        System.err.println("dashboard: " + server.uri());
    }

    MeterRegistry registry() {
        return metrics.registry();
    }

    WorkerHealth workerHealth() {
        return workerHealth;
    }

    @Override
    public void close() {
        if (dashboard != null) {
            dashboard.close();
        }
        if (server != null) {
            server.close();
        }
        metrics.close();
    }
}
