package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the transaction coordinators (Kafka's Admin API, KIP-664) and the transaction's {@link
 * CommitMarker} what became of a transaction, so that a commit is never guessed: a transaction is
 * open (commit it), committed (nothing to do), aborted (its data is lost: fail loudly), or — when
 * neither source can prove either — unknown (fail loudly as well, and say how to go on).
 */
@Internal
public final class TransactionInspector implements AutoCloseable {

    /** What became of a {@link ConfluentCommittable}'s transaction. */
    public enum Outcome {
        OPEN,
        COMMITTED,
        ABORTED,
        /** Neither the coordinator nor a commit marker can prove whether it committed. */
        UNKNOWN
    }

    /** An outcome and, for messages, what proves it. */
    public record Finding(Outcome outcome, String evidence) {}

    /**
     * Kafka's default {@code offsets.retention.minutes} is 7 days; when the brokers do not let us
     * read theirs, a day is assumed — far below any setting seen in practice — so that an expired
     * marker is never taken for a missing one.
     */
    private static final long ASSUMED_MARKER_RETENTION_MS = Duration.ofDays(1).toMillis();

    private final Admin admin;
    private long markerRetentionMs = -1;

    public TransactionInspector(Map<String, String> kafkaProperties) {
        this.admin = Admin.create(new HashMap<String, Object>(kafkaProperties));
    }

    /** The admin client this inspector asks with, shared with {@link HangingTransactions}. */
    Admin admin() {
        return admin;
    }

    public Finding outcome(ConfluentCommittable committable) throws Exception {
        String id = committable.transactionalId();
        TransactionDescription description;
        try {
            description =
                    admin.describeTransactions(List.of(id))
                            .description(id)
                            .get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
                throw e;
            }
            description = null;
        }
        CommitMarker marker = marker(id);
        boolean markerMayHaveExpired =
                committable.createdAtMillis() < 0
                        || System.currentTimeMillis() - committable.createdAtMillis()
                                > markerRetentionMs() / 2;
        return classify(
                committable,
                description == null ? null : description.state(),
                description == null ? -1 : description.producerId(),
                description == null ? -1 : (short) description.producerEpoch(),
                marker,
                markerMayHaveExpired);
    }

    /** The commit marker of the last committed transaction on {@code transactionalId}, if any. */
    @Nullable
    public CommitMarker marker(String transactionalId) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> markers =
                admin.listConsumerGroupOffsets(CommitMarker.group(transactionalId))
                        .partitionsToOffsetAndMetadata()
                        .get(60, TimeUnit.SECONDS);
        return markers == null
                ? null
                : markers.values().stream()
                        .map(CommitMarker::parse)
                        .filter(Objects::nonNull)
                        .findFirst()
                        .orElse(null);
    }

    /**
     * The decision table, apart from the remote calls, so that unit tests can check every row.
     *
     * <p>The marker decides first: it is the only evidence that survives later activity on the id
     * (a next transaction, a fencing {@code initTransactions()}), which replaces the coordinator's
     * state. The coordinator decides while its state still describes this very transaction — open,
     * or ended at its epoch (transactions version 2 bumps the epoch by one when a transaction
     * ends). Once the coordinator has moved on, a missing marker proves an abort only if the marker
     * cannot have expired yet ({@code offsets.retention.minutes}); otherwise the outcome is
     * unknown, never guessed.
     */
    @VisibleForTesting
    static Finding classify(
            ConfluentCommittable committable,
            @Nullable TransactionState state,
            long producerId,
            short epoch,
            @Nullable CommitMarker marker,
            boolean markerMayHaveExpired) {
        boolean markerIsOlder = false;
        if (marker != null && committable.sequence() >= 0 && marker.sequence() >= 0) {
            if (marker.sequence() > committable.sequence()) {
                return new Finding(
                        Outcome.COMMITTED,
                        "transaction number "
                                + marker.sequence()
                                + " on the id committed, and it began only after this one had");
            }
            if (marker.sequence() == committable.sequence()) {
                if (marker.isOf(committable)) {
                    return new Finding(Outcome.COMMITTED, "its commit marker is visible");
                }
                return new Finding(
                        Outcome.UNKNOWN,
                        "the id's commit marker for transaction number "
                                + marker.sequence()
                                + " names producer id "
                                + marker.producerId()
                                + " and epoch "
                                + marker.epoch()
                                + ", not this transaction's: another job or run used the same"
                                + " transactional id (a savepoint restored into two jobs, or two"
                                + " sinks with the same 'sink.transactional_id_prefix')");
            }
            markerIsOlder = true;
        } else if (marker != null && marker.producerId() == committable.producerId()) {
            // A marker or committable of version 1: epochs order one producer id's transactions.
            if (marker.epoch() >= committable.epoch()) {
                return new Finding(Outcome.COMMITTED, "a commit marker at its epoch or later");
            }
            markerIsOlder = true;
        }

        boolean samePid = state != null && producerId == committable.producerId();
        boolean describesIt = samePid && epoch == committable.epoch();
        boolean endedAtItsEpoch =
                describesIt
                        || (samePid
                                && committable.transactionV2()
                                && epoch == committable.epoch() + 1);
        if (describesIt && state == TransactionState.ONGOING) {
            return new Finding(Outcome.OPEN, "the coordinator has it open");
        }
        if (endedAtItsEpoch
                && (state == TransactionState.PREPARE_COMMIT
                        || state == TransactionState.COMPLETE_COMMIT)) {
            return new Finding(Outcome.COMMITTED, "the coordinator committed it (" + state + ")");
        }
        if (endedAtItsEpoch
                && (state == TransactionState.PREPARE_ABORT
                        || state == TransactionState.COMPLETE_ABORT)) {
            return new Finding(Outcome.ABORTED, "the coordinator aborted it (" + state + ")");
        }
        if (describesIt && state == TransactionState.PREPARE_EPOCH_FENCE) {
            return new Finding(Outcome.ABORTED, "a new producer on the id is fencing it");
        }
        if (markerIsOlder) {
            return new Finding(
                    Outcome.ABORTED,
                    "the id's commit marker is of an earlier transaction, so this one never"
                            + " committed");
        }
        if (marker == null && !markerMayHaveExpired) {
            return new Finding(
                    Outcome.ABORTED,
                    "no commit marker on the id, and it cannot have expired yet, so it never"
                            + " committed");
        }
        return new Finding(
                Outcome.UNKNOWN,
                (state == null
                                ? "the coordinator no longer knows the id (it expired after"
                                        + " transactional.id.expiration.ms)"
                                : "the coordinator's state ("
                                        + state
                                        + ") is of a later"
                                        + " producer on the id")
                        + (marker == null
                                ? " and there is no commit marker, which may have expired"
                                        + " (offsets.retention.minutes) since the transaction"
                                        + " was written"
                                : " and the id's commit marker cannot be ordered against it"));
    }

    /** Open transactions whose id starts with {@code prefix}. */
    public List<TransactionListing> ongoing(String prefix) throws Exception {
        Collection<TransactionListing> all =
                admin.listTransactions(
                                new ListTransactionsOptions()
                                        .filterStates(List.of(TransactionState.ONGOING)))
                        .all()
                        .get(60, TimeUnit.SECONDS);
        return all.stream().filter(t -> t.transactionalId().startsWith(prefix + "-")).toList();
    }

    /** The broker's {@code transaction.max.timeout.ms}, or -1 when it cannot be read. */
    public long maxTransactionTimeoutMs() {
        String value = brokerConfig("transaction.max.timeout.ms");
        return value == null ? -1 : Long.parseLong(value);
    }

    private long markerRetentionMs() {
        if (markerRetentionMs < 0) {
            String minutes = brokerConfig("offsets.retention.minutes");
            markerRetentionMs =
                    minutes == null
                            ? ASSUMED_MARKER_RETENTION_MS
                            : Duration.ofMinutes(Long.parseLong(minutes)).toMillis();
        }
        return markerRetentionMs;
    }

    /** A broker setting, or null when it cannot be read (e.g. no permission). */
    @Nullable
    private String brokerConfig(String name) {
        try {
            var nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            if (nodes.isEmpty()) {
                return null;
            }
            var resource =
                    new ConfigResource(
                            ConfigResource.Type.BROKER,
                            String.valueOf(nodes.iterator().next().id()));
            var config =
                    admin.describeConfigs(List.of(resource))
                            .values()
                            .get(resource)
                            .get(30, TimeUnit.SECONDS)
                            .get(name);
            return config == null ? null : config.value();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ZERO);
    }
}
