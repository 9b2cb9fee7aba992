package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * A pre-committed Kafka transaction, handed from the writer to the committer through the
 * checkpoint: everything needed to commit it later, from any process, and to tell afterwards
 * whether it was committed.
 *
 * @param transactionalId the transactional id the transaction ran under
 * @param producerId the producer id of the transaction
 * @param epoch the producer epoch of the transaction (with transactions version 2 the broker bumps
 *     the epoch when the transaction ends, so the id's epoch is then {@code epoch + 1})
 * @param transactionV2 whether the transaction ran with transactions version 2 (KIP-890); a resumed
 *     commit must use the same protocol
 * @param afterCheckpoint the last checkpoint the writer had completed when it wrote this data
 *     ({@code -1} for none), named in error messages about lost data
 * @param sequence the transaction's number on its transactional id, increasing by one with every
 *     transaction on the id whatever producer id and epoch the broker hands out (see {@link
 *     CommitMarker}); {@code -1} in committables of version 1, which predate it
 * @param createdAtMillis wall-clock time of the pre-commit ({@code -1} in version 1): tells whether
 *     the broker may already have expired this transaction's commit marker
 * @param firstOffsets the offset of the transaction's first record on each partition it wrote to
 *     (empty in committables before version 3): after the commit, {@link HangingTransactions}
 *     checks that no partition still holds the transaction open from there
 */
@Internal
public record ConfluentCommittable(
        String transactionalId,
        long producerId,
        short epoch,
        boolean transactionV2,
        long afterCheckpoint,
        long sequence,
        long createdAtMillis,
        Map<TopicPartition, Long> firstOffsets) {

    public ConfluentCommittable {
        firstOffsets = Map.copyOf(firstOffsets);
    }

    /** A committable that does not know where its records went (before version 3). */
    public ConfluentCommittable(
            String transactionalId,
            long producerId,
            short epoch,
            boolean transactionV2,
            long afterCheckpoint,
            long sequence,
            long createdAtMillis) {
        this(
                transactionalId,
                producerId,
                epoch,
                transactionV2,
                afterCheckpoint,
                sequence,
                createdAtMillis,
                Map.of());
    }

    /** For messages: which data a problem with this transaction concerns. */
    public String describe() {
        return "transaction '"
                + transactionalId
                + "' (producer id "
                + producerId
                + ", epoch "
                + epoch
                + (sequence >= 0 ? ", number " + sequence + " on its id" : "")
                + ") holding the data written after checkpoint "
                + afterCheckpoint;
    }
}
