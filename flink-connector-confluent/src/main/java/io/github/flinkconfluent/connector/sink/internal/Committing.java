package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.Map;

/**
 * Commits the transactions of completed checkpoints.
 *
 * <p>Each transaction is committed by the live producer that ran it when this process has it
 * ({@link ProducerHandover}); otherwise the coordinator is asked what became of it ({@link
 * TransactionInspector}) and an open one is resumed and committed ({@link
 * TransactionalProducer#resume}). Committing again after a restore is recognised as done. A
 * transaction the broker aborted — its data is gone — fails the job with a message naming the
 * checkpoint and the setting that prevents it; it is never skipped silently. Retriable errors are
 * retried.
 */
@Internal
public final class Committing implements Committer<ConfluentCommittable> {

    private static final Logger LOG = LoggerFactory.getLogger(Committing.class);

    private final Map<String, String> kafkaProperties;
    private final String topic;
    private TransactionInspector inspector;

    public Committing(Map<String, String> kafkaProperties, String topic) {
        this.kafkaProperties = kafkaProperties;
        this.topic = topic;
    }

    @Override
    public void commit(Collection<CommitRequest<ConfluentCommittable>> requests) {
        for (CommitRequest<ConfluentCommittable> request : requests) {
            ConfluentCommittable committable = request.getCommittable();
            try {
                if (!commitLive(committable)) {
                    commitFromCheckpoint(request);
                }
            } catch (RetriableException e) {
                LOG.info("Retrying the commit of {}: {}", committable.describe(), e.toString());
                request.retryLater();
            } catch (Exception e) {
                request.signalFailedWithUnknownReason(e);
            }
        }
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

    private void commitFromCheckpoint(CommitRequest<ConfluentCommittable> request)
            throws Exception {
        ConfluentCommittable committable = request.getCommittable();
        TransactionInspector.Outcome outcome = inspector().outcome(committable);
        switch (outcome) {
            case OPEN:
                resumeAndCommit(committable);
                break;
            case COMMITTED:
            case SUPERSEDED:
                LOG.info("{} was already committed", committable.describe());
                request.signalAlreadyCommitted();
                break;
            case NOT_FOUND:
                LOG.warn(
                        "The coordinator no longer knows {}: it ended longer ago than"
                                + " transactional.id.expiration.ms. Assuming it was committed"
                                + " then (an abort would have failed that run).",
                        committable.describe());
                request.signalAlreadyCommitted();
                break;
            case ABORTED:
                request.signalFailedWithKnownReason(
                        new FlinkRuntimeException(
                                lostMessage(committable, topic, kafkaProperties)));
                break;
            default:
                request.retryLater();
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
            TransactionInspector.Outcome now = inspector().outcome(committable);
            if (now == TransactionInspector.Outcome.ABORTED) {
                throw new FlinkRuntimeException(
                        lostMessage(committable, topic, kafkaProperties), e);
            }
            if (now != TransactionInspector.Outcome.COMMITTED
                    && now != TransactionInspector.Outcome.SUPERSEDED) {
                throw e;
            }
        } finally {
            producer.closeQuietly();
        }
    }

    private TransactionInspector inspector() {
        if (inspector == null) {
            inspector = new TransactionInspector(kafkaProperties);
        }
        return inspector;
    }

    /** The message of a transaction the broker aborted: which data, why, what prevents it. */
    static String lostMessage(
            ConfluentCommittable committable, String topic, Map<String, String> kafkaProperties) {
        return "Data loss: the broker aborted "
                + committable.describe()
                + " on topic '"
                + topic
                + "' before it could be committed, so those records were NOT written. A"
                + " transaction is aborted when it stays open longer than its"
                + " transaction.timeout.ms ("
                + kafkaProperties.getOrDefault(
                        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "the producer default")
                + " ms), e.g. when the job was down or a checkpoint took that long. Raise"
                + " 'sink.transaction.timeout' (at most the brokers' transaction.max.timeout.ms),"
                + " keep checkpoints and restarts well below it, and replay the lost data from"
                + " the source.";
    }

    @Override
    public void close() {
        if (inspector != null) {
            inspector.close();
        }
    }
}
