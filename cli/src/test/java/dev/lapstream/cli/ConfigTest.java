package dev.lapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code --config} file: config/lapstream.yaml documents the real defaults, flags win, bad keys fail. */
class ConfigTest {

    /** The commands whose options a config file sets (streams: its subcommands). */
    private static final List<String> CONFIGURED = List.copyOf(ConfigDefaults.SECTIONS.keySet());

    @TempDir
    Path dir;

    static Path root() {
        return Path.of(System.getProperty("lapstream.root", ".."));
    }

    /** Every command (and subcommand) a section of the file reaches, with its options by long name. */
    private static List<CommandSpec> commands(String section) {
        List<CommandSpec> found = new ArrayList<>();
        for (String name : CONFIGURED) {
            if (ConfigDefaults.sections(name).contains(section)) {
                CommandLine top = Lapstream.commandLine().getSubcommands().get(name);
                found.add(top.getCommandSpec());
                top.getSubcommands().values().forEach(sub -> found.add(sub.getCommandSpec()));
            }
        }
        return found;
    }

    /** The built-in default as the file would write it: booleans without one are false. */
    private static String builtIn(OptionSpec option) {
        if (option.defaultValue() == null && (option.type() == boolean.class || option.type() == Boolean.class)) {
            return "false";
        }
        return option.defaultValue();
    }

    @Test
    void shippedFileEqualsTheBuiltInDefaults() {
        JsonNode shipped = ConfigFile.YAML.valueToTree(ConfigFile.read(root().resolve("config/lapstream.yaml")));
        shipped.fields().forEachRemaining(section -> section.getValue().fields().forEachRemaining(key -> {
            int options = 0;
            for (CommandSpec command : commands(section.getKey())) {
                OptionSpec option = command.findOption("--" + key.getKey());
                if (option != null) {
                    assertThat(builtIn(option)).as(command.qualifiedName() + " --" + key.getKey())
                            .isEqualTo(key.getValue().asText());
                    options++;
                }
            }
            assertThat(options).as(section.getKey() + "." + key.getKey() + " sets no option").isPositive();
        }));
    }

    @Test
    void everyOptionWithADefaultIsInTheShippedFile() {
        JsonNode shipped = ConfigFile.YAML.valueToTree(ConfigFile.read(root().resolve("config/lapstream.yaml")));
        for (String name : CONFIGURED) {
            CommandLine top = Lapstream.commandLine().getSubcommands().get(name);
            List<CommandSpec> specs = new ArrayList<>(List.of(top.getCommandSpec()));
            top.getSubcommands().values().forEach(sub -> specs.add(sub.getCommandSpec()));
            for (CommandSpec spec : specs) {
                for (OptionSpec option : spec.options()) {
                    if (option.defaultValue() == null || option.inherited()) {
                        continue;
                    }
                    String key = option.longestName().substring(2);
                    boolean documented = ConfigDefaults.sections(name).stream()
                            .anyMatch(section -> shipped.path(section).has(key));
                    assertThat(documented).as(spec.qualifiedName() + " --" + key + " in config/lapstream.yaml")
                            .isTrue();
                }
            }
        }
    }

    @Test
    void fileSetsDefaultsAndFlagsWin() throws Exception {
        Path file = write("""
                kafka:
                  bootstrap: kafka-1:9092
                  topic-prefix: cams
                worker:
                  commit-interval: 250
                  upscaler: bicubic
                """);
        WorkerCommand worker = new WorkerCommand();
        CommandLine cli = new CommandLine(worker);
        cli.setDefaultValueProvider(new ConfigDefaults(ConfigFile.read(file)));
        cli.parseArgs("--commit-interval", "1000");
        assertThat(worker.kafka.bootstrap).isEqualTo("kafka-1:9092");
        assertThat(worker.kafka.topicPrefix).isEqualTo("cams");
        assertThat(worker.model.upscaler).isEqualTo(UpscalerChoice.bicubic);
        assertThat(worker.commitIntervalMs).isEqualTo(1000);
        assertThat(worker.sessionTimeout).isEqualTo(15);
    }

    @Test
    void upscaleSectionBeatsWorkerSectionForUpscale() throws Exception {
        Path file = write("""
                worker:
                  threads: 2
                  tile: 128
                upscale:
                  stall-timeout: 30
                sink:
                  stall-timeout: 900
                """);
        UpscaleCommand upscale = new UpscaleCommand();
        CommandLine cli = new CommandLine(upscale);
        cli.setDefaultValueProvider(new ConfigDefaults(ConfigFile.read(file)));
        cli.parseArgs("in.mp4", "--scale", "2");
        assertThat(upscale.model.threads).isEqualTo(2);
        assertThat(upscale.model.tile).isEqualTo(128);
        assertThat(upscale.stallSeconds).isEqualTo(30);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "worker:\\n  comit-interval: 5|unknown key worker.comit-interval",
            "wroker:\\n  threads: 1|unknown key wroker",
            "worker:\\n  threads: many|worker.threads: 'many' is not a whole number",
            "worker:\\n  threads: 1.5|worker.threads",
            "worker:\\n  commit-interval: 0|worker.commit-interval must be at least 1, got 0",
            "worker:\\n  batch-size: 0|worker.batch-size must be at least 1, got 0",
            "worker:\\n  batch-max-wait: 0|worker.batch-max-wait must be at least 1, got 0",
            "worker:\\n  upscaler: lanczos|worker.upscaler: 'lanczos' is not one of [asdn, bicubic]",
            "kafka: 9092|kafka must be a section of keys",
            "sink:\\n  from-latest: maybe|sink.from-latest",
            "sink:\\n  stall-timeout: 5\\n  stall-timeout: 6|stall-timeout",
            "kafka:\\n  bootstrap: \"unclosed|not valid YAML"})
    void badFileEndsWithOneLineNamingTheKey(String yaml, String message) throws Exception {
        Path file = write(yaml.replace("\\n", "\n"));
        StringWriter err = new StringWriter();
        CommandLine cli = Lapstream.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute("worker", "--config", file.toString());
        assertThat(exit).isEqualTo(ErrorHandler.BAD_INPUT);
        assertThat(err.toString().trim()).startsWith("lapstream: error: " + file + ": ").contains(message)
                .doesNotContain("\n");
    }

    @Test
    void missingFileIsNamed() {
        StringWriter err = new StringWriter();
        CommandLine cli = Lapstream.commandLine();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("sink", "--config=" + dir.resolve("nope.yaml"))).isEqualTo(ErrorHandler.BAD_INPUT);
        assertThat(err.toString().trim()).isEqualTo("lapstream: error: config file " + dir.resolve("nope.yaml")
                + " not found");
    }

    @Test
    void configArgumentIsFoundAnywhereBeforeTheEndOfOptions() {
        assertThat(ConfigArgument.find("worker", "--config", "a.yaml")).contains(Path.of("a.yaml"));
        assertThat(ConfigArgument.find("--config=b.yaml", "sink")).contains(Path.of("b.yaml"));
        assertThat(ConfigArgument.find("ingest", "--", "--config", "c.yaml")).isEmpty();
        assertThat(ConfigArgument.find("worker")).isEmpty();
        // other commands' --config (a training config, say) is theirs
        assertThat(ConfigArgument.find("train", "--config", "t.yaml")).isEmpty();
    }

    @Test
    void emptyFileKeepsEveryDefault() throws Exception {
        Path file = write("");
        SinkCommand sink = new SinkCommand();
        CommandLine cli = new CommandLine(sink);
        cli.setDefaultValueProvider(new ConfigDefaults(ConfigFile.read(file)));
        cli.parseArgs("--bootstrap", "k:9092", "--stream", "s", "-o", "o.mp4");
        assertThat(sink.stallSeconds).isEqualTo(600);
        assertThat(sink.fromLatest).isFalse();
    }

    private Path write(String yaml) throws Exception {
        Path file = Files.createTempFile(dir, "config", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
