package dev.lapstream.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lapstream.core.json.Json;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesPrometheusTextAndHealthThatFollowsItsProbes() throws Exception {
        AtomicBoolean running = new AtomicBoolean(false);
        Health health = new Health()
                .live("process", () -> Health.Status.up("alive"))
                .ready("kafka-streams", () -> running.get() ? Health.Status.up("RUNNING")
                        : Health.Status.down("REBALANCING"));
        try (ProcessMetrics metrics = new ProcessMetrics();
             OpsServer server = new OpsServer("127.0.0.1", 0, metrics, health)) {
            assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
            HttpResponse<String> scrape = get(server.uri().resolve("metrics"));
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(scrape.body()).contains("# TYPE jvm_memory_used_bytes gauge", "process_cpu_usage",
                    "jvm_threads_live_threads", "process_uptime_seconds");

            assertThat(get(server.uri().resolve("health/live")).statusCode()).isEqualTo(200);
            HttpResponse<String> notReady = get(server.uri().resolve("health/ready"));
            assertThat(notReady.statusCode()).isEqualTo(503);
            JsonNode body = Json.MAPPER.readTree(notReady.body());
            assertThat(body.get("up").asBoolean()).isFalse();
            assertThat(body.at("/checks/kafka-streams/detail").asText()).isEqualTo("REBALANCING");

            running.set(true);
            assertThat(get(server.uri().resolve("health/ready")).statusCode()).isEqualTo(200);

            health.live("worker", () -> Health.Status.down("stopped: boom"));
            assertThat(get(server.uri().resolve("health/live")).statusCode()).isEqualTo(503);
            assertThat(get(server.uri().resolve("health/ready")).statusCode())
                    .as("a process that is not live is not ready").isEqualTo(503);
            assertThat(http.send(HttpRequest.newBuilder(server.uri().resolve("metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aPortInUseOrOutOfRangeIsOneLineError() {
        try (ProcessMetrics metrics = new ProcessMetrics();
             OpsServer first = new OpsServer("127.0.0.1", 0, metrics, new Health())) {
            assertThatThrownBy(() -> new OpsServer("127.0.0.1", first.port(), metrics, new Health()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + first.port() + ": ")
                    .hasMessageNotContaining("\n");
        }
        assertThatThrownBy(() -> new OpsServer("127.0.0.1", 70000, null, null))
                .hasMessage("port must be 0..65535, got 70000");
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
