package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.connector.UnrecoverableException;
import io.github.flinkconfluent.connector.options.LostTransactionPolicy;
import io.github.flinkconfluent.connector.profile.KafkaConnectionFailures;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Commits the transactions of completed checkpoints.
 *
 * <p>Each transaction is committed by the live producer that ran it when this process has it
 * ({@link ProducerHandover}); otherwise the coordinator and the commit marker are asked what became
 * of it ({@link TransactionInspector}) and an open one is resumed and committed ({@link
 * TransactionalProducer#resume}). Committing again after a restore is recognised as done.
 *
 * <p>A transaction that can no longer be committed — aborted by the broker, or with an outcome that
 * cannot be proven — is never skipped silently: by default it fails the job with an {@link
 * UnrecoverableException} (a restart from the same checkpoint would meet the same transaction
 * again), naming the transaction, the checkpoint and the cause ({@code sink.on_lost_transaction}).
 *
 * <p>Why this does not use {@code signalFailedWithKnownReason} or {@code retryLater}: in Flink 2.3
 * the first only marks the request failed and counts it — the job goes on without the data — and
 * the second retries at once, in a busy loop, up to {@code sink.committer.retries}. So waiting for
 * an unavailable coordinator happens here, with backoff and a deadline, and failures throw.
 */
@Internal
public final class Committing implements Committer<ConfluentCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(Committing.class);

    /** How long one commit waits, with backoff, for an unavailable coordinator before failing. */
    private static final Duration RETRY_DEADLINE = Duration.ofMinutes(2);

    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 5_000;

    private final Map<String, String> kafkaProperties;
    private final String topic;
    private final LostTransactionPolicy onLost;
    private final Counter lostTransactions;
    private TransactionInspector inspector;

    /** Touched only on {@link #checks}' thread. */
    private final HangingTransactions hanging = new HangingTransactions(() -> inspector().admin());

    /**
     * How long a check waits for a coordinator to finish writing markers before asking the
     * partitions (milliseconds, normally); what is undecided then is checked with the next commit.
     * Also how long {@link #close()} waits for the last check.
     */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    /**
     * Runs the {@link HangingTransactions} checks off the task thread. Why: the check asks the
     * coordinator and every partition's leader, and waits for the markers; on the task thread that
     * held up writing at every checkpoint (about 20 ms of a 200 ms checkpoint interval, measured,
     * docs/benchmarks.md). What a check finds fails the job at the next commit, or at {@link
     * #close()}, which waits for the last check.
     */
    private final ExecutorService checks = BackgroundThreads.single("confluent-sink-commit-check");

    /** Committed transactions not yet handed to {@link #hanging}; guarded by itself. */
    private final List<ConfluentCommittable> toCheck = new ArrayList<>();

    /** Whether a check task is queued or running; guarded by {@link #toCheck}. */
    private boolean checkScheduled;

    /** How many committed transactions the last check left undecided. */
    private volatile int unverified;

    /** What the checks found, reported on the task thread. */
    private final Queue<HangingTransactions.Hanging> found = new ConcurrentLinkedQueue<>();

    public Committing(
            Map<String, String> kafkaProperties,
            String topic,
            LostTransactionPolicy onLost,
            Counter lostTransactions) {
        this.kafkaProperties = kafkaProperties;
        this.topic = topic;
        this.onLost = onLost;
        this.lostTransactions = lostTransactions;
    }

    @Override
    public void commit(Collection<CommitRequest<ConfluentCommittable>> requests)
            throws InterruptedException {
        reportHanging();
        List<ConfluentCommittable> committed = new ArrayList<>();
        for (CommitRequest<ConfluentCommittable> request : requests) {
            ConfluentCommittable committable = request.getCommittable();
            try {
                commitWithBackoff(committable);
                committed.add(committable);
            } catch (LostTransaction lost) {
                if (onLost == LostTransactionPolicy.FAIL) {
                    throw new UnrecoverableException(lost.getMessage());
                }
                lostTransactions.inc();
                LOG.error(
                        "{} Continuing because 'sink.on_lost_transaction' = 'continue'.",
                        lost.getMessage());
                request.signalAlreadyCommitted();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                request.signalFailedWithUnknownReason(
                        KafkaConnectionFailures.explain(
                                        e, kafkaProperties, "commit " + committable.describe())
                                .<Exception>map(u -> u)
                                .orElse(e));
            }
        }
        scheduleCheck(committed);
    }

    /** Hands committed transactions to the background check, starting one if none is due. */
    private void scheduleCheck(List<ConfluentCommittable> committed) {
        synchronized (toCheck) {
            toCheck.addAll(committed);
            if (checkScheduled || (toCheck.isEmpty() && unverified == 0)) {
                return;
            }
            checkScheduled = true;
        }
        try {
            checks.execute(this::runChecks);
        } catch (RejectedExecutionException e) {
            synchronized (toCheck) {
                checkScheduled = false; // closed
            }
        }
    }

    /** On {@link #checks}' thread: checks until no committed transaction waits for a check. */
    private void runChecks() {
        boolean drained = false;
        try {
            while (!drained) {
                List<ConfluentCommittable> batch;
                synchronized (toCheck) {
                    batch = new ArrayList<>(toCheck);
                    toCheck.clear();
                }
                batch.forEach(hanging::committed);
                found.addAll(hanging.check(SETTLE));
                unverified = hanging.unverified();
                synchronized (toCheck) {
                    // What is still undecided is asked about again after the next commit.
                    drained = toCheck.isEmpty();
                    checkScheduled = !drained;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("The check for partitions left open after a commit failed", e);
        } finally {
            if (!drained) {
                synchronized (toCheck) {
                    checkScheduled = false;
                }
            }
        }
    }

    /**
     * Fails (or, with {@code 'continue'}, reports) committed transactions that the checks found a
     * partition still holding open: see {@link HangingTransactions}.
     */
    private void reportHanging() {
        List<HangingTransactions.Hanging> hangingNow = new ArrayList<>();
        for (HangingTransactions.Hanging h = found.poll(); h != null; h = found.poll()) {
            hangingNow.add(h);
        }
        if (hangingNow.isEmpty()) {
            return;
        }
        String message =
                hangingNow.stream()
                        .map(Committing::hangingMessage)
                        .collect(Collectors.joining(" "));
        if (onLost == LostTransactionPolicy.FAIL) {
            throw new UnrecoverableException(message);
        }
        lostTransactions.inc(hangingNow.size());
        LOG.error("{} Continuing because 'sink.on_lost_transaction' = 'continue'.", message);
    }

    /** Commits, waiting with backoff while the brokers answer with retriable errors. */
    private void commitWithBackoff(ConfluentCommittable committable) throws Exception {
        long deadline = System.nanoTime() + RETRY_DEADLINE.toNanos();
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            try {
                if (!commitLive(committable)) {
                    commitFromCheckpoint(committable);
                }
                return;
            } catch (Exception e) {
                if (!isRetriable(e) || System.nanoTime() + backoff * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.info(
                        "Commit of {} waits {} ms for the brokers: {}",
                        committable.describe(),
                        backoff,
                        e.toString());
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    private static boolean isRetriable(Exception e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        return cause instanceof RetriableException || cause instanceof TimeoutException;
    }

    private static boolean commitLive(ConfluentCommittable committable) {
        try {
            return ProducerHandover.commitIfLive(committable);
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            return false; // ask the coordinator what happened
        } catch (RuntimeException e) {
            if (e instanceof RetriableException) {
                throw e;
            }
            LOG.info("The live producer could not commit {}", committable.describe(), e);
            return false;
        }
    }

    private void commitFromCheckpoint(ConfluentCommittable committable) throws Exception {
        TransactionInspector.Finding finding = inspector().outcome(committable);
        switch (finding.outcome()) {
            case OPEN:
                resumeAndCommit(committable);
                break;
            case COMMITTED:
                LOG.info(
                        "{} was already committed: {}", committable.describe(), finding.evidence());
                break;
            case ABORTED:
                throw new LostTransaction(
                        lostMessage(committable, topic, kafkaProperties, finding));
            default:
                throw new LostTransaction(unknownMessage(committable, topic, finding));
        }
    }

    private void resumeAndCommit(ConfluentCommittable committable) throws Exception {
        TransactionalProducer producer =
                new TransactionalProducer(kafkaProperties, committable.transactionalId());
        try {
            producer.resume(
                    committable.producerId(), committable.epoch(), committable.transactionV2());
            producer.commitTransaction();
            LOG.info("Committed {} after a restart", committable.describe());
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            // The broker aborted it meanwhile, or another committer finished it: ask again.
            TransactionInspector.Finding now = inspector().outcome(committable);
            if (now.outcome() == TransactionInspector.Outcome.ABORTED) {
                throw new LostTransaction(lostMessage(committable, topic, kafkaProperties, now));
            }
            if (now.outcome() != TransactionInspector.Outcome.COMMITTED) {
                throw e;
            }
        } finally {
            producer.closeQuietly();
        }
    }

    /** Synchronized: the task thread and the check's thread both ask. */
    private synchronized TransactionInspector inspector() {
        if (inspector == null) {
            inspector = new TransactionInspector(kafkaProperties);
        }
        return inspector;
    }

    /** The message of a transaction a partition holds open: which data, why, what to do. */
    static String hangingMessage(HangingTransactions.Hanging hanging) {
        if (hanging.blockingId() != null) {
            return blockedMessage(hanging);
        }
        TopicPartition partition = hanging.partition();
        return "Data loss: partition '"
                + partition
                + "' still holds open, from offset "
                + hanging.openSince()
                + ", "
                + hanging.committable().describe()
                + ", although its coordinator completed the commit ("
                + hanging.coordinatorState()
                + "). The coordinator skipped that partition's commit marker, which a Kafka broker"
                + " does when the partition has no leader at that moment (a restarted single"
                + " broker, or its only replica down). read_committed consumers of '"
                + partition
                + "' see no record at or after offset "
                + hanging.openSince()
                + " - this job's later output there included - until the transaction is ended, and"
                + " no client can commit it any more. To go on: end it with"
                + " 'kafka-transactions.sh --bootstrap-server <brokers> abort --topic "
                + partition.topic()
                + " --partition "
                + partition.partition()
                + " --start-offset "
                + hanging.openSince()
                + "' (its records on that partition are then dropped: replay them by restoring a"
                + " savepoint taken before checkpoint "
                + hanging.committable().afterCheckpoint()
                + "), then restart from the latest checkpoint; or restore with"
                + " 'sink.on_lost_transaction' = 'continue' to go on with the partition blocked."
                + " To prevent it: run topics with replication factor 3 and min.insync.replicas 2.";
    }

    /** The message of a partition blocked by an earlier, ended transaction of this sink. */
    private static String blockedMessage(HangingTransactions.Hanging hanging) {
        TopicPartition partition = hanging.partition();
        return "Data invisible: partition '"
                + partition
                + "' still holds open, from offset "
                + hanging.openSince()
                + ", an earlier transaction of this sink, '"
                + hanging.blockingId()
                + "' (producer id "
                + hanging.blockingProducerId()
                + "), that its coordinator has ended ("
                + hanging.coordinatorState()
                + ") without writing the marker to that partition, which a Kafka broker does when"
                + " the partition has no leader at that moment (a restarted single broker, or its"
                + " only replica down). read_committed consumers of '"
                + partition
                + "' see no record at or after offset "
                + hanging.openSince()
                + " - including those of "
                + hanging.committable().describe()
                + ", committed - until that transaction is ended. To go on: end it with"
                + " 'kafka-transactions.sh --bootstrap-server <brokers> abort --topic "
                + partition.topic()
                + " --partition "
                + partition.partition()
                + " --start-offset "
                + hanging.openSince()
                + "' (the restarted job wrote its records again unless its coordinator state above"
                + " says it committed), then restart from the latest checkpoint; or restore with"
                + " 'sink.on_lost_transaction' = 'continue' to go on with the partition blocked."
                + " To prevent it: run topics with replication factor 3 and min.insync.replicas 2.";
    }

    /** The message of a transaction the broker aborted: which data, why, what prevents it. */
    static String lostMessage(
            ConfluentCommittable committable,
            String topic,
            Map<String, String> kafkaProperties,
            TransactionInspector.Finding finding) {
        return "Data loss: the broker aborted "
                + committable.describe()
                + " on topic '"
                + topic
                + "' before it could be committed ("
                + finding.evidence()
                + "), so those records were NOT written. A transaction is aborted when it stays"
                + " open longer than its transaction.timeout.ms ("
                + kafkaProperties.getOrDefault(
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "the producer default")
                + " ms, 'sink.transaction.timeout'), e.g. when the job was down or a checkpoint"
                + " took that long, or when another job took over its transactional id (a savepoint"
                + " restored into a second job, two sinks with one 'sink.transactional_id_prefix')."
                + " To go on: replay the lost data from the source (restore an earlier savepoint),"
                + " or accept the loss and restore this checkpoint with 'sink.on_lost_transaction'"
                + " = 'continue'. To prevent it: raise 'sink.transaction.timeout' (at most the"
                + " brokers' transaction.max.timeout.ms) and keep checkpoints and restarts well"
                + " below it.";
    }

    private static String unknownMessage(
            ConfluentCommittable committable, String topic, TransactionInspector.Finding finding) {
        return "Cannot tell whether "
                + committable.describe()
                + " on topic '"
                + topic
                + "' was committed: "
                + finding.evidence()
                + ". Its records may be missing from the topic. Check the topic with a"
                + " read_committed consumer; then either replay the data from the source (restore"
                + " an earlier savepoint) or restore this checkpoint with"
                + " 'sink.on_lost_transaction' = 'continue' to go on without committing it.";
    }

    /**
     * Waits up to {@link #SETTLE} for the last check (the last commit of a bounded job is checked
     * too), then reports what it found — after releasing the clients, so a failure here leaks
     * nothing. A check still waiting on brokers that do not answer is abandoned: a cancel is held
     * up by {@link #SETTLE} at most.
     */
    @Override
    public void close() throws InterruptedException {
        checks.shutdown();
        boolean finished = checks.awaitTermination(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            checks.shutdownNow();
            LOG.warn(
                    "Stopped waiting for the check of the last commits for partitions left open"
                            + " (the brokers did not answer within {} s)",
                    SETTLE.toSeconds());
        }
        synchronized (this) {
            if (inspector != null) {
                inspector.close();
            }
        }
        reportHanging();
    }

    /** A transaction that cannot be committed any more; the policy decides what follows. */
    private static final class LostTransaction extends Exception {
        private static final long serialVersionUID = 1L;

        LostTransaction(String message) {
            super(message);
        }
    }
}
