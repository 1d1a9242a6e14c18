package dev.lapstream.cli.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The Prometheus page of a running {@code lapstream} process, found at the address it prints at start. */
public final class MetricsEndpoint {

    /** The line a long-running command prints first: {@code metrics: http://127.0.0.1:PORT/metrics, health: ...}. */
    public static final String MARKER = "metrics: http";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MetricsEndpoint() {
    }

    /** The page; empty while the process has not said where it is or does not answer. */
    public static Optional<String> scrape(ChildJvm process) {
        String line = process.line(MARKER).orElse(null);
        if (line == null) {
            return Optional.empty();
        }
        int from = line.indexOf("http");
        int to = line.indexOf(',', from);
        URI uri = URI.create(line.substring(from, to < 0 ? line.length() : to).trim());
        try {
            return Optional.of(HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The sum of the samples of {@code metric} whose labels contain {@code labels} (say {@code area="heap"}). */
    public static double sum(String page, String metric, String labels) {
        return page.lines().filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .filter(l -> l.contains(labels))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
