package dev.lapstream.cli;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.model.ShippedModel;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker process configured only by a file, as in the containers: it joins the group the file names (the
 * one KEDA watches) and its start line says which device the shipped model's graph runs on.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WorkerProcessTest {

    @TempDir
    Path dir;
    private EmbeddedKafka kafka;
    private Process worker;

    @AfterEach
    void stop() throws InterruptedException {
        if (worker != null) {
            worker.destroy();
            if (!worker.waitFor(30, TimeUnit.SECONDS)) {
                worker.destroyForcibly();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void workerRunsFromItsConfigFileAndNamesItsDevice() throws Exception {
        kafka = EmbeddedKafka.start();
        Path config = dir.resolve("lapstream.yaml");
        Files.writeString(config, """
                kafka:
                  bootstrap: %s
                  topic-prefix: wproc
                  partitions: 2
                worker:
                  application-id: wproc-workers
                  threads: 1
                """.formatted(kafka.bootstrapServers()));
        worker = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dlapstream.root=" + ConfigTest.root(),
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir"),
                "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
                "-cp", System.getProperty("java.class.path"), Lapstream.class.getName(),
                "worker", "--config", config.toString())
                .redirectErrorStream(true).start();
        CompletableFuture<String> running = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(worker.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.contains("lapstream worker running") || line.startsWith("lapstream: error")) {
                        running.complete(line);
                    }
                }
                running.complete("exited");
            } catch (java.io.IOException e) {
                running.complete(e.toString());
            }
        });
        reader.setDaemon(true);
        reader.start();

        String line = running.get(150, TimeUnit.SECONDS);
        assertThat(line).contains("lapstream worker running (" + ShippedModel.NAME + " on CPU:0 (TensorFlow devices CPU:0")
                .contains("group wproc-workers").contains(kafka.bootstrapServers());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("wproc-workers")).all().get()
                    .get("wproc-workers");
            assertThat(group.members()).isNotEmpty();
            assertThat(admin.describeTopics(List.of("wproc.frames")).allTopicNames().get().get("wproc.frames")
                    .partitions()).hasSize(2);
        }
    }
}
