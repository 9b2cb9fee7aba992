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
 * metadata names the transaction's producer id, epoch and sequence number. Transactional offsets
 * become visible exactly when the transaction commits, so afterwards "committed" and "aborted" can
 * be told apart from public API alone — whatever happened on the id since (later transactions,
 * fencing).
 *
 * <p>Transactions on one id are ordered by their {@linkplain ConfluentCommittable#sequence()
 * sequence number}, not by producer id and epoch: the broker hands out a new producer id when the
 * epoch is exhausted (about 32,000 transactions under transactions version 2) or the id expired,
 * and producer ids are not ordered across coordinators. The writer numbers its transactions,
 * continuing after the id's current marker when it takes an id over, and only begins a transaction
 * once the one before it on the id is known to be committed. So a marker with a higher number than
 * a transaction proves that transaction committed; a lower one proves it did not.
 */
@Internal
public record CommitMarker(long producerId, short epoch, long sequence) {

    private static final String PREFIX = "flink-confluent-commit:";

    /** The marker group of a transactional id. */
    public static String group(String transactionalId) {
        return transactionalId;
    }

    /** "commit marker of transactional id 'x' (consumer group 'x')", for messages. */
    static String describe(String transactionalId) {
        return "commit marker of transactional id '"
                + transactionalId
                + "' (consumer group '"
                + group(transactionalId)
                + "')";
    }

    /** Writes the marker of {@code producer}'s current transaction, number {@code sequence}. */
    static void write(TransactionalProducer producer, String topic, long sequence) {
        OffsetAndMetadata offset =
                new OffsetAndMetadata(
                        0,
                        PREFIX + producer.producerId() + ":" + producer.epoch() + ":" + sequence);
        producer.sendOffsetsToTransaction(
                Map.of(new TopicPartition(topic, 0), offset),
                new ConsumerGroupMetadata(group(producer.transactionalId())));
    }

    /** The marker an offset holds; markers of version 1 (no sequence) read with sequence -1. */
    @Nullable
    static CommitMarker parse(@Nullable OffsetAndMetadata offset) {
        if (offset == null || offset.metadata() == null || !offset.metadata().startsWith(PREFIX)) {
            return null;
        }
        String[] parts = offset.metadata().substring(PREFIX.length()).split(":");
        try {
            return new CommitMarker(
                    Long.parseLong(parts[0]),
                    Short.parseShort(parts[1]),
                    parts.length > 2 ? Long.parseLong(parts[2]) : -1L);
        } catch (RuntimeException e) {
            return null;
        }
    }

    boolean isOf(ConfluentCommittable committable) {
        return producerId == committable.producerId() && epoch == committable.epoch();
    }
}
