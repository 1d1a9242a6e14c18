package dev.lapstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad input ends with one line naming the problem and a non-zero exit, without a stack trace or a hang.
 * These fail before any broker starts, except the truncated file, whose decodable frames are still written.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class BadInputTest {

    @TempDir
    static Path dir;

    record Run(int exit, String err) {
    }

    static Run upscale(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Lapstream.commandLine();
        cli.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 4];
        full[0] = "upscale";
        System.arraycopy(args, 0, full, 1, args.length);
        full[full.length - 3] = "--no-progress";
        full[full.length - 2] = "--upscaler";
        full[full.length - 1] = "bicubic";
        return new Run(cli.execute(full), err.toString().trim());
    }

    static void assertOneLineError(Run run, String... phrases) {
        assertThat(run.exit()).isNotZero();
        assertThat(run.err()).startsWith("lapstream: error: ").doesNotContain("\n").doesNotContain("\tat ");
        for (String phrase : phrases) {
            assertThat(run.err()).containsIgnoringCase(phrase);
        }
    }

    static Path sample() throws Exception {
        Path clip = dir.resolve("ok.mp4");
        if (!Files.exists(clip)) {
            Clips.write(clip, 32, 24, 10, 4, 0);
        }
        return clip;
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "NaN", "Infinity", "-Infinity", "abc", "2x0"})
    void invalidScales(String scale) throws Exception {
        assertOneLineError(upscale(sample().toString(), "--scale", scale), "scale");
    }

    @Test
    void outputOverTheLimit() throws Exception {
        Path wide = Clips.write(dir.resolve("wide.mp4"), 1100, 16, 10, 1, 0);
        assertOneLineError(upscale(wide.toString(), "--scale", "16"), "17600x256", "16384");
        assertOneLineError(upscale(sample().toString(), "--size", "20000x100"), "16384");
    }

    @Test
    void missingFile() {
        assertOneLineError(upscale(dir.resolve("nope.mp4").toString(), "--scale", "2"), "nope.mp4");
    }

    @Test
    void emptyFile() throws Exception {
        Path empty = Files.write(dir.resolve("empty.mp4"), new byte[0]);
        assertOneLineError(upscale(empty.toString(), "--scale", "2"), "empty");
    }

    @Test
    void randomBytes() throws Exception {
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        assertOneLineError(upscale(Files.write(dir.resolve("noise.mp4"), noise).toString(), "--scale", "2"));
        assertOneLineError(upscale(Files.write(dir.resolve("noise.bin"), noise).toString(), "--scale", "2"));
    }

    @Test
    void textFileNamedMp4() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.mp4"), "this is not a video\n".repeat(100),
                StandardCharsets.UTF_8);
        assertOneLineError(upscale(text.toString(), "--scale", "2"));
    }

    @Test
    void absurdDimensions() throws Exception {
        Path huge = dir.resolve("huge-header.avi");
        try (var in = BadInputTest.class.getResourceAsStream("/bad/huge-header.avi")) {
            Files.copy(in, huge);
        }
        assertOneLineError(upscale(huge.toString(), "--scale", "2"), "16000x4000");
    }

    @Test
    void truncatedFileWritesWhatDecodesAndFails() throws Exception {
        // faststart MP4: the index comes first, so a cut file still opens and announces more frames than it has
        Path ts = Clips.write(dir.resolve("whole.mp4"), 32, 24, 10, 30, 0);
        byte[] all = Files.readAllBytes(ts);
        Path cut = Files.write(dir.resolve("cut.mp4"), java.util.Arrays.copyOf(all, all.length / 2));
        Path out = dir.resolve("cut.out.mp4");

        Run run = upscale(cut.toString(), "--scale", "2", "-o", out.toString());

        assertOneLineError(run, "truncated");
        int written = Clips.decode(out).pts().size();
        assertThat(written).isBetween(1, 29);
        assertThat(run.err()).contains(written + " decodable frames");
    }

    @Test
    void aDashboardPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            StringWriter err = new StringWriter();
            CommandLine cli = Lapstream.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute("dashboard", "--bootstrap", "127.0.0.1:1", "--port",
                    String.valueOf(taken.getLocalPort()));
            Run run = new Run(exit, err.toString().trim());
            assertOneLineError(run, "cannot listen on 127.0.0.1:" + taken.getLocalPort(), "in use");
            assertThat(run.exit()).isEqualTo(2);
        }
    }
}
