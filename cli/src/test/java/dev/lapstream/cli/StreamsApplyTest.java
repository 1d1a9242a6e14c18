package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.StreamSpecs;
import dev.lapstream.core.Topics;
import dev.lapstream.core.spec.StreamSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lapstream streams apply}: the example files of config/streams reach the streams topic as specs. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StreamsApplyTest {

    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static List<Path> examples() throws Exception {
        try (Stream<Path> files = Files.list(ConfigTest.root().resolve("config/streams"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private record Run(int exit, String err) {
    }

    private Run apply(String prefix, List<Path> files) throws Exception {
        List<String> args = new ArrayList<>(List.of("apply"));
        files.forEach(f -> args.add(f.toString()));
        return streams(prefix, args);
    }

    private Run streams(String prefix, List<String> command) throws Exception {
        // the bootstrap comes from the config file: the command line has none
        Path config = dir.resolve(prefix + ".yaml");
        Files.writeString(config, "kafka:\n  bootstrap: " + kafka.bootstrapServers() + "\n  topic-prefix: " + prefix
                + "\n");
        List<String> args = new ArrayList<>(List.of("streams", command.get(0), "--config", config.toString()));
        args.addAll(command.subList(1, command.size()));
        StringWriter err = new StringWriter();
        CommandLine cli = Lapstream.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return new Run(cli.execute(args.toArray(String[]::new)), err.toString().trim());
    }

    @Test
    void examplesArePublishedAsTheirSpecs() throws Exception {
        List<Path> files = examples();
        assertThat(files).hasSizeGreaterThanOrEqualTo(4);
        assertThat(apply("apply-ok", files).exit()).isZero();
        Map<String, String> current = StreamSpecs.current(kafka.client(), Topics.withPrefix("apply-ok"));
        assertThat(current).containsOnlyKeys("cam-1", "lobby", "anamorphic", "live-door", "door-x3");
        assertThat(StreamSpec.fromJson(current.get("door-x3").getBytes(StandardCharsets.UTF_8)).model())
                .isEqualTo("fsdn-x3");
        StreamSpec lobby = StreamSpec.fromJson(current.get("lobby").getBytes(StandardCharsets.UTF_8));
        assertThat(lobby.outputSize(640, 480)).hasToString(StreamSpec.ofSize(1280, 720).outputSize(640, 480).toString());
        StreamSpec live = StreamSpec.fromJson(current.get("live-door").getBytes(StandardCharsets.UTF_8));
        assertThat(live.effectivePolicy().min()).isEqualTo(32);
        assertThat(live.effectivePolicy().latencyTargetSeconds(2.0)).isEqualTo(0.5);
        StreamSpec anamorphic = StreamSpec.fromJson(current.get("anamorphic").getBytes(StandardCharsets.UTF_8));
        assertThat(anamorphic.outputSize(100, 100).width()).isEqualTo(200);
        assertThat(anamorphic.outputSize(100, 100).height()).isEqualTo(150);
    }

    @Test
    void oneBadSpecPublishesNothing() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "door-2:\n  scale: 0.5\n");
        List<Path> files = new ArrayList<>(examples());
        files.add(bad);
        Run run = apply("apply-bad", files);
        assertThat(run.exit()).isEqualTo(ErrorHandler.BAD_INPUT);
        assertThat(run.err()).startsWith("lapstream: error: " + bad + ": door-2: ").contains("scale must be at least 1")
                .doesNotContain("\n");
        assertThat(StreamSpecs.current(kafka.client(), Topics.withPrefix("apply-bad"))).isEmpty();
    }

    @Test
    void unknownSpecFieldAndRepeatedStreamAreRefused() throws Exception {
        Path typo = dir.resolve("typo.yaml");
        Files.writeString(typo, "door-3:\n  scael: 2\n");
        assertThat(apply("apply-typo", List.of(typo)).err()).contains("door-3").contains("scael");
        Path again = dir.resolve("again.yaml");
        Files.writeString(again, "cam-1:\n  scale: 3\n");
        Path cams = examples().stream().filter(f -> f.getFileName().toString().startsWith("cam")).findFirst().orElseThrow();
        Run run = apply("apply-again", List.of(cams, again));
        assertThat(run.exit()).isEqualTo(ErrorHandler.BAD_INPUT);
        assertThat(run.err()).contains("stream cam-1 is already set by");
    }

    @Test
    void setNamesTheStreamsModel() throws Exception {
        assertThat(apply("set-model", examples()).exit()).as("the topics exist").isZero();
        assertThat(streams("set-model", List.of("set", "door-9", "--scale", "3", "--model", "models/fsdn-x3")).exit())
                .isZero();
        String json = StreamSpecs.current(kafka.client(), Topics.withPrefix("set-model")).get("door-9");
        assertThat(StreamSpec.fromJson(json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(StreamSpec.ofScale(3).withModel("models/fsdn-x3"));
    }
}
