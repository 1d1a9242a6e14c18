package dev.lapstream.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import dev.lapstream.core.Topics;
import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.core.json.Json;
import dev.lapstream.ops.Health;
import dev.lapstream.ops.OpsServer;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The live page of every stream, served beside {@code /metrics} on a process's {@link OpsServer}: {@code /} the
 * page, {@code /events} a server-sent event with every stream's row each second, {@code /thumb} the latest
 * input or output frame of a stream as JPEG, {@code /webjars/} the charting library (uPlot).
 */
public final class Dashboard implements AutoCloseable {

    private static final long PUSH_EVERY_MS = 1000;
    private static final String WEBJARS = "META-INF/resources/webjars/";

    private final StreamBoard board = new StreamBoard();
    private final TopicReader reader;
    private volatile boolean open = true;

    /**
     * Starts reading the topics and serving the page.
     *
     * @param lookback how far back the metrics, stats and dead-letter topics are read at start
     */
    public Dashboard(ClientConfig client, Topics topics, int maxMessageBytes, Duration lookback, OpsServer server,
                     Health health, MeterRegistry registry) {
        reader = new TopicReader(client, topics, maxMessageBytes, lookback, board, registry);
        health.live("dashboard-reader", () -> reader.alive() ? Health.Status.up("reading")
                : Health.Status.down("stopped reading the topics"));
        server.handle("/", this::page);
        server.handle("/app.js", exchange -> resource(exchange, "dev/lapstream/dashboard/app.js",
                "text/javascript"));
        server.handle("/webjars/", this::webjar);
        server.handle("/events", this::events);
        server.handle("/thumb", this::thumbnail);
    }

    private void page(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!path.equals("/") && !path.equals("/index.html")) {
            notFound(exchange);
            return;
        }
        resource(exchange, "dev/lapstream/dashboard/index.html", "text/html; charset=utf-8");
    }

    private void webjar(HttpExchange exchange) throws IOException {
        String rest = exchange.getRequestURI().getPath().substring("/webjars/".length());
        if (rest.contains("..")) {
            notFound(exchange);
            return;
        }
        String type = rest.endsWith(".css") ? "text/css" : rest.endsWith(".js") ? "text/javascript"
                : "application/octet-stream";
        resource(exchange, WEBJARS + rest, type);
    }

    /** One event a second until the page goes away (the write fails) or the dashboard closes. */
    private void events(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            while (open) {
                out.write(("data: " + json(board.snapshot()) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(PUSH_EVERY_MS); // the push cadence of the page, not a wait for a condition
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void thumbnail(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String stream = query.get("stream");
        byte[] jpeg = stream == null ? null : board.thumbnail(stream, "out".equals(query.get("side")));
        if (jpeg == null) {
            notFound(exchange);
            return;
        }
        OpsServer.send(exchange, 200, "image/jpeg", jpeg);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void resource(HttpExchange exchange, String name, String type) throws IOException {
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                notFound(exchange);
                return;
            }
            OpsServer.send(exchange, 200, type, in.readAllBytes());
        }
    }

    private static void notFound(HttpExchange exchange) throws IOException {
        OpsServer.send(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
    }

    private static String json(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        open = false;
        reader.close();
    }
}
