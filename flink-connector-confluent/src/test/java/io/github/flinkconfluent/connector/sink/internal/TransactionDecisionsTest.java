package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.connector.sink.internal.TransactionInspector.Outcome;

import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The decision tables of the sink's recovery, without a broker. */
class TransactionDecisionsTest {

    private static final ConfluentCommittable TX =
            new ConfluentCommittable("p-0-1-0", 5L, (short) 3, true, 10L);

    @Test
    void idsParseBackEvenWithDashesInThePrefix() {
        TransactionIds ids = new TransactionIds("flink-confluent-abc", 17, 2);
        assertThat(TransactionIds.parse(ids.id(4)))
                .contains(new TransactionIds.Parsed("flink-confluent-abc", 17, 2, 4));
        assertThat(TransactionIds.parse("not-ours")).isEmpty();
        assertThat(TransactionIds.parse("x-1-2-three")).isEmpty();
    }

    @Test
    void outcomesFollowTheMarkerNotTheEpochArithmetic() {
        CommitMarker own = new CommitMarker(5L, (short) 3);
        CommitMarker later = new CommitMarker(5L, (short) 6);
        CommitMarker earlier = new CommitMarker(5L, (short) 1);

        assertThat(TransactionInspector.classify(TX, TransactionState.ONGOING, 5L, (short) 3, null))
                .isEqualTo(Outcome.OPEN);
        assertThat(
                        TransactionInspector.classify(
                                TX, TransactionState.COMPLETE_COMMIT, 5L, (short) 4, own))
                .isEqualTo(Outcome.COMMITTED);
        assertThat(
                        TransactionInspector.classify(
                                TX, TransactionState.ONGOING, 5L, (short) 6, later))
                .as("a later transaction on the id")
                .isEqualTo(Outcome.SUPERSEDED);
        assertThat(
                        TransactionInspector.classify(
                                TX, TransactionState.COMPLETE_ABORT, 5L, (short) 4, earlier))
                .isEqualTo(Outcome.ABORTED);
        assertThat(TransactionInspector.classify(TX, TransactionState.EMPTY, 5L, (short) 5, null))
                .as("fenced by initTransactions: no marker, not open")
                .isEqualTo(Outcome.ABORTED);
        assertThat(
                        TransactionInspector.classify(
                                TX, TransactionState.PREPARE_COMMIT, 5L, (short) 3, earlier))
                .isEqualTo(Outcome.IN_FLUX);
        assertThat(TransactionInspector.classify(TX, null, -1L, (short) -1, null))
                .isEqualTo(Outcome.NOT_FOUND);
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
                .as("a start without state: every generation of the prefix")
                .containsExactlyInAnyOrder(
                        "p-20-0-0", "p-20-5-0", "p-10-0-1", "p-10-1-0", "p-15-0-0", "p-3-0-0");
    }
}
