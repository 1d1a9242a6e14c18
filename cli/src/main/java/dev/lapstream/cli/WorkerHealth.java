package dev.lapstream.cli;

import dev.lapstream.ops.Health;
import dev.lapstream.processor.Worker;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A worker's probes: live until it fails; ready once its model is loaded and Kafka Streams is RUNNING (not
 * while it is created, rebalancing or stopping), so an orchestrator sends no traffic and counts no replica
 * before then. The probes exist before the worker does: the model can take seconds to load.
 */
final class WorkerHealth {

    private volatile String model;
    private volatile Worker worker;

    WorkerHealth(Health health) {
        health.live("worker", () -> {
            Worker w = worker;
            return w == null || w.failure() == null ? Health.Status.up(w == null ? "starting" : w.state().name())
                    : Health.Status.down("failed: " + ErrorHandler.oneLine(w.failure()));
        });
        health.ready("model", () -> model != null ? Health.Status.up(model) : Health.Status.down("loading"));
        health.ready("kafka-streams", () -> {
            Worker w = worker;
            KafkaStreams.State state = w == null ? null : w.state();
            return state == KafkaStreams.State.RUNNING ? Health.Status.up(state.name())
                    : Health.Status.down(state == null ? "not started" : state.name());
        });
    }

    void modelLoaded(String name) {
        model = name;
    }

    void started(Worker w) {
        worker = w;
    }
}
