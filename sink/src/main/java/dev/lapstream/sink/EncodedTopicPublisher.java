package dev.lapstream.sink;

/** Publishes segments on the encoded topic, inside the sink's current transaction. */
final class EncodedTopicPublisher implements SegmentPublisher {

    private final SinkTransactions transactions;
    private final String topic;

    EncodedTopicPublisher(SinkTransactions transactions, String topic) {
        this.transactions = transactions;
        this.topic = topic;
    }

    @Override
    public void publish(EncodedSegment segment) {
        transactions.send(SegmentRecords.toRecord(topic, segment));
    }
}
