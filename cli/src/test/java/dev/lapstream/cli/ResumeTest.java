package dev.lapstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.within;

/**
 * An {@code upscale} process killed with SIGKILL mid-stream, then {@code --resume}: the output has every frame
 * of the input once, in order, at its time, and the kept run state is gone.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ResumeTest {

    private static final int FRAMES = 3000;

    @TempDir
    Path dir;

    @Test
    void killedRunResumesToEveryFrameOnce() throws Exception {
        Path in = Clips.write(dir.resolve("long.mp4"), 48, 32, 25, FRAMES, 0);
        Path out = dir.resolve("long.x2.mp4");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir"),
                "-cp", System.getProperty("java.class.path"), Lapstream.class.getName(),
                "upscale", in.toString(), "--scale", "2", "-o", out.toString(), "--upscaler", "bicubic",
                "--no-progress", "--transaction-timeout", "10").redirectErrorStream(true)
                .redirectOutput(dir.resolve("first.log").toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !p.isAlive() || Files.exists(out) && Files.size(out) > 0);
            assertThat(p.isAlive()).as("killed mid-stream").isTrue();
        } finally {
            p.destroyForcibly().waitFor();
        }
        RunState state = RunState.of(out);
        assertThat(state.exists()).isTrue();

        BadInputTest.Run fresh = BadInputTest.upscale(in.toString(), "--scale", "2", "-o", out.toString());
        BadInputTest.assertOneLineError(fresh, "unfinished run", "--resume");

        int exit = Lapstream.commandLine().execute("upscale", in.toString(), "--scale", "2", "-o", out.toString(),
                "--resume", "--upscaler", "bicubic", "--no-progress", "--transaction-timeout", "10");

        assertThat(exit).isZero();
        List<Long> expected = Clips.decode(in).pts();
        List<Long> got = Clips.decode(out).pts();
        assertThat(got).hasSize(FRAMES).isSorted().doesNotHaveDuplicates();
        for (int i = 0; i < FRAMES; i += 97) {
            assertThat(got.get(i)).as("frame %d", i).isCloseTo(expected.get(i), within(2_000L));
        }
        assertThat(state.exists()).as("state of the finished run").isFalse();
    }
}
