package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.connector.sink.internal.TransactionInspector.Outcome;

import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The decision tables of the sink's recovery, without a broker. */
class TransactionDecisionsTest {

    /** Transaction number 4 on its id, written an hour ago. */
    private static final ConfluentCommittable TX =
            new ConfluentCommittable("p-0-1-0", 5L, (short) 3, true, 10L, 4L, 1L);

    /** The same transaction as a version-1 committable: no sequence number, no time. */
    private static final ConfluentCommittable TX_V1 =
            new ConfluentCommittable("p-0-1-0", 5L, (short) 3, true, 10L, -1L, -1L);

    private static Outcome classify(
            ConfluentCommittable tx,
            TransactionState state,
            long producerId,
            int epoch,
            CommitMarker marker,
            boolean markerMayHaveExpired) {
        return TransactionInspector.classify(
                        tx, state, producerId, (short) epoch, marker, markerMayHaveExpired)
                .outcome();
    }

    @Test
    void idsParseBackEvenWithDashesInThePrefix() {
        TransactionIds ids = new TransactionIds("flink-confluent-abc", 17, 2);
        assertThat(TransactionIds.parse(ids.id(4)))
                .contains(new TransactionIds.Parsed("flink-confluent-abc", 17, 2, 4));
        assertThat(TransactionIds.parse("not-ours")).isEmpty();
        assertThat(TransactionIds.parse("x-1-2-three")).isEmpty();
    }

    @Test
    void theMarkerDecidesByTransactionNumberWhateverTheProducerId() {
        CommitMarker own = new CommitMarker(5L, (short) 3, 4);
        CommitMarker later = new CommitMarker(5L, (short) 6, 5);
        CommitMarker laterOtherPid = new CommitMarker(2L, (short) 0, 9);
        CommitMarker earlierOtherPid = new CommitMarker(9L, (short) 0, 3);

        assertThat(classify(TX, TransactionState.COMPLETE_COMMIT, 5L, 4, own, false))
                .isEqualTo(Outcome.COMMITTED);
        assertThat(classify(TX, TransactionState.ONGOING, 5L, 6, later, false))
                .as("a later transaction on the id committed")
                .isEqualTo(Outcome.COMMITTED);
        assertThat(classify(TX, TransactionState.ONGOING, 2L, 0, laterOtherPid, true))
                .as("a later transaction under a new (lower) producer id")
                .isEqualTo(Outcome.COMMITTED);
        assertThat(classify(TX, TransactionState.EMPTY, 5L, 5, earlierOtherPid, true))
                .as("a stale marker of another producer id proves no commit")
                .isEqualTo(Outcome.ABORTED);
        assertThat(
                        classify(
                                TX,
                                TransactionState.EMPTY,
                                7L,
                                1,
                                new CommitMarker(7L, (short) 0, 4),
                                false))
                .as("the same number written by another producer: two writers on one id")
                .isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void theCoordinatorDecidesWhileItsStateDescribesTheTransaction() {
        assertThat(classify(TX, TransactionState.ONGOING, 5L, 3, null, false))
                .isEqualTo(Outcome.OPEN);
        assertThat(classify(TX, TransactionState.PREPARE_COMMIT, 5L, 4, null, true))
                .as("prepared to commit: it will complete, no need to wait")
                .isEqualTo(Outcome.COMMITTED);
        assertThat(classify(TX, TransactionState.COMPLETE_COMMIT, 5L, 4, null, true))
                .isEqualTo(Outcome.COMMITTED);
        assertThat(classify(TX, TransactionState.PREPARE_ABORT, 5L, 4, null, true))
                .isEqualTo(Outcome.ABORTED);
        assertThat(classify(TX, TransactionState.COMPLETE_ABORT, 5L, 4, null, true))
                .as("timed out by the broker")
                .isEqualTo(Outcome.ABORTED);
        assertThat(classify(TX, TransactionState.PREPARE_EPOCH_FENCE, 5L, 3, null, true))
                .isEqualTo(Outcome.ABORTED);
    }

    @Test
    void aMissingMarkerProvesAnAbortOnlyWhileItCannotHaveExpired() {
        assertThat(classify(TX, TransactionState.EMPTY, 5L, 5, null, false))
                .as("fenced by initTransactions, marker could not have expired")
                .isEqualTo(Outcome.ABORTED);
        assertThat(classify(TX, null, -1L, -1, null, false))
                .as("id expired, recent transaction without marker")
                .isEqualTo(Outcome.ABORTED);
        assertThat(classify(TX, TransactionState.EMPTY, 5L, 5, null, true))
                .as("marker may have expired, id alive")
                .isEqualTo(Outcome.UNKNOWN);
        assertThat(classify(TX, null, -1L, -1, null, true))
                .as("id and marker may both have expired")
                .isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void versionOneCommittablesOrderByEpochWithinOneProducerIdOnly() {
        assertThat(
                        classify(
                                TX_V1,
                                TransactionState.ONGOING,
                                5L,
                                7,
                                new CommitMarker(5L, (short) 6, -1),
                                true))
                .isEqualTo(Outcome.COMMITTED);
        assertThat(
                        classify(
                                TX_V1,
                                TransactionState.EMPTY,
                                5L,
                                5,
                                new CommitMarker(5L, (short) 1, -1),
                                true))
                .isEqualTo(Outcome.ABORTED);
        assertThat(
                        classify(
                                TX_V1,
                                TransactionState.EMPTY,
                                8L,
                                2,
                                new CommitMarker(8L, (short) 1, -1),
                                true))
                .as("a marker of another producer id cannot be ordered against it")
                .isEqualTo(Outcome.UNKNOWN);
    }

    @Test
    void eachOpenIdHasExactlyTheRightOwnerForAborting() {
        TransactionIds own0 = new TransactionIds("p", 20, 0);
        TransactionIds own1 = new TransactionIds("p", 20, 1);
        ConfluentWriterState restored0 = new ConfluentWriterState("p", 10, 0, List.of());
        ConfluentWriterState restored1 = new ConfluentWriterState("p", 10, 1, List.of());
        List<String> open =
                List.of(
                        "p-20-0-0", // subtask 0's own pool in this run
                        "p-20-1-0", // subtask 1's own pool
                        "p-20-5-0", // this generation, beyond the parallelism of 2
                        "p-10-0-1", // restored pool of old subtask 0
                        "p-10-1-0", // restored pool of old subtask 1
                        "p-15-0-0", // a run after the restored checkpoint
                        "p-3-0-0", // older than the restored run: pre-committed, keep
                        "q-20-0-0"); // another prefix

        assertThat(LingeringTransactions.lingering(open, own0, 2, List.of(restored0)))
                .containsExactlyInAnyOrder("p-20-0-0", "p-20-5-0", "p-10-0-1", "p-15-0-0");
        assertThat(LingeringTransactions.lingering(open, own1, 2, List.of(restored1)))
                .containsExactlyInAnyOrder("p-20-1-0", "p-10-1-0");
        assertThat(LingeringTransactions.lingering(open, own0, 2, List.of()))
                .as(
                        "a restore without writer state: nothing of earlier generations is known"
                                + " to be lingering, so it is left to the broker's timeout")
                .containsExactlyInAnyOrder("p-20-0-0", "p-20-5-0");
    }

    @Test
    void aFreshStartAbortsItsIndexInEveryGenerationAndLeavesOtherSubtasksToThemselves() {
        TransactionIds own0 = new TransactionIds("p", 0, 0);
        TransactionIds own1 = new TransactionIds("p", 0, 1);
        List<String> open =
                List.of("p-0-0-0", "p-0-1-0", "p-0-3-0", "p-7-0-0", "p-7-1-0", "p-7-3-0");

        assertThat(LingeringTransactions.lingering(open, own0, 2, List.of()))
                .containsExactlyInAnyOrder("p-0-0-0", "p-0-3-0", "p-7-0-0", "p-7-3-0");
        assertThat(LingeringTransactions.lingering(open, own1, 2, List.of()))
                .containsExactlyInAnyOrder("p-0-1-0", "p-7-1-0");
    }

    @Test
    void aRegionFailoverNeverAbortsTheIdsOfSubtasksThatRunOn() {
        // Fault campaign seed 20261511: subtask 1 restarted alone from checkpoint 3 (generation
        // 3) and ran on; later subtask 0 restarted alone from checkpoint 7, restoring its own
        // state of generation 0. Subtask 1's transactions, open or pre-committed, are its own.
        TransactionIds own0 = new TransactionIds("p", 7, 0);
        ConfluentWriterState restored0 = new ConfluentWriterState("p", 0, 0, List.of());
        List<String> open = List.of("p-3-1-0", "p-3-1-1", "p-0-0-0", "p-7-0-0", "p-5-0-0");

        assertThat(LingeringTransactions.lingering(open, own0, 2, List.of(restored0)))
                .containsExactlyInAnyOrder("p-0-0-0", "p-7-0-0", "p-5-0-0");
    }

    @Test
    void afterARescaleAnotherSubtasksRestoredPoolIsNeverSwept() {
        // Old subtask 3 (generation 15, restarted alone earlier) holds a pre-committed
        // transaction; at parallelism 2 its state goes to new subtask 1, not to subtask 0.
        TransactionIds own0 = new TransactionIds("p", 20, 0);
        ConfluentWriterState old0 = new ConfluentWriterState("p", 10, 0, List.of());
        ConfluentWriterState old2 = new ConfluentWriterState("p", 10, 2, List.of());
        List<String> open = List.of("p-15-3-0", "p-25-3-0");

        assertThat(LingeringTransactions.lingering(open, own0, 2, List.of(old0, old2)))
                .as("only the later run's id beyond the parallelism")
                .containsExactly("p-25-3-0");
    }

    @Test
    void aPartitionHoldsACommittedTransactionOpenOnlyFromItsFirstOffsetOrEarlier() {
        List<ProducerState> active =
                List.of(
                        new ProducerState(9L, 0, 3, 0L, OptionalInt.empty(), OptionalLong.of(40)),
                        new ProducerState(5L, 4, 7, 0L, OptionalInt.empty(), OptionalLong.of(12)),
                        new ProducerState(6L, 1, 2, 0L, OptionalInt.empty(), OptionalLong.empty()));
        assertThat(HangingTransactions.openTransactionStart(active, 5L)).hasValue(12);
        assertThat(HangingTransactions.openTransactionStart(active, 6L)).isEmpty();
        assertThat(HangingTransactions.openTransactionStart(active, 7L)).isEmpty();

        // The transaction's first record there was at 12 (or later): still open.
        assertThat(HangingTransactions.verdict(OptionalLong.of(12), 12))
                .isEqualTo(HangingTransactions.PartitionVerdict.HANGING);
        assertThat(HangingTransactions.verdict(OptionalLong.of(12), 30))
                .isEqualTo(HangingTransactions.PartitionVerdict.HANGING);
        // A later transaction of the same producer, begun after this one's records: closed.
        assertThat(HangingTransactions.verdict(OptionalLong.of(31), 30))
                .isEqualTo(HangingTransactions.PartitionVerdict.CLOSED);
        assertThat(HangingTransactions.verdict(OptionalLong.empty(), 30))
                .isEqualTo(HangingTransactions.PartitionVerdict.CLOSED);
    }

    @Test
    void partitionsAreAskedOnlyOnceTheCoordinatorHasWrittenItsMarkers() {
        assertThat(HangingTransactions.markersWritten(TransactionState.PREPARE_COMMIT)).isFalse();
        assertThat(HangingTransactions.markersWritten(TransactionState.PREPARE_ABORT)).isFalse();
        assertThat(HangingTransactions.markersWritten(TransactionState.PREPARE_EPOCH_FENCE))
                .isFalse();
        assertThat(HangingTransactions.markersWritten(TransactionState.UNKNOWN)).isFalse();
        assertThat(HangingTransactions.markersWritten(TransactionState.COMPLETE_COMMIT)).isTrue();
        assertThat(HangingTransactions.markersWritten(TransactionState.ONGOING)).isTrue();
        assertThat(HangingTransactions.markersWritten(TransactionState.EMPTY)).isTrue();
    }
}
