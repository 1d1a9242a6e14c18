package dev.lapstream.sink;

import dev.lapstream.ops.Health;
import dev.lapstream.ops.OpsServer;
import dev.lapstream.ops.ProcessMetrics;

import java.net.URI;
import java.nio.file.Path;

/** The sink's HTTP server as {@code lapstream sink --hls-dir DIR} runs it: /metrics, /health and the HLS of DIR. */
final class SinkHttp implements AutoCloseable {

    private final ProcessMetrics metrics = new ProcessMetrics();
    private final OpsServer server = new OpsServer("127.0.0.1", 0, metrics, new Health());

    SinkHttp(Path hlsDir) {
        server.handle(HlsOrigin.PATH, new HlsOrigin(hlsDir));
    }

    /** {@code path} under /hls/, e.g. {@code cam-1/index.m3u8}. */
    URI hls(String path) {
        return server.uri().resolve(HlsOrigin.PATH.substring(1) + path);
    }

    @Override
    public void close() {
        server.close();
        metrics.close();
    }
}
