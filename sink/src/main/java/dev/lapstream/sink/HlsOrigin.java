package dev.lapstream.sink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.lapstream.core.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The HLS directory over HTTP, for players on any origin: {@code /hls/<stream>/index.m3u8} and its segments, and
 * {@code /hls/} listing the streams as JSON. Only a stream's playlist and MPEG-TS segments are served (never the
 * {@code .tmp} files the publisher renames into place), and nothing outside the directory: a name with {@code ..},
 * a slash of its own or any character {@link SafeNames} does not write is refused with 400, a symbolic link out of
 * the directory is 404. Mounted at {@link #PATH} of the sink's ops server, which lets GET and HEAD through.
 */
public final class HlsOrigin implements HttpHandler {

    public static final String PATH = "/hls/";
    public static final String PLAYLIST = "index.m3u8";
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    static final String SEGMENT_TYPE = "video/mp2t";
    /** A live playlist changes under the same name: players must ask again every time. */
    static final String PLAYLIST_CACHE = "no-cache";
    /**
     * A segment does not change while its stream runs, so caches keep it for longer than it stays in a playlist
     * (the window); not for good, since a stream that starts over under the same id writes seg-000000.ts again.
     */
    static final String SEGMENT_CACHE = "public, max-age=60";
    /** What {@link SafeNames} writes: no separators, never {@code .} or {@code ..}. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private final Path root;

    /** @param root the sink's {@code --hls-dir}, which must exist */
    public HlsOrigin(Path root) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("HLS directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** The streams with a playlist, by directory name, and whether each has ended ({@code #EXT-X-ENDLIST}). */
    public record Listing(List<Stream> streams) {
        /** @param playlist relative to {@link #PATH} */
        public record Stream(String name, String playlist, boolean ended) {
        }
    }

    /** What a served file is, and how long caches may keep it. */
    private record Kind(String type, String cache) {
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        // the decoded path: %2e%2e and %2f arrive as the dots and slashes they stand for
        String rest = exchange.getRequestURI().getPath().substring(PATH.length() - 1);
        if (rest.equals("/")) {
            send(exchange, 200, "application/json", PLAYLIST_CACHE, Json.MAPPER.writeValueAsBytes(listing()));
            return;
        }
        String[] parts = rest.substring(1).split("/", -1);
        for (String part : parts) {
            if (!NAME.matcher(part).matches()) {
                send(exchange, 400, "text/plain", null, "bad path\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        String file = parts[parts.length - 1];
        Kind kind = file.equals(PLAYLIST) ? new Kind(PLAYLIST_TYPE, PLAYLIST_CACHE)
                : file.endsWith(".ts") ? new Kind(SEGMENT_TYPE, SEGMENT_CACHE) : null;
        byte[] body = parts.length == 2 && kind != null ? read(root.resolve(parts[0]).resolve(file)) : null;
        if (body == null) {
            send(exchange, 404, "text/plain", null, "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(exchange, 200, kind.type(), kind.cache(), body);
    }

    /** The file's bytes, or null when it is not a file inside the directory (a symbolic link may point out). */
    private byte[] read(Path file) throws IOException {
        try {
            Path real = file.toRealPath();
            // read whole: the publisher renames a new playlist over the old one at any time
            return real.startsWith(root) && Files.isRegularFile(real) ? Files.readAllBytes(real) : null;
        } catch (FileSystemException e) { // gone, or a path through something that is not a directory
            return null;
        }
    }

    private Listing listing() throws IOException {
        List<Listing.Stream> streams = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                byte[] playlist = NAME.matcher(name).matches() ? read(dir.resolve(PLAYLIST)) : null;
                if (playlist != null) {
                    boolean ended = HlsPlaylist.parse(new String(playlist, StandardCharsets.UTF_8)).ended();
                    streams.add(new Listing.Stream(name, name + "/" + PLAYLIST, ended));
                }
            }
        }
        streams.sort(Comparator.comparing(Listing.Stream::name));
        return new Listing(streams);
    }

    /** Headers for every response: any page may load the streams (hls.js fetches them from the dashboard's origin). */
    private static void send(HttpExchange exchange, int status, String type, String cache, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        exchange.getResponseHeaders().set("Cache-Control", cache != null ? cache : "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
