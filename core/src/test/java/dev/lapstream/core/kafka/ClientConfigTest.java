package dev.lapstream.core.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientConfigTest {

    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("client.properties"), text);
    }

    @Test
    void userPropertiesOverrideDefaultsAndPairsOverrideTheFile() throws Exception {
        ClientConfig c = ClientConfig.load("k:9092", file("""
                security.protocol=SASL_PLAINTEXT
                sasl.mechanism=PLAIN
                linger.ms=20
                """), List.of("linger.ms=50", "acks = 1"));

        Map<String, Object> producer = c.producer(Map.of("linger.ms", 5, "acks", "all", "client.id", "ingest"));
        assertThat(producer).containsEntry("bootstrap.servers", "k:9092").containsEntry("security.protocol",
                "SASL_PLAINTEXT").containsEntry("linger.ms", "50").containsEntry("acks", "1")
                .containsEntry("client.id", "ingest");
        assertThat(c.admin()).containsEntry("sasl.mechanism", "PLAIN").doesNotContainKey("client.id");
    }

    @Test
    void plainClientsTakeTheirOwnStreamsPrefixAndDropTheOthers() {
        ClientConfig c = ClientConfig.load("k:9092", null, List.of("producer.compression.type=zstd",
                "main.consumer.max.poll.records=2", "consumer.fetch.max.bytes=7", "admin.retries=3",
                "restore.consumer.max.poll.records=99"));

        assertThat(c.producer(Map.of())).containsEntry("compression.type", "zstd").doesNotContainKeys(
                "max.poll.records", "producer.compression.type", "retries", "fetch.max.bytes");
        assertThat(c.consumer(Map.of("max.poll.records", 16))).containsEntry("max.poll.records", "2")
                .containsEntry("fetch.max.bytes", "7").doesNotContainKeys("compression.type",
                        "restore.consumer.max.poll.records");
        assertThat(c.admin()).containsEntry("retries", "3").hasSize(2);
        // Streams routes the prefixes itself: they pass through unchanged
        assertThat(c.streams(Map.of("application.id", "w"))).containsEntry("producer.compression.type", "zstd")
                .containsEntry("main.consumer.max.poll.records", "2").containsEntry("application.id", "w")
                .containsEntry("bootstrap.servers", "k:9092");
    }

    @Test
    void aPlainUserPropertyBeatsLapstreamsPrefixedStreamsDefault() {
        ClientConfig c = ClientConfig.load("k:9092", null, List.of("max.request.size=2000000"));

        assertThat(c.streams(Map.of("producer.max.request.size", 64 << 20, "consumer.max.poll.records", 4)))
                .containsEntry("max.request.size", "2000000").doesNotContainKey("producer.max.request.size")
                .containsEntry("consumer.max.poll.records", 4);
    }

    @Test
    void bootstrapComesFromTheOptionOrTheFile() throws Exception {
        Path f = file("bootstrap.servers=from-file:9093\n");
        assertThat(ClientConfig.load(null, f, List.of()).bootstrap()).isEqualTo("from-file:9093");
        assertThat(ClientConfig.load("cli:9092", f, List.of()).producer(Map.of()))
                .containsEntry("bootstrap.servers", "cli:9092");
        assertThatThrownBy(() -> ClientConfig.load(null, null, List.of()).admin())
                .hasMessageContaining("--bootstrap");
    }

    @Test
    void badInputFailsWithOneLine() {
        assertThatThrownBy(() -> ClientConfig.load("k:1", null, List.of("security.protocol")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(
                        "--kafka-property expects key=value, got 'security.protocol'");
        assertThatThrownBy(() -> ClientConfig.load("k:1", dir.resolve("missing.properties"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("cannot read Kafka config")
                .hasMessageNotContaining("\n");
    }
}
