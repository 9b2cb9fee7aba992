package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import javax.annotation.Nullable;

import java.util.Map;

/**
 * Proof that a transaction committed: each transaction of the sink also commits, through {@code
 * sendOffsetsToTransaction}, an offset of the consumer group {@code <transactional id>} whose
 * metadata names the transaction's producer id and epoch. Transactional offsets become visible
 * exactly when the transaction commits, so afterwards "committed" and "aborted" can be told apart
 * from public API alone — whatever happened on the id since (later transactions, fencing).
 *
 * <p>Within one id, a later transaction only starts after the earlier one committed, so a marker of
 * a later transaction proves the earlier ones committed too.
 */
@Internal
public record CommitMarker(long producerId, short epoch) {

    private static final String PREFIX = "flink-confluent-commit:";

    /** The marker group of a transactional id. */
    public static String group(String transactionalId) {
        return transactionalId;
    }

    /** Writes the marker of {@code producer}'s current transaction into that transaction. */
    static void write(TransactionalProducer producer, String topic) {
        OffsetAndMetadata offset =
                new OffsetAndMetadata(0, PREFIX + producer.producerId() + ":" + producer.epoch());
        producer.sendOffsetsToTransaction(
                Map.of(new TopicPartition(topic, 0), offset),
                new ConsumerGroupMetadata(group(producer.transactionalId())));
    }

    @Nullable
    static CommitMarker parse(@Nullable OffsetAndMetadata offset) {
        if (offset == null || offset.metadata() == null || !offset.metadata().startsWith(PREFIX)) {
            return null;
        }
        String[] parts = offset.metadata().substring(PREFIX.length()).split(":");
        try {
            return new CommitMarker(Long.parseLong(parts[0]), Short.parseShort(parts[1]));
        } catch (RuntimeException e) {
            return null;
        }
    }

    boolean isExactly(ConfluentCommittable committable) {
        return producerId == committable.producerId() && epoch == committable.epoch();
    }

    /** This marker's transaction is {@code committable}'s or a later one on the same id. */
    boolean covers(ConfluentCommittable committable) {
        return producerId != committable.producerId() || epoch >= committable.epoch();
    }
}
