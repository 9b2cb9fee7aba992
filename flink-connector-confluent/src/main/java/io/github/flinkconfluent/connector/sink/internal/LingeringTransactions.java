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
 *   <li>this writer's subtask index in later generations than its restored state's (runs of this
 *       subtask after the checkpoint, or after it in an abandoned history: dead, as this subtask is
 *       starting);
 *   <li>generations later than the checkpoint this run restored (the own generation): runs that
 *       started from a later checkpoint, so no longer running. Each subtask takes its own index;
 *       subtask 0 also the indices beyond the current parallelism, and this generation's ids beyond
 *       the parallelism.
 * </ul>
 *
 * <p>Nothing else is touched. In particular, with Flink's region failover a subtask restarts alone
 * while the others run on in the generations of their own restarts (at most the checkpoint this one
 * restores, as a restart restores the latest): their ids — open transactions they are writing, and
 * pre-committed ones awaiting their commit — are theirs. (Sweeping "every generation later than the
 * restored state" once aborted such a pre-committed transaction, found by the fault campaign, seed
 * 20261511.) An id that no rule gives to anyone stays open until the broker's transaction timeout
 * aborts it: a stall, never the abort of a pre-committed transaction.
 *
 * <p>Each abort is Kafka's own: {@code initTransactions()} on the id, which fences the old producer
 * and aborts its transaction.
 */
@Internal
final class LingeringTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(LingeringTransactions.class);

    private LingeringTransactions() {}

    /**
     * @param inspector the writer's own, kept open for its commit markers afterwards (one admin
     *     client per writer: each new one costs a metadata round trip at the job's start)
     */
    static void abort(
            TransactionInspector inspector,
            Map<String, String> kafkaProperties,
            TransactionIds own,
            int parallelism,
            Collection<ConfluentWriterState> restored)
            throws Exception {
        Set<String> prefixes = new HashSet<>();
        prefixes.add(own.prefix());
        restored.forEach(s -> prefixes.add(s.prefix()));
        Map<String, ConfluentCommittable> pending = new HashMap<>();
        restored.forEach(s -> s.pending().forEach(c -> pending.put(c.transactionalId(), c)));
        for (String prefix : prefixes) {
            for (TransactionListing open : inspector.ongoing(prefix)) {
                String id = open.transactionalId();
                TransactionIds.Parsed parsed = TransactionIds.parse(id).orElse(null);
                if (parsed == null || !parsed.prefix().equals(prefix)) {
                    continue;
                }
                boolean lingering = isLingering(parsed, own, parallelism, restored);
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

    /** Whether this writer is the one to abort open transactions on {@code id}. */
    @VisibleForTesting
    static boolean isLingering(
            TransactionIds.Parsed id,
            TransactionIds own,
            int parallelism,
            Collection<ConfluentWriterState> restored) {
        if (!id.prefix().equals(own.prefix())
                && restored.stream().noneMatch(s -> s.prefix().equals(id.prefix()))) {
            return false; // another sink's, or another job's
        }
        boolean ownIndex = id.subtask() == own.subtask();
        if (id.prefix().equals(own.prefix()) && id.generation() == own.generation()) {
            if (ownIndex) {
                return true; // own pool
            }
            if (own.subtask() == 0 && id.subtask() >= parallelism) {
                return true; // this run, beyond the parallelism: no writer has it
            }
        }
        for (ConfluentWriterState state : restored) {
            if (!id.prefix().equals(state.prefix())) {
                continue;
            }
            if (id.generation() == state.generation() && id.subtask() == state.subtask()) {
                return true; // a restored pool this writer received
            }
            if (ownIndex
                    && state.subtask() == own.subtask()
                    && id.generation() > state.generation()) {
                return true; // this subtask's runs after its restored state
            }
        }
        if (id.generation() > own.generation()) {
            // Runs started from a later checkpoint than this run restored: all gone.
            return ownIndex || (own.subtask() == 0 && id.subtask() >= parallelism);
        }
        return false;
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
        return open.stream()
                .filter(
                        id ->
                                TransactionIds.parse(id)
                                        .map(p -> isLingering(p, own, parallelism, restored))
                                        .orElse(false))
                .toList();
    }
}
