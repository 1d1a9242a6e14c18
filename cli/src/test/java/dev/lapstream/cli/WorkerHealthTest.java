package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.broker.TopicSetup;
import dev.lapstream.core.Topics;
import dev.lapstream.core.image.BicubicUpscaler;
import dev.lapstream.ops.Health;
import dev.lapstream.processor.Worker;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A worker's readiness follows its model and its Kafka Streams client on a real broker. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class WorkerHealthTest {

    @Test
    void readyOnlyWithTheModelLoadedAndStreamsRunning() {
        Topics topics = Topics.withPrefix("health-it");
        Health health = new Health();
        WorkerHealth probes = new WorkerHealth(health);
        assertThat(health.liveness().up()).as("live while starting").isTrue();
        assertThat(health.readiness().checks().get("model").detail()).isEqualTo("loading");

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                TopicSetup.ensure(admin, topics, 1, EmbeddedKafka.MAX_MESSAGE_BYTES);
            }
            BicubicUpscaler upscaler = new BicubicUpscaler();
            probes.modelLoaded(upscaler.name());
            Worker worker = new Worker(Worker.Settings.defaults(kafka.client(), topics,
                    EmbeddedKafka.MAX_MESSAGE_BYTES).withApplicationId("health-it"), upscaler);
            try (worker) {
                probes.started(worker);
                assertThat(health.readiness().up()).isFalse();
                assertThat(health.readiness().checks().get("kafka-streams").detail()).isEqualTo("CREATED");
                worker.start(Duration.ofSeconds(60));
                await("ready").atMost(Duration.ofSeconds(30)).until(() -> health.readiness().up());
                assertThat(health.readiness().checks().get("model").detail()).isEqualTo("bicubic");
            }
            assertThat(health.readiness().up()).as("a closed worker is not ready").isFalse();
            assertThat(health.readiness().checks().get("kafka-streams").detail()).isEqualTo("NOT_RUNNING");
        }
    }
}
