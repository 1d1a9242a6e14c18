package dev.lapstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.util.List;

/**
 * The pipeline contract (ingest, worker, sink) against the compose stack's own Kafka: its image and its
 * record limits, read from deploy/compose/compose.yaml. Needs Docker; skipped cleanly without it.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeKafkaPipelineTest extends PipelineContract {

    private static final JsonNode KAFKA_SERVICE = DeployFiles.document(DeployFiles.deploy()
            .resolve("compose/compose.yaml")).at("/services/kafka");

    @Container
    static final KafkaContainer KAFKA = limits(new KafkaContainer(KAFKA_SERVICE.path("image").asText()));

    /** The compose broker's record limits; its listeners are the container module's own. */
    private static KafkaContainer limits(KafkaContainer kafka) {
        for (String key : List.of("KAFKA_MESSAGE_MAX_BYTES", "KAFKA_REPLICA_FETCH_MAX_BYTES",
                "KAFKA_SOCKET_REQUEST_MAX_BYTES", "KAFKA_AUTO_CREATE_TOPICS_ENABLE")) {
            kafka.withEnv(key, KAFKA_SERVICE.at("/environment/" + key).asText());
        }
        return kafka;
    }

    @Override
    String bootstrap() {
        return KAFKA.getBootstrapServers();
    }
}
