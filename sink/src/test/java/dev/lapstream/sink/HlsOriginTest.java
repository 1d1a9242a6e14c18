package dev.lapstream.sink;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lapstream.core.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link HlsOrigin} on the sink's HTTP server, through plain HTTP: types, caching, CORS, refusals, the listing. */
class HlsOriginTest {

    private static final byte[] SEGMENT = {0x47, 0x40, 0x00, 0x10};

    @TempDir
    Path tmp;

    private final HttpClient http = HttpClient.newHttpClient();
    private Path hls;

    @BeforeEach
    void streams() throws Exception {
        hls = Files.createDirectories(tmp.resolve("hls"));
        playlist("cam-7", false);
        Files.write(hls.resolve("cam-7/seg-000000.ts"), SEGMENT);
        Files.writeString(hls.resolve("cam-7/index.m3u8.tmp"), "half a playlist");
        playlist("cam-1", true);
        Files.createDirectories(hls.resolve("no-playlist-yet"));
        Files.write(Files.createDirectories(tmp.resolve("outside")).resolve("secret.ts"), SEGMENT);
    }

    @Test
    void playlistsAreNeverCachedSegmentsAreAndAnyOriginMayLoadThem() throws Exception {
        try (SinkHttp sink = new SinkHttp(hls)) {
            HttpResponse<byte[]> playlist = get(sink.hls("cam-7/index.m3u8"));
            assertThat(playlist.statusCode()).isEqualTo(200);
            assertThat(header(playlist, "Content-Type")).isEqualTo("application/vnd.apple.mpegurl");
            assertThat(header(playlist, "Cache-Control")).isEqualTo("no-cache");
            assertThat(header(playlist, "Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(playlist.body()).isEqualTo(Files.readAllBytes(hls.resolve("cam-7/index.m3u8")));

            HttpResponse<byte[]> segment = get(sink.hls("cam-7/seg-000000.ts"));
            assertThat(segment.statusCode()).isEqualTo(200);
            assertThat(header(segment, "Content-Type")).isEqualTo("video/mp2t");
            assertThat(header(segment, "Cache-Control")).isEqualTo("public, max-age=60");
            assertThat(header(segment, "Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(segment.body()).isEqualTo(SEGMENT);

            HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(sink.hls("cam-7/seg-000000.ts"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(header(head, "Content-Type")).isEqualTo("video/mp2t");
            assertThat(head.body()).isEmpty();
        }
    }

    @Test
    void unknownStreamsAndFilesAreNotFound() throws Exception {
        try (SinkHttp sink = new SinkHttp(hls)) {
            for (String path : List.of("cam-9/index.m3u8", "cam-7/seg-000001.ts", "cam-7/index.m3u8.tmp", "cam-7",
                    "cam-7/seg-000000.ts/x", "no-playlist-yet/index.m3u8")) {
                assertThat(get(sink.hls(path)).statusCode()).as(path).isEqualTo(404);
            }
        }
    }

    @Test
    void nothingOutsideTheDirectoryIsServed() throws Exception {
        Files.createSymbolicLink(hls.resolve("cam-7/seg-000099.ts"), tmp.resolve("outside/secret.ts"));
        Files.createSymbolicLink(hls.resolve("linked"), tmp.resolve("outside"));
        try (SinkHttp sink = new SinkHttp(hls)) {
            assertThat(get(sink.hls("cam-7/seg-000099.ts")).statusCode()).as("a link out").isEqualTo(404);
            assertThat(get(sink.hls("linked/secret.ts")).statusCode()).as("a linked directory").isEqualTo(404);
            String root = sink.hls("").toString();
            for (String path : List.of("../outside/secret.ts", "%2e%2e/outside/secret.ts",
                    "cam-7/..%2F..%2Foutside%2Fsecret.ts", tmp.resolve("outside/secret.ts").toString(), "cam-7/.hidden.ts",
                    "cam-7%5C..%5Csecret.ts")) {
                HttpResponse<byte[]> response = get(URI.create(root + path));
                assertThat(response.statusCode()).as(path).isEqualTo(400);
                assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("secret");
            }
        }
    }

    @Test
    void theIndexListsTheStreamsWithAPlaylist() throws Exception {
        try (SinkHttp sink = new SinkHttp(hls)) {
            HttpResponse<byte[]> index = get(sink.hls(""));
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(header(index, "Content-Type")).isEqualTo("application/json");
            assertThat(header(index, "Access-Control-Allow-Origin")).isEqualTo("*");
            JsonNode streams = Json.MAPPER.readTree(index.body()).path("streams");
            assertThat(streams.toString()).isEqualTo("[{\"name\":\"cam-1\",\"playlist\":\"cam-1/index.m3u8\","
                    + "\"ended\":true},{\"name\":\"cam-7\",\"playlist\":\"cam-7/index.m3u8\",\"ended\":false}]");
            // a listed playlist is where the listing says, relative to it
            URI playlist = sink.hls("").resolve(streams.get(1).path("playlist").asText());
            assertThat(get(playlist).statusCode()).isEqualTo(200);
        }
    }

    private void playlist(String stream, boolean ended) throws Exception {
        Files.createDirectories(hls.resolve(stream));
        Files.writeString(hls.resolve(stream).resolve(HlsOrigin.PLAYLIST), new HlsPlaylist(2, 0,
                List.of(new HlsPlaylist.Entry(0, 2.0, false)), ended).render());
    }

    private HttpResponse<byte[]> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
