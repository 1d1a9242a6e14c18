package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The pipeline contract against one in-process KRaft broker shared by the class. */
class EmbeddedPipelineTest extends PipelineContract {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Override
    String bootstrap() {
        return kafka.bootstrapServers();
    }
}
