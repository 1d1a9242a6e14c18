package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.KafkaClientOptions;
import dev.lapstream.core.Topics;
import dev.lapstream.core.kafka.ClientConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command that talks to an existing cluster shares. */
final class KafkaOptions {

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: bootstrap.servers from --kafka-config).")
    String bootstrap;

    @Mixin
    KafkaClientOptions clientOptions;

    @Option(names = "--topic-prefix", defaultValue = "lapstream",
            description = "Prefix of the topic names (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--max-message-bytes", defaultValue = "" + EmbeddedKafka.MAX_MESSAGE_BYTES,
            converter = Counts.Positive.class,
            description = "Largest frame record produced or fetched (default: ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    Topics topics() {
        return Topics.withPrefix(topicPrefix);
    }

    /** The cluster and the user's client properties; fails with one line when no cluster is given. */
    ClientConfig client() {
        ClientConfig client = clientOptions.resolve(bootstrap);
        if (client.bootstrap() == null) {
            throw new ErrorHandler.UserError("no Kafka cluster: give --bootstrap or bootstrap.servers in --kafka-config",
                    null);
        }
        return client;
    }
}
