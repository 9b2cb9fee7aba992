package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersOptions;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.admin.DescribeTransactionsOptions;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Checks, after a commit, that every partition a transaction wrote to really saw it end.
 *
 * <p>Why: a Kafka 4.4 coordinator that sends commit markers while a partition has no leader (a
 * single broker just restarted, or the partition's only replica is down) takes the partition for
 * deleted, skips its marker and reports the transaction committed. The partition then keeps the
 * transaction open for ever: {@code read_committed} consumers stop before its first record, so its
 * records — and everything written to the partition after them — stay invisible, while the
 * coordinator, and so the sink, believe the commit succeeded. Only the partition leader knows
 * (KIP-664's {@code DescribeProducers}).
 *
 * <p>The check is exact, not a timeout: once the coordinator has left {@code PrepareCommit} for the
 * transactional id, every marker it meant to write is on its partition; a partition that then still
 * lists the transaction's producer id with an open transaction starting at or before the
 * transaction's first offset there holds this transaction open (a later transaction of the same
 * producer can only start after this one's last record). While the coordinator is still writing
 * markers, or a partition has no leader, the transaction stays on the list and is asked about again
 * — within {@code settle} and at the next commit.
 *
 * <p>Missing permissions (DescribeProducers needs Read on the topic) or an old broker turn the
 * check off with one WARN saying what is not verified: never a failed job for a check that cannot
 * run.
 *
 * <p>Not thread-safe: {@link Committing} calls it from one thread of its own, off the task thread.
 */
@Internal
public final class HangingTransactions {

    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactions.class);

    /** Per request, so that a check ends within about {@code settle} plus this. */
    private static final int REQUEST_TIMEOUT_MS = 5_000;

    /** Transactions awaiting a check beyond this are dropped, oldest first, with a WARN. */
    private static final int MAX_UNVERIFIED = 1_000;

    private static final long FIRST_BACKOFF_MS = 10;
    private static final long MAX_BACKOFF_MS = 500;

    /**
     * A partition that a transaction its coordinator has ended still holds open, so that {@code
     * read_committed} readers stop before {@code committable}'s records there.
     *
     * @param committable the committed transaction whose records the partition hides
     * @param blockingId {@code null} when the partition holds {@code committable} itself open; else
     *     the transactional id (of this sink) of an earlier transaction, ended (typically aborted
     *     when a restart took its id over) without its marker on this partition
     * @param blockingProducerId the producer id of the open transaction on the partition
     */
    public record Hanging(
            ConfluentCommittable committable,
            TopicPartition partition,
            long openSince,
            String coordinatorState,
            @Nullable String blockingId,
            long blockingProducerId) {}

    /** What one partition's producer list says about one committed transaction. */
    @VisibleForTesting
    enum PartitionVerdict {
        CLOSED,
        HANGING
    }

    private final Supplier<Admin> admin;
    private final List<ConfluentCommittable> unverified = new ArrayList<>();
    @Nullable private String disabledBecause;

    public HangingTransactions(Supplier<Admin> admin) {
        this.admin = admin;
    }

    /** Queues a transaction its coordinator reports committed for the check. */
    public void committed(ConfluentCommittable committable) {
        if (disabledBecause != null || committable.firstOffsets().isEmpty()) {
            return;
        }
        unverified.add(committable);
        if (unverified.size() > MAX_UNVERIFIED) {
            ConfluentCommittable dropped = unverified.remove(0);
            LOG.warn(
                    "Not checking whether {} was committed on every partition: more than {}"
                            + " transactions wait for a check (the partition leaders did not"
                            + " answer).",
                    dropped.describe(),
                    MAX_UNVERIFIED);
        }
    }

    /**
     * Transactions whose check is still to come (markers in flight, a partition without leader).
     */
    public int unverified() {
        return unverified.size();
    }

    /**
     * Checks the queued transactions, asking again with backoff for up to {@code settle} while some
     * cannot be decided yet; those stay queued for the next call.
     *
     * @return the transactions found hanging, each once (they leave the queue)
     */
    public List<Hanging> check(Duration settle) throws InterruptedException {
        List<Hanging> found = new ArrayList<>();
        long deadline = System.nanoTime() + settle.toNanos();
        long backoff = FIRST_BACKOFF_MS;
        while (disabledBecause == null && !unverified.isEmpty()) {
            found.addAll(checkOnce());
            if (unverified.isEmpty() || System.nanoTime() + backoff * 1_000_000 > deadline) {
                break;
            }
            Thread.sleep(backoff);
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
        if (!unverified.isEmpty() && disabledBecause == null) {
            LOG.info(
                    "{} committed transaction(s) could not be checked for partitions left open yet"
                            + " (markers in flight or a partition without leader); checking again"
                            + " at the next commit.",
                    unverified.size());
        }
        return found;
    }

    private List<Hanging> checkOnce() throws InterruptedException {
        Map<String, String> settled = coordinatorStates();
        if (disabledBecause != null) {
            unverified.clear();
            return List.of();
        }
        Set<TopicPartition> partitions = new HashSet<>();
        for (ConfluentCommittable committable : unverified) {
            if (settled.containsKey(committable.transactionalId())) {
                partitions.addAll(committable.firstOffsets().keySet());
            }
        }
        if (partitions.isEmpty()) {
            return List.of();
        }
        DescribeProducersResult producers =
                admin.get()
                        .describeProducers(
                                partitions,
                                new DescribeProducersOptions().timeoutMs(REQUEST_TIMEOUT_MS));
        Map<TopicPartition, List<ProducerState>> answers = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            List<ProducerState> active = activeProducers(producers.partitionResult(partition));
            if (disabledBecause != null) {
                unverified.clear();
                return List.of();
            }
            if (active != null) {
                answers.put(partition, active);
            }
        }
        List<Hanging> found = new ArrayList<>();
        for (Iterator<ConfluentCommittable> it = unverified.iterator(); it.hasNext(); ) {
            ConfluentCommittable committable = it.next();
            String state = settled.get(committable.transactionalId());
            if (state == null) {
                continue;
            }
            boolean decided = true;
            for (Map.Entry<TopicPartition, Long> first : committable.firstOffsets().entrySet()) {
                List<ProducerState> active = answers.get(first.getKey());
                if (active == null) {
                    decided = false;
                    continue;
                }
                OptionalLong open = openTransactionStart(active, committable.producerId());
                if (verdict(open, first.getValue()) == PartitionVerdict.HANGING) {
                    found.add(
                            new Hanging(
                                    committable,
                                    first.getKey(),
                                    open.getAsLong(),
                                    state,
                                    null,
                                    committable.producerId()));
                    continue;
                }
                for (ProducerState other : active) {
                    OptionalLong since = other.currentTransactionStartOffset();
                    if (other.producerId() != committable.producerId()
                            && since.isPresent()
                            && since.getAsLong() < first.getValue()) {
                        Hanging blocking =
                                endedTransactionOfThisSink(
                                        committable, first.getKey(), other, since.getAsLong());
                        if (blocking != null) {
                            found.add(blocking);
                        }
                    }
                }
            }
            if (decided) {
                it.remove();
            }
        }
        return found;
    }

    /**
     * An earlier open transaction on the partition, of another producer: in flight (another
     * subtask's current transaction, legitimately ahead of this one) or hanging. It is reported
     * only when it is provably both: its transactional id belongs to this sink (same prefix), its
     * coordinator has ended it (no transaction of that producer in progress), and the partition
     * still shows it open from the same offset after the coordinator answered - a marker in flight
     * when the partition was first asked has landed by then.
     */
    @Nullable
    private Hanging endedTransactionOfThisSink(
            ConfluentCommittable committable,
            TopicPartition partition,
            ProducerState open,
            long openSince)
            throws InterruptedException {
        Optional<TransactionIds.Parsed> ours = TransactionIds.parse(committable.transactionalId());
        if (ours.isEmpty()) {
            return null;
        }
        try {
            Collection<TransactionListing> listings =
                    admin.get()
                            .listTransactions(
                                    new ListTransactionsOptions()
                                            .filterProducerIds(Set.of(open.producerId()))
                                            .timeoutMs(REQUEST_TIMEOUT_MS))
                            .all()
                            .get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            for (TransactionListing listing : listings) {
                Optional<TransactionIds.Parsed> theirs =
                        TransactionIds.parse(listing.transactionalId());
                if (theirs.isEmpty() || !theirs.get().prefix().equals(ours.get().prefix())) {
                    continue;
                }
                TransactionDescription description =
                        admin.get()
                                .describeTransactions(
                                        List.of(listing.transactionalId()),
                                        new DescribeTransactionsOptions()
                                                .timeoutMs(REQUEST_TIMEOUT_MS))
                                .description(listing.transactionalId())
                                .get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS);
                boolean inProgress =
                        description.producerId() == open.producerId()
                                && (description.state() == TransactionState.ONGOING
                                        || !markersWritten(description.state()));
                if (inProgress) {
                    return null;
                }
                List<ProducerState> again =
                        activeProducers(
                                admin.get()
                                        .describeProducers(
                                                List.of(partition),
                                                new DescribeProducersOptions()
                                                        .timeoutMs(REQUEST_TIMEOUT_MS))
                                        .partitionResult(partition));
                if (again == null
                        || openTransactionStart(again, open.producerId()).orElse(-1) != openSince) {
                    return null;
                }
                return new Hanging(
                        committable,
                        partition,
                        openSince,
                        description.state().toString(),
                        listing.transactionalId(),
                        open.producerId());
            }
        } catch (ExecutionException e) {
            LOG.debug("Could not identify producer {} on {}", open.producerId(), partition, e);
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.debug("Could not identify producer {} on {} in time", open.producerId(), partition);
        }
        return null;
    }

    /**
     * The coordinator state of each queued transactional id whose coordinator has finished writing
     * markers ({@code null} for an id the coordinator no longer knows: long finished).
     */
    private Map<String, String> coordinatorStates() throws InterruptedException {
        Set<String> ids = new HashSet<>();
        for (ConfluentCommittable committable : unverified) {
            ids.add(committable.transactionalId());
        }
        DescribeTransactionsResult described =
                admin.get()
                        .describeTransactions(
                                ids,
                                new DescribeTransactionsOptions().timeoutMs(REQUEST_TIMEOUT_MS));
        Map<String, KafkaFuture<TransactionDescription>> answers = new LinkedHashMap<>();
        for (String id : ids) {
            answers.put(id, described.description(id));
        }
        Map<String, String> settled = new LinkedHashMap<>();
        for (Map.Entry<String, KafkaFuture<TransactionDescription>> answer : answers.entrySet()) {
            try {
                TransactionState state =
                        answer.getValue().get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS).state();
                if (markersWritten(state)) {
                    settled.put(answer.getKey(), state.toString());
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TransactionalIdNotFoundException) {
                    settled.put(answer.getKey(), "transactional id no longer known");
                } else if (!disableIfRefused(e.getCause(), "DescribeTransactions")) {
                    LOG.debug("Coordinator of '{}' did not answer yet", answer.getKey(), e);
                }
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.debug("Coordinator of '{}' did not answer in time", answer.getKey());
            }
        }
        return settled;
    }

    @Nullable
    private List<ProducerState> activeProducers(
            KafkaFuture<DescribeProducersResult.PartitionProducerState> answer)
            throws InterruptedException {
        try {
            return answer.get(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS).activeProducers();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return List.of(); // deleted: nothing left to block a reader
            }
            if (!disableIfRefused(e.getCause(), "DescribeProducers")) {
                LOG.debug("A partition leader did not answer yet", e);
            }
            return null;
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    /** Whether the coordinator has written, or given up writing, every marker of its last end. */
    @VisibleForTesting
    static boolean markersWritten(TransactionState state) {
        switch (state) {
            case PREPARE_COMMIT:
            case PREPARE_ABORT:
            case PREPARE_EPOCH_FENCE:
            case UNKNOWN:
                return false;
            default:
                return true;
        }
    }

    /** Where an open transaction of {@code producerId} starts on a partition, if it has one. */
    @VisibleForTesting
    static OptionalLong openTransactionStart(List<ProducerState> active, long producerId) {
        for (ProducerState producer : active) {
            if (producer.producerId() == producerId) {
                return producer.currentTransactionStartOffset();
            }
        }
        return OptionalLong.empty();
    }

    /**
     * A committed transaction whose first record on a partition is at {@code firstOffset} is still
     * open there when its producer's open transaction starts at or before that offset; a later
     * transaction of the producer starts after this one's records.
     */
    @VisibleForTesting
    static PartitionVerdict verdict(OptionalLong openSince, long firstOffset) {
        return openSince.isPresent() && openSince.getAsLong() <= firstOffset
                ? PartitionVerdict.HANGING
                : PartitionVerdict.CLOSED;
    }

    private boolean disableIfRefused(Throwable cause, String api) {
        if (cause instanceof AuthorizationException
                || cause instanceof UnsupportedVersionException) {
            disabledBecause = api + " refused: " + cause.getMessage();
            LOG.warn(
                    "Not checking that committed transactions are closed on every partition they"
                        + " wrote to: the brokers refused {} ({}). A Kafka broker can leave a"
                        + " committed transaction open on a partition that had no leader while it"
                        + " committed; read_committed consumers then stop there, unnoticed by this"
                        + " job. To enable the check, grant the sink's principal Describe on its"
                        + " transactional ids and Read on the topic.",
                    api,
                    cause.getClass().getSimpleName());
            return true;
        }
        return false;
    }
}
