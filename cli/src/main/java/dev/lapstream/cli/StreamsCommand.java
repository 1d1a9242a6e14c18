package dev.lapstream.cli;

import dev.lapstream.core.Topics;
import dev.lapstream.core.spec.InvalidSpecException;
import dev.lapstream.core.spec.StreamSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/** {@code lapstream streams}: the per-stream specs on the compacted streams topic. */
@Command(name = "streams", mixinStandardHelpOptions = true,
        description = "Show or change how each stream is upscaled (the compacted streams topic).")
final class StreamsCommand {

    @Command(name = "set", description = "Set a stream's scale or target size; applies from its next frame.")
    int set(@Mixin KafkaOptions kafka, @Parameters(paramLabel = "STREAM") String stream,
            @ArgGroup(multiplicity = "1") SpecOptions spec) {
        StreamSpec parsed = spec.spec();
        publish(kafka.bootstrap, kafka.topics(), stream, parsed.toJson());
        System.out.println(stream + " " + new String(parsed.toJson(), java.nio.charset.StandardCharsets.UTF_8));
        return 0;
    }

    @Command(name = "delete", description = "Forget a stream's spec (its next frames go to the dead-letter topic).")
    int delete(@Mixin KafkaOptions kafka, @Parameters(paramLabel = "STREAM") String stream) {
        publish(kafka.bootstrap, kafka.topics(), stream, null);
        return 0;
    }

    @Command(name = "list", description = "Print every stream's current spec.")
    int list(@Mixin KafkaOptions kafka) {
        current(kafka.bootstrap, kafka.topics()).forEach((k, v) -> System.out.println(k + " " + v));
        return 0;
    }

    static void publish(String bootstrap, Topics topics, String stream, byte[] specJson) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.streams(), stream, specJson)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish the spec of stream '" + stream + "': "
                    + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The latest valid spec per stream, read from the beginning to the current end of the topic. */
    static Map<String, String> current(String bootstrap, Topics topics) {
        Map<String, String> specs = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.streams(), Duration.ofSeconds(30))
                    .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.value() == null) {
                        specs.remove(r.key());
                        continue;
                    }
                    try {
                        specs.put(r.key(), new String(StreamSpec.fromJson(r.value()).toJson(),
                                java.nio.charset.StandardCharsets.UTF_8));
                    } catch (InvalidSpecException e) {
                        // the workers ignore it too; the previous spec stays in force
                    }
                }
            }
        }
        return specs;
    }
}
