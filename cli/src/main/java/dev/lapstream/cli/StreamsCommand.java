package dev.lapstream.cli;

import dev.lapstream.core.spec.StreamSpec;
import dev.lapstream.broker.StreamSpecs;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;


/** {@code lapstream streams}: the per-stream specs on the compacted streams topic. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Show or change how each stream is upscaled (the compacted streams topic).")
final class StreamsCommand {

    @Command(name = "set", description = "Set a stream's scale or target size; applies from its next frame.")
    int set(@Mixin KafkaOptions kafka, @Parameters(paramLabel = "STREAM") String stream,
            @ArgGroup(multiplicity = "1") SpecOptions spec) {
        StreamSpec parsed = spec.spec();
        StreamSpecs.publish(kafka.bootstrap, kafka.topics(), stream, parsed.toJson());
        System.out.println(stream + " " + new String(parsed.toJson(), java.nio.charset.StandardCharsets.UTF_8));
        return 0;
    }

    @Command(name = "delete", description = "Forget a stream's spec (its next frames go to the dead-letter topic).")
    int delete(@Mixin KafkaOptions kafka, @Parameters(paramLabel = "STREAM") String stream) {
        StreamSpecs.publish(kafka.bootstrap, kafka.topics(), stream, null);
        return 0;
    }

    @Command(name = "list", description = "Print every stream's current spec.")
    int list(@Mixin KafkaOptions kafka) {
        StreamSpecs.current(kafka.bootstrap, kafka.topics()).forEach((k, v) -> System.out.println(k + " " + v));
        return 0;
    }
}
