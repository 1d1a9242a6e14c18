package dev.lapstream.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The test's player page as {@code /} and hls.js (from its WebJar) as {@code /hls.js}, on the loopback interface:
 * an origin of its own, so the page loads the sink's HLS across origins as the dashboard's would.
 */
final class PlayerPage implements AutoCloseable {

    private static final String WEBJAR = "META-INF/resources/webjars/hls.js/";

    private final HttpServer server;

    PlayerPage() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] page = resource("hls-player.html");
        byte[] hlsJs = resource(WEBJAR + webjarVersion() + "/dist/hls.min.js");
        server.createContext("/", exchange -> send(exchange, "text/html; charset=utf-8", page));
        server.createContext("/hls.js", exchange -> send(exchange, "text/javascript", hlsJs));
        server.start();
    }

    /** The page playing {@code playlist}. */
    URI playing(URI playlist) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/?src="
                + URLEncoder.encode(playlist.toString(), StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(200, body.length);
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
        InputStream in = PlayerPage.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException("not on the test class path: " + name);
        }
        return in;
    }
}
