package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline against a broker whose only client listener is SASL_PLAINTEXT (PLAIN). */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SecuredClusterTest {

    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.startSecured(Map.of("alice", "alice-secret"));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private Path clientProperties(String password) throws Exception {
        return Files.writeString(dir.resolve("client-" + password + ".properties"), String.join("\n",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=PLAIN",
                "sasl.jaas.config=" + EmbeddedKafka.plainLogin("alice", password), ""));
    }

    @Test
    void rightCredentialsUpscaleEndToEnd() throws Exception {
        Path in = Clips.write(dir.resolve("in.mp4"), 32, 24, 10, 8, 0);
        Path out = dir.resolve("out.mp4");

        int exit = Lapstream.commandLine().execute("upscale", in.toString(), "--scale", "2", "-o", out.toString(),
                "--bootstrap", kafka.bootstrapServers(), "--kafka-config", clientProperties("alice-secret").toString(),
                "--no-progress", "--upscaler", "bicubic", "--topic-prefix", "secured");

        assertThat(exit).isZero();
        Clips.Decoded output = Clips.decode(out);
        assertThat(output.width()).isEqualTo(64);
        assertThat(output.pts()).hasSize(8);
    }

    @Test
    void wrongCredentialsEndWithOneLineAndAnExitCode() throws Exception {
        Path in = Clips.write(dir.resolve("in.mp4"), 32, 24, 10, 2, 0);
        StringWriter err = new StringWriter();
        CommandLine cli = Lapstream.commandLine();
        cli.setErr(new PrintWriter(err, true));
        long t0 = System.nanoTime();

        // the file's right password, overridden by a wrong one on the command line
        int exit = cli.execute("upscale", in.toString(), "--scale", "2", "-o", dir.resolve("x.mp4").toString(),
                "--bootstrap", kafka.bootstrapServers(), "--kafka-config", clientProperties("alice-secret").toString(),
                "--kafka-property", "sasl.jaas.config=" + EmbeddedKafka.plainLogin("alice", "wrong"),
                "--no-progress", "--upscaler", "bicubic", "--topic-prefix", "secured-bad");

        assertThat(exit).isNotZero();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(30);
        assertThat(err.toString().strip()).startsWith("lapstream: error: ").containsIgnoringCase("authentication")
                .doesNotContain("\n");
    }
}
