package dev.lapstream.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class TrainRunFileTest {

    private static TrainCommand parse(Path file, String... args) {
        TrainCommand cmd = new TrainCommand();
        CommandLine cli = new CommandLine(cmd);
        cli.setDefaultValueProvider(TrainRunFile.read(file, cli.getCommandSpec()));
        cli.parseArgs(args);
        return cmd;
    }

    @Test
    void shippedRunFileSetsTheOptionsAndFlagsWin() {
        Path file = Path.of(System.getProperty("lapstream.root", "..")).resolve("config/train/asdn-lr.yaml");
        TrainCommand cmd = parse(file, "--seed", "3");
        assertThat(cmd.family).isEqualTo("asdn-lr");
        assertThat(cmd.lrPatch).isEqualTo(48);
        assertThat(cmd.decaySteps).isEqualTo(9_000);
        assertThat(cmd.widths).containsExactly(32, 48, 64);
        assertThat(cmd.keepSnapshots).isTrue();
        assertThat(cmd.checkpointDir).isEqualTo(Path.of("checkpoints/asdn-lr"));
        assertThat(cmd.seed).isEqualTo(3); // the flag, not the file's 11
    }

    @ParameterizedTest
    @ValueSource(strings = {"meta-sr", "arbsr"})
    void oneToFourRunFilesMatchTheAsdnLrRunButForTheFamilyAndItsMlp(String family) {
        Path root = Path.of(System.getProperty("lapstream.root", ".."));
        TrainCommand meta = parse(root.resolve("config/train/" + family + ".yaml"));
        TrainCommand lr = parse(root.resolve("config/train/asdn-lr.yaml"));
        assertThat(meta.family).isEqualTo(family);
        assertThat(meta.checkpointDir).isEqualTo(Path.of("checkpoints/" + family));
        assertThat(meta.upChannels).isEqualTo(64);
        assertThat(meta.minutes).isEqualTo(60.0);
        assertThat(meta.lrPatch).isEqualTo(lr.lrPatch);
        assertThat(meta.batch).isEqualTo(lr.batch);
        assertThat(meta.widths).containsExactly(lr.widths);
        assertThat(meta.channels).isEqualTo(lr.channels);
    }

    @Test
    void unknownKeysAndOtherFormsAreRefused(@TempDir Path dir) throws Exception {
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "train:\n  lr-decay-step: 5\n");
        assertThatThrownBy(() -> parse(typo)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("unknown key train.lr-decay-step");
        Path other = Files.writeString(dir.resolve("other.yaml"), "worker:\n  threads: 2\n");
        assertThatThrownBy(() -> parse(other)).hasMessageContaining("one section, 'train'");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "train:\n  batch: many\n");
        assertThatThrownBy(() -> parse(bad, "--data", "d")).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("many");
    }

    @Test
    void writtenSettingsReadBackToTheSameRun(@TempDir Path dir) {
        TrainCommand first = new TrainCommand();
        CommandLine cli = new CommandLine(first);
        cli.parseArgs("--data", "imgs", "--family", "asdn-lr", "--lr-patch", "40", "--widths", "16,32",
                "--channels", "32", "--two-pass", "0.3", "--keep-checkpoints");
        Path file = dir.resolve("train.yaml");
        TrainRunFile.write(cli.getCommandSpec(), file);
        TrainCommand again = parse(file);
        assertThat(again.data).isEqualTo(Path.of("imgs"));
        assertThat(again.lrPatch).isEqualTo(40);
        assertThat(again.widths).containsExactly(16, 32);
        assertThat(again.pTwoPass).isEqualTo(0.3);
        assertThat(again.keepSnapshots).isTrue();
        assertThat(again.channels).isEqualTo(32);
    }
}
