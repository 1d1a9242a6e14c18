package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.core.Topics;
import picocli.CommandLine.Option;

/** Options every command that talks to an existing cluster shares. */
final class KafkaOptions {

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrap;

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
}
