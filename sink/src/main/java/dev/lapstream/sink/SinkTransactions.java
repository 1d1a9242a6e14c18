package dev.lapstream.sink;

import dev.lapstream.core.kafka.ClientConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.Map;

/**
 * The sink's transactional producer: segments and the consumed offsets (with the streams' checkpoints) commit
 * together, so after a crash the encoded topic holds each segment once. A transaction begins at its first send.
 * The id is stable per sink instance, so a restarted instance aborts its dead predecessor's open transaction
 * at once instead of waiting for the transaction timeout.
 */
final class SinkTransactions implements AutoCloseable {

    static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaProducer<String, byte[]> producer;
    private boolean open;

    SinkTransactions(ClientConfig client, String transactionalId, int maxRecordBytes) {
        producer = new KafkaProducer<>(client.producer(Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) TRANSACTION_TIMEOUT.toMillis(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes + 64 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG, transactionalId)),
                new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    void send(ProducerRecord<String, byte[]> record) {
        begin();
        producer.send(record);
    }

    /** Commits what was sent since the last commit together with {@code offsets}. */
    void commit(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        begin();
        producer.sendOffsetsToTransaction(offsets, group);
        producer.commitTransaction();
        open = false;
    }

    /** Drops what was sent since the last commit. */
    void abort() {
        if (open) {
            open = false;
            producer.abortTransaction();
        }
    }

    private void begin() {
        if (!open) {
            producer.beginTransaction();
            open = true;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
