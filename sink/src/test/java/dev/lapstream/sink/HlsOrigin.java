package dev.lapstream.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A local HTTP origin for a player: the HLS directory under {@code /hls/}, hls.js (from its WebJar) as
 * {@code /hls.js} and the test's player page as {@code /}. On the loopback interface only.
 */
final class HlsOrigin implements AutoCloseable {

    private static final String WEBJAR = "META-INF/resources/webjars/hls.js/";

    private final HttpServer server;

    HlsOrigin(Path hlsRoot) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] page = resource("hls-player.html");
        byte[] hlsJs = resource(WEBJAR + webjarVersion() + "/dist/hls.min.js");
        server.createContext("/", exchange -> send(exchange, 200, "text/html; charset=utf-8", page));
        server.createContext("/hls.js", exchange -> send(exchange, 200, "text/javascript", hlsJs));
        server.createContext("/hls/", exchange -> {
            Path file = hlsRoot.resolve(exchange.getRequestURI().getPath().substring("/hls/".length())).normalize();
            if (!file.startsWith(hlsRoot) || !Files.isRegularFile(file)) {
                send(exchange, 404, "text/plain", new byte[0]);
                return;
            }
            String name = file.getFileName().toString();
            send(exchange, 200, name.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t",
                    Files.readAllBytes(file));
        });
        server.start();
    }

    /** The player page playing {@code hlsRoot/<path>}. */
    URI player(String path) {
        return URI.create(root() + "?src=/hls/" + path);
    }

    /** The URL of {@code hlsRoot/<path>}. */
    String file(String path) {
        return root() + "hls/" + path;
    }

    private String root() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", type);
            // a live playlist changes under the same name
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** The hls.js WebJar's version, from its Maven metadata, which names the directory of its files. */
    private static String webjarVersion() {
        Properties pom = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars.npm/hls.js/pom.properties")) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static byte[] resource(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = HlsOrigin.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("not on the test class path: " + name);
        }
        return in;
    }
}
