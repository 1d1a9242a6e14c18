package dev.lapstream.processor;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * A record the worker cannot produce (too large for the topic, refused by the broker) sends the input record
 * that caused it to the dead-letter topic with the reason, and the worker goes on: one stream's bad output must
 * not become a task failure, which would stop every stream of the worker and every worker restarted after it.
 * Retriable errors are retried, as by Kafka Streams' default handler.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    /** Worker config key naming the dead-letter topic. */
    public static final String DLQ_TOPIC_CONFIG = "lapstream.dlq.topic";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
    private String dlqTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        dlqTopic = (String) configs.get(DLQ_TOPIC_CONFIG);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (exception instanceof RetriableException) {
            return Response.retry();
        }
        return deadLetter(context, record, "could not produce to " + record.topic() + ": " + exception);
    }

    @Override
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        return deadLetter(context, record, "could not serialize the " + origin.name().toLowerCase() + " for "
                + record.topic() + ": " + exception);
    }

    private Response deadLetter(ErrorHandlerContext context, ProducerRecord<?, ?> record, String reason) {
        LOG.warn("record to dead-letter topic: {}", reason);
        if (dlqTopic == null || dlqTopic.equals(record.topic()) || context.sourceRawValue() == null) {
            return Response.resume(); // nothing to send, or the dead-letter topic itself failed: do not loop
        }
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(dlqTopic, null, context.timestamp(),
                context.sourceRawKey(), context.sourceRawValue(),
                DeadLetter.headers(context.headers(), reason, context.topic(), context.partition(), context.offset()));
        return Response.resume(List.of(dead));
    }
}
