package dev.lapstream.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.lapstream.core.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP face of a long-running process (JDK {@link HttpServer}): {@code /metrics} in the Prometheus text
 * format, {@code /health/live} and {@code /health/ready} as JSON with 200 when up and 503 when not. Other
 * components (the dashboard) add their own paths with {@link #handle}.
 */
public final class OpsServer implements AutoCloseable {

    public static final String METRICS = "/metrics";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    private static final Logger LOG = LoggerFactory.getLogger(OpsServer.class);
    /** What Prometheus asks for and the registry writes. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * Binds and starts serving.
     *
     * @param bind address to listen on (127.0.0.1 unless the metrics must be reachable from other hosts)
     * @param port 0 for a free port, see {@link #uri()}
     * @throws IllegalArgumentException when the port is out of range or the address cannot be bound (a port in
     *                                  use), in one line
     */
    public OpsServer(String bind, int port, ProcessMetrics metrics, Health health) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        } catch (BindException e) {
            throw new IllegalArgumentException("cannot listen on " + bind + ":" + port + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bind + ":" + port, e);
        }
        AtomicInteger threads = new AtomicInteger();
        // a thread per connection: the dashboard's event streams stay open for as long as a page is
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "lapstream-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        handle(METRICS, exchange -> send(exchange, 200, PROMETHEUS_TEXT,
                metrics.scrape().getBytes(StandardCharsets.UTF_8)));
        handle(LIVE, exchange -> sendHealth(exchange, health.liveness()));
        handle(READY, exchange -> sendHealth(exchange, health.readiness()));
        server.start();
        LOG.info("serving metrics and health on {}", uri());
    }

    /** Serves {@code path} (and everything below it) with {@code handler}; GET and HEAD only. */
    public void handle(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            try (exchange) {
                String method = exchange.getRequestMethod();
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    send(exchange, 405, "text/plain", "method not allowed\n".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                handler.handle(exchange);
            } catch (IOException e) { // the client went away
                LOG.debug("{} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
            } catch (RuntimeException e) {
                LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.toString());
                throw e;
            }
        });
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:9400/}. */
    public URI uri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Writes a whole response. */
    public static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sendHealth(HttpExchange exchange, Health.Report report) throws IOException {
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        send(exchange, report.up() ? 200 : 503, "application/json", json);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
