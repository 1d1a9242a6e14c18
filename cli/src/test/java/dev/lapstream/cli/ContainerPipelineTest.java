package dev.lapstream.cli;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same contract against Apache Kafka in a container, for machines with Docker; skipped cleanly
 * without it. The broker's limits are raised like the embedded one's, since frames are large records.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPipelineTest extends PipelineContract {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0")
            .withEnv("KAFKA_MESSAGE_MAX_BYTES", String.valueOf(64 << 20))
            .withEnv("KAFKA_REPLICA_FETCH_MAX_BYTES", String.valueOf(64 << 20))
            .withEnv("KAFKA_SOCKET_REQUEST_MAX_BYTES", String.valueOf(128 << 20));

    @Override
    String bootstrap() {
        return KAFKA.getBootstrapServers();
    }
}
