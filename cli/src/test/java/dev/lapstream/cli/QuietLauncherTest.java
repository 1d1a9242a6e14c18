package dev.lapstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A normal run through the {@code lapstream} launcher, with the ASDN model, says only lapstream's own lines on
 * stderr: none of TensorFlow's start-up lines (absl's, MLIR's, the CPU feature guard's), and the progress bar
 * still gets through.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class QuietLauncherTest {

    @TempDir
    Path dir;

    @Test
    void anUpscaleWithTheModelPrintsNoTensorflowLines() throws Exception {
        Path in = Clips.write(dir.resolve("tiny.mp4"), 32, 24, 10, 4, 0);
        Path out = dir.resolve("tiny.x2.mp4");
        Path stdout = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        ProcessBuilder launcher = new ProcessBuilder(ConfigTest.root().resolve("lapstream").toString(),
                "upscale", in.toString(), "--scale", "2", "--upscaler", "asdn", "-o", out.toString())
                .redirectOutput(stdout.toFile()).redirectError(err.toFile());
        Map<String, String> env = launcher.environment();
        env.remove("TF_CPP_MIN_LOG_LEVEL"); // the build sets it for tests; the launcher must set it itself
        env.put("LAPSTREAM_CLASSPATH", System.getProperty("java.class.path")); // no fat jar in the test phase
        env.put("LAPSTREAM_JAVA_OPTS", "-Xmx1g");
        Process p = launcher.start();
        assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("finished").isTrue();

        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        assertThat(Files.readString(stdout, StandardCharsets.UTF_8)).contains("done: 4/4 frames");
        assertThat(stderr).contains("4/4 fr (")
                .doesNotContain("absl::InitializeLog", "mlir_graph_optimization_pass", "To enable the following",
                        "cpu_feature_guard", "tensorflow/");
    }
}
