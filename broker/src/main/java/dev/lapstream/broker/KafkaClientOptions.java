package dev.lapstream.broker;

import dev.lapstream.core.kafka.ClientConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Kafka client options every lapstream process takes (a picocli mixin): how to reach a cluster as its clients. */
public final class KafkaClientOptions {

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "Kafka client properties (a .properties file: security.protocol, sasl.*, ssl.*,"
                    + " compression.type, ...) for every client this process builds; Kafka Streams prefixes"
                    + " (main.consumer., producer., admin.) select one kind of client.")
    private Path file;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "One Kafka client property, applied after --kafka-config; repeatable.")
    private List<String> properties = new ArrayList<>();

    /** @param bootstrap {@code --bootstrap}, or null to use {@code bootstrap.servers} from the file */
    public ClientConfig resolve(String bootstrap) {
        return ClientConfig.load(bootstrap, file, properties);
    }
}
