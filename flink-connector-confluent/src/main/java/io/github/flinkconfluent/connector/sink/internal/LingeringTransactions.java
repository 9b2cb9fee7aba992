package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import org.apache.kafka.clients.admin.TransactionListing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Aborts the transactions that earlier runs of this sink left open, when a writer starts.
 *
 * <p>An open transaction pins the partition's last stable offset, so {@code read_committed} readers
 * stall behind it until the broker times it out. Which open transactions are lingering (abort) and
 * which are pre-committed in the restored checkpoint (leave to the committer) follows from the id
 * scheme of {@link TransactionIds}:
 *
 * <ul>
 *   <li>this writer's own id pool (this run's generation): everything open is lingering — nobody
 *       else uses these ids, and this run has pre-committed nothing yet;
 *   <li>the pool of each restored writer state: everything open except the pre-committed
 *       transactions the state lists (at exactly their epoch);
 *   <li>subtask 0 also takes the ids no live writer and no restored state owns: later generations
 *       of the restored prefix (runs after the checkpoint), this generation's subtasks beyond the
 *       current parallelism, and, on a start without state, every generation of the prefix. Older
 *       generations than the restored one are left alone: their run aborted its lingering ones when
 *       it started, so what is open there is pre-committed.
 * </ul>
 *
 * <p>Each abort is Kafka's own: {@code initTransactions()} on the id, which fences the old producer
 * and aborts its transaction.
 */
@Internal
final class LingeringTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(LingeringTransactions.class);

    private LingeringTransactions() {}

    static void abort(
            Map<String, String> kafkaProperties,
            TransactionIds own,
            int parallelism,
            Collection<ConfluentWriterState> restored)
            throws Exception {
        try (TransactionInspector inspector = new TransactionInspector(kafkaProperties)) {
            Set<String> prefixes = new HashSet<>();
            prefixes.add(own.prefix());
            restored.forEach(s -> prefixes.add(s.prefix()));
            Map<String, ConfluentCommittable> pending = new HashMap<>();
            restored.forEach(s -> s.pending().forEach(c -> pending.put(c.transactionalId(), c)));
            Long restoredGeneration =
                    restored.stream()
                            .map(ConfluentWriterState::generation)
                            .max(Long::compare)
                            .orElse(null);
            for (String prefix : prefixes) {
                for (TransactionListing open : inspector.ongoing(prefix)) {
                    String id = open.transactionalId();
                    TransactionIds.Parsed parsed = TransactionIds.parse(id).orElse(null);
                    if (parsed == null || !parsed.prefix().equals(prefix)) {
                        continue;
                    }
                    boolean lingering =
                            isLingering(parsed, own, parallelism, restored, restoredGeneration);
                    ConfluentCommittable preCommitted = pending.get(id);
                    if (lingering
                            && preCommitted != null
                            && inspector.outcome(preCommitted).outcome()
                                    == TransactionInspector.Outcome.OPEN) {
                        continue; // pre-committed in the checkpoint: the committer's
                    }
                    if (lingering) {
                        abortOne(kafkaProperties, id);
                    }
                }
            }
        }
    }

    /** Whether this writer is the one to abort open transactions on {@code id}. */
    @VisibleForTesting
    static boolean isLingering(
            TransactionIds.Parsed id,
            TransactionIds own,
            int parallelism,
            Collection<ConfluentWriterState> restored,
            Long restoredGeneration) {
        if (!id.prefix().equals(own.prefix())
                && restored.stream().noneMatch(s -> s.prefix().equals(id.prefix()))) {
            return false; // another sink's, or another job's
        }
        boolean currentRun =
                id.prefix().equals(own.prefix()) && id.generation() == own.generation();
        if (currentRun && id.subtask() == own.subtask()) {
            return true; // own pool
        }
        for (ConfluentWriterState state : restored) {
            if (id.prefix().equals(state.prefix())
                    && id.generation() == state.generation()
                    && id.subtask() == state.subtask()) {
                return true; // a restored pool this writer received
            }
        }
        if (own.subtask() != 0) {
            return false;
        }
        if (currentRun) {
            return id.subtask() >= parallelism;
        }
        if (restoredGeneration == null) {
            return true; // no state anywhere: nothing open can be pre-committed
        }
        return id.generation() > restoredGeneration;
    }

    private static void abortOne(Map<String, String> kafkaProperties, String transactionalId) {
        LOG.info("Aborting lingering transaction {}", transactionalId);
        TransactionalProducer producer =
                new TransactionalProducer(kafkaProperties, transactionalId);
        try {
            producer.initTransactions();
        } finally {
            producer.closeQuietly();
        }
    }

    /** For tests: the ids {@link #abort} would consider, given what is open. */
    @VisibleForTesting
    static List<String> lingering(
            List<String> open,
            TransactionIds own,
            int parallelism,
            Collection<ConfluentWriterState> restored) {
        Long restoredGeneration =
                restored.stream()
                        .map(ConfluentWriterState::generation)
                        .max(Long::compare)
                        .orElse(null);
        return open.stream()
                .filter(
                        id ->
                                TransactionIds.parse(id)
                                        .map(
                                                p ->
                                                        isLingering(
                                                                p,
                                                                own,
                                                                parallelism,
                                                                restored,
                                                                restoredGeneration))
                                        .orElse(false))
                .toList();
    }
}
