package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the transaction coordinators (Kafka's Admin API, KIP-664) what became of a transaction, so
 * that a commit is never guessed: a transaction is open (commit it), committed (nothing to do),
 * aborted (its data is lost: fail loudly), or superseded by a later transaction on its id (which
 * the sink only starts after the earlier one was committed).
 */
@Internal
public final class TransactionInspector implements AutoCloseable {

    /** What the coordinator says about a {@link ConfluentCommittable}'s transaction. */
    public enum Outcome {
        OPEN,
        COMMITTED,
        ABORTED,
        /** A later transaction runs or ran on the id: this one was committed before. */
        SUPERSEDED,
        /** The coordinator has forgotten the id (expired): its transaction ended long ago. */
        NOT_FOUND,
        /** The coordinator is between states; ask again. */
        IN_FLUX
    }

    private final Admin admin;

    public TransactionInspector(Map<String, String> kafkaProperties) {
        this.admin = Admin.create(new HashMap<String, Object>(kafkaProperties));
    }

    public Outcome outcome(ConfluentCommittable committable) throws Exception {
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
        Map<TopicPartition, OffsetAndMetadata> markers =
                admin.listConsumerGroupOffsets(CommitMarker.group(id))
                        .partitionsToOffsetAndMetadata()
                        .get(60, TimeUnit.SECONDS);
        CommitMarker marker =
                markers == null
                        ? null
                        : markers.values().stream()
                                .map(CommitMarker::parse)
                                .filter(java.util.Objects::nonNull)
                                .findFirst()
                                .orElse(null);
        return classify(
                committable,
                description == null ? null : description.state(),
                description == null ? -1 : description.producerId(),
                description == null ? -1 : (short) description.producerEpoch(),
                marker);
    }

    /**
     * The decision table, apart from the remote calls, so that unit tests can check every row.
     *
     * <p>The coordinator's state alone cannot tell a committed transaction from an aborted one once
     * later activity on the id (a next transaction, a fencing {@code initTransactions()}) has
     * replaced it, and epochs move differently under transactions versions 1 and 2. So every
     * transaction also commits a marker — a consumer-group offset whose metadata names its producer
     * id and epoch — which becomes visible exactly when the transaction commits.
     */
    static Outcome classify(
            ConfluentCommittable committable,
            TransactionState state,
            long producerId,
            short epoch,
            CommitMarker marker) {
        boolean sameTransaction =
                producerId == committable.producerId() && epoch == committable.epoch();
        if (sameTransaction && state == TransactionState.ONGOING) {
            return Outcome.OPEN;
        }
        if (marker != null && marker.covers(committable)) {
            return marker.isExactly(committable) ? Outcome.COMMITTED : Outcome.SUPERSEDED;
        }
        if (state == TransactionState.PREPARE_COMMIT
                || state == TransactionState.PREPARE_ABORT
                || state == TransactionState.PREPARE_EPOCH_FENCE) {
            return Outcome.IN_FLUX;
        }
        if (state == null) {
            return Outcome.NOT_FOUND;
        }
        return Outcome.ABORTED;
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
        try {
            var nodes = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS);
            if (nodes.isEmpty()) {
                return -1;
            }
            var resource =
                    new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.BROKER,
                            String.valueOf(nodes.iterator().next().id()));
            var config =
                    admin.describeConfigs(List.of(resource))
                            .values()
                            .get(resource)
                            .get(30, TimeUnit.SECONDS)
                            .get("transaction.max.timeout.ms");
            return config == null || config.value() == null ? -1 : Long.parseLong(config.value());
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
