package dev.lapstream.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.lapstream.cli.BadInputTest.assertOneLineError;
import static dev.lapstream.cli.BadInputTest.upscale;
import static org.assertj.core.api.Assertions.assertThat;

/** What a command refuses before any work starts, and how it says so. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CommandChecksTest {

    @TempDir
    Path dir;

    private Path sample() {
        Path clip = dir.resolve("ok.mp4");
        return Files.exists(clip) ? clip : Clips.write(clip, 32, 24, 10, 4, 0);
    }

    record Run(int exit, String out, String err) {
    }

    static Run lapstream(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Lapstream.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args), out.toString().trim(), err.toString().trim());
    }

    @Test
    void outputThatIsTheInputIsRefusedAndTheInputKept() throws Exception {
        Path in = sample();
        byte[] before = Files.readAllBytes(in);
        assertOneLineError(upscale(in.toString(), "--scale", "2", "-o", in.toString()), "is the input");
        Path sameViaDots = in.getParent().resolve(".").resolve(in.getFileName());
        assertOneLineError(upscale(in.toString(), "--scale", "2", "-o", sameViaDots.toString()), "is the input");
        assertThat(Files.readAllBytes(in)).isEqualTo(before);
    }

    @Test
    void outputInAContainerLapstreamDoesNotWriteIsRefused() throws Exception {
        Path avi = dir.resolve("x.avi");
        assertOneLineError(upscale(sample().toString(), "--scale", "2", "-o", avi.toString()),
                "x.avi", ".mp4", ".mkv");
        assertThat(avi).doesNotExist();
    }

    @Test
    void unwritableOutputFailsBeforeDecoding() throws Exception {
        assertOneLineError(upscale(sample().toString(), "--scale", "2", "-o", "/proc/x.mp4"),
                "cannot write the output /proc/x.mp4");
    }

    @Test
    void outputUnder16PixelsIsRefused() throws Exception {
        assertOneLineError(upscale(sample().toString(), "--size", "15x100"), "16");
    }

    @ParameterizedTest
    @CsvSource({"--threads,-1", "--tile,-5", "--stall-timeout,0", "--stall-timeout,x"})
    void badNumbersAreRefusedWhileParsing(String option, String value) throws Exception {
        Run run = lapstream("upscale", sample().toString(), "--scale", "2", option, value);
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '" + option + "'").contains("'" + value + "'");
    }

    /** The sink's two modes do not mix, and the service's settings are checked before it connects. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--streams (|--streams: not a regular expression",
            "-o x.mp4|-o needs --stream ID",
            "--stream cam --hls-dir h -o x.mp4|--hls-dir is an option of the sink service",
            "--stream cam --no-serve-hls -o x.mp4|--serve-hls is an option of the sink service",
            "--stream cam|--stream needs -o FILE",
            "--segment-seconds 0.01|segment length must be 0.1..60 s",
            "--no-encoded|nothing to publish"})
    void sinkModesAndServiceSettingsAreChecked(String args, String message) {
        String[] argv = ("sink " + args).split(" ");
        Run run = lapstream(argv);
        assertThat(run.exit()).as(args).isEqualTo(2);
        assertThat(run.err().lines().findFirst().orElse("")).contains(message);
    }

    @Test
    void finetuneRefusesAScaleWithoutAFixedScaleNetwork() {
        Run run = lapstream("finetune", "--model", "models/asdn-lr", "--scale", "5", "--data", dir.toString(),
                "--out", dir.resolve("out").toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("lapstream: error: FSDN scale must be one of 2, 3, 4, 8 (got 5)");
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void subcommandsOfStreamsHelp() {
        for (String sub : new String[]{"set", "delete", "list"}) {
            Run run = lapstream("streams", sub, "--help");
            assertThat(run.exit()).as(sub).isZero();
            assertThat(run.out()).contains("Usage: lapstream streams " + sub).contains("--bootstrap");
        }
    }

    @Test
    void unreachableBootstrapIsNamedQuickly() {
        long t0 = System.nanoTime();
        Run run = lapstream("streams", "list", "--bootstrap", "127.0.0.1:1");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(run.exit()).isEqualTo(ErrorHandler.FAILED);
        assertThat(run.err()).startsWith("lapstream: error: cannot reach Kafka at 127.0.0.1:1").doesNotContain("\n");
        assertThat(seconds).isLessThan(KafkaReach.TIMEOUT_MS / 1000.0 + 6);
    }

    @Test
    void progressSpeedHasALeadingZero() {
        assertThat(PipelineRun.SPEED_FORMAT.format(0.7)).isEqualTo("0.7");
        assertThat(PipelineRun.SPEED_FORMAT.format(12.34)).isEqualTo("12.3");
    }
}
