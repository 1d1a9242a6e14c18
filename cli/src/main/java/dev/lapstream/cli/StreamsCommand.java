package dev.lapstream.cli;

import dev.lapstream.core.kafka.ClientConfig;
import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.broker.StreamSpecs;
import dev.lapstream.broker.TopicSetup;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code lapstream streams}: the per-stream specs on the compacted streams topic. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Show or change how each stream is upscaled (the compacted streams topic).")
final class StreamsCommand {

    @Mixin
    ConfigOption config;

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Set a stream's scale or target size (and model); applies from its next frame.")
    int set(@Mixin KafkaOptions kafka, @Parameters(paramLabel = "STREAM") String stream,
            @ArgGroup(multiplicity = "1") SpecOptions spec,
            @Option(names = "--model", paramLabel = "MODEL", description = "The model that serves this stream: a model"
                    + " directory or a folder under the worker's models/ (default: the worker's own).") String model) {
        StreamSpec parsed = spec.spec().withModel(model);
        KafkaReach.check(kafka.client());
        StreamSpecs.publish(kafka.client(), kafka.topics(), stream, parsed.toJson());
        System.out.println(stream + " " + new String(parsed.toJson(), java.nio.charset.StandardCharsets.UTF_8));
        return 0;
    }

    @Command(name = "apply", mixinStandardHelpOptions = true,
            description = {"Publish the specs in YAML files (stream id: spec, as in"
            + " config/streams/); every file is checked before any spec is published."})
    int apply(@Mixin KafkaOptions kafka, @Parameters(paramLabel = "FILE", arity = "1..*") List<Path> files,
              @Option(names = "--partitions", defaultValue = "4", description = "Partitions of the frame topics"
                      + " if this command creates them (default: ${DEFAULT-VALUE}).") int partitions) {
        Map<String, StreamSpec> specs = StreamSpecFiles.read(files);
        ClientConfig client = kafka.client();
        KafkaReach.check(client);
        // a cluster may not auto-create topics, and an auto-created streams topic would not be compacted
        try (Admin admin = Admin.create(client.admin())) {
            TopicSetup.ensure(admin, kafka.topics(), partitions, kafka.maxMessageBytes);
        }
        specs.forEach((stream, spec) -> {
            StreamSpecs.publish(client, kafka.topics(), stream, spec.toJson());
            System.out.println(stream + " " + new String(spec.toJson(), StandardCharsets.UTF_8));
        });
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Forget a stream's spec (its next frames go to the dead-letter topic).")
    int delete(@Mixin KafkaOptions kafka, @Parameters(paramLabel = "STREAM") String stream) {
        KafkaReach.check(kafka.client());
        StreamSpecs.publish(kafka.client(), kafka.topics(), stream, null);
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print every stream's current spec.")
    int list(@Mixin KafkaOptions kafka) {
        KafkaReach.check(kafka.client());
        StreamSpecs.current(kafka.client(), kafka.topics()).forEach((k, v) -> System.out.println(k + " " + v));
        return 0;
    }
}
