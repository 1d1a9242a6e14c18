package dev.lapstream.cli;

import dev.lapstream.ops.Health;
import dev.lapstream.ops.OpsServer;
import dev.lapstream.ops.ProcessMetrics;
import picocli.CommandLine.Option;

/** Where a long-running command serves {@code /metrics} and {@code /health/live|ready}. */
final class OpsOptions {

    @Option(names = "--metrics-port", defaultValue = "0", paramLabel = "PORT",
            description = "Port of /metrics (Prometheus) and /health/live, /health/ready; 0 takes a free port and"
                    + " prints it (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--metrics-bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to serve them on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE}).")
    String bind;

    /** Starts serving and says where on stderr (stdout is the command's result). */
    OpsServer serve(ProcessMetrics metrics, Health health) {
        OpsServer server = new OpsServer(bind, port, metrics, health);
        System.err.println("metrics: " + server.uri() + "metrics, health: " + server.uri() + "health/ready");
        return server;
    }
}
