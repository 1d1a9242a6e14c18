package dev.lapstream.bench;

import dev.lapstream.broker.EmbeddedKafka;
import dev.lapstream.core.kafka.ClientConfig;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The benchmarks' Kafka clients, sized for the embedded broker's largest record. */
final class BenchClients {

    static final int MAX = EmbeddedKafka.MAX_MESSAGE_BYTES;

    private BenchClients() {
    }

    /**
     * A reader positioned at the end of the topic before anything is published: assigned, not subscribed,
     * so no consumer-group join (seconds on a fresh group) is timed as pipeline latency.
     */
    static KafkaConsumer<String, byte[]> tail(ClientConfig kafka, String topic) {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(kafka.consumer(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX)), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = c.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        c.assign(partitions);
        c.seekToEnd(partitions);
        partitions.forEach(c::position);
        return c;
    }

    /** @param buffered how many of the largest records the producer may hold unsent */
    static KafkaProducer<String, byte[]> producer(ClientConfig kafka, int buffered, String compression) {
        return new KafkaProducer<>(kafka.producer(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX,
                ProducerConfig.BUFFER_MEMORY_CONFIG, (long) buffered * MAX,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, compression)), new StringSerializer(), new ByteArraySerializer());
    }
}
