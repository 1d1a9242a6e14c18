package dev.lapstream.cli;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ctrl-C (SIGINT) or SIGTERM of a running {@code lapstream upscale} process: it closes the output (a playable
 * file with the frames so far), says how far it got, removes its temporary directories and exits non-zero.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class InterruptTest {

    private static final int FRAMES = 3000;

    @TempDir
    static Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM"})
    void interruptedUpscaleLeavesAPlayableFileAndNoTemporaryDirectories(String signal) throws Exception {
        Path in = dir.resolve("long.mp4");
        if (!Files.exists(in)) {
            Clips.write(in, 48, 32, 25, FRAMES, 0);
        }
        Path out = dir.resolve("long." + signal + ".mp4");
        Path tmp = Files.createDirectories(dir.resolve("tmp-" + signal));
        Path log = dir.resolve(signal + ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Djava.io.tmpdir=" + tmp,
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir"),
                "-cp", System.getProperty("java.class.path"), Lapstream.class.getName(),
                "upscale", in.toString(), "--scale", "2", "-o", out.toString(), "--upscaler", "bicubic",
                "--no-progress").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !p.isAlive() || Files.exists(out) && Files.size(out) > 0);
            assertThat(p.isAlive()).as("still running when the output appeared: %s", read(log)).isTrue();
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("exited after SIG%s", signal).isTrue();
        } finally {
            p.destroyForcibly();
        }

        String output = read(log);
        assertThat(p.exitValue()).as(output).isNotZero();
        assertThat(output).contains("interrupted after").contains(out.toString()).contains("plays");
        List<Long> pts = Clips.decode(out).pts();
        assertThat(pts).as("frames in the closed file").isNotEmpty().isSorted().doesNotHaveDuplicates();
        assertThat(pts.size()).isLessThan(FRAMES);
        assertThat(output).contains("after " + pts.size() + " of " + FRAMES + " frames");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("lapstream-"));
        }
    }

    private static String read(Path log) throws java.io.IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
