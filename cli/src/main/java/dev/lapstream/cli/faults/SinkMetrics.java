package dev.lapstream.cli.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * How far a running {@code lapstream sink} process got, read from its Prometheus endpoint (the address it prints
 * at start): the frames it has encoded so far.
 */
final class SinkMetrics {

    /** The line a long-running command prints first: {@code metrics: http://127.0.0.1:PORT/metrics, health: ...}. */
    static final String MARKER = "metrics: http";
    private static final String COUNTER = "lapstream_sink_frames_total";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SinkMetrics() {
    }

    /** Frames written so far; -1 while the process has not said where its metrics are or does not answer. */
    static long framesWritten(ChildJvm sink) {
        String line = sink.line(MARKER).orElse(null);
        if (line == null) {
            return -1;
        }
        int from = line.indexOf("http");
        int to = line.indexOf(',', from);
        URI uri = URI.create(line.substring(from, to < 0 ? line.length() : to).trim());
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return response.body().lines().filter(l -> l.startsWith(COUNTER))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .findFirst().orElse(0);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
