package dev.lapstream.broker;

import dev.lapstream.core.Topics;
import dev.lapstream.core.kafka.ClientConfig;
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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/** Writing and reading the per-stream specs on the compacted streams topic. */
public final class StreamSpecs {

    private StreamSpecs() {
    }

    /** Publishes (or, with null, deletes) a stream's spec and waits for the broker's acknowledgement. */
    public static void publish(ClientConfig client, Topics topics, String stream, byte[] specJson) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(client.producer(Map.of(
                ProducerConfig.ACKS_CONFIG, "all")),
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
    public static Map<String, String> current(ClientConfig client, Topics topics) {
        Map<String, String> specs = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(client.consumer(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
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
                                StandardCharsets.UTF_8));
                    } catch (InvalidSpecException e) {
                        // the workers ignore it too; the previous spec stays in force
                    }
                }
            }
        }
        return specs;
    }
}
