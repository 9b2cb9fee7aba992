package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.testing.KafkaBroker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The broker's side of a {@link FaultCampaign} trial, read with an admin client: the transactions
 * it holds open, those it left hanging, and whether the job's consumer group reached the input's
 * end.
 *
 * <p>Why a probe of its own: several of the campaign's events are the broker's, not the job's (a
 * {@code +txn} fault waits for an open transaction, an outage ends once the broker aborted every
 * one, a trial settles once the group holds the end offsets), and a missing record is told apart
 * from a hanging transaction only here. Every read tolerates a broker that is paused or restarting.
 */
final class BrokerProbe implements AutoCloseable {

    private final Admin admin;

    BrokerProbe(KafkaBroker kafka) {
        this.admin = admin(kafka);
    }

    /**
     * Transactions open on a partition of {@code topic} whose producer the coordinator no longer
     * lists as open: nothing will ever commit or abort them.
     */
    List<String> hangingTransactions(String topic) {
        try {
            List<TopicPartition> partitions =
                    List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            Set<Long> openAtCoordinator =
                    admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                            .filter(
                                    t ->
                                            t.state() != TransactionState.EMPTY
                                                    && t.state() != TransactionState.COMPLETE_ABORT
                                                    && t.state()
                                                            != TransactionState.COMPLETE_COMMIT)
                            .map(TransactionListing::producerId)
                            .collect(Collectors.toSet());
            List<String> hanging = new ArrayList<>();
            var described = admin.describeProducers(partitions).all().get(30, TimeUnit.SECONDS);
            described.forEach(
                    (partition, producers) ->
                            producers.activeProducers().stream()
                                    .filter(p -> p.currentTransactionStartOffset().isPresent())
                                    .filter(p -> !openAtCoordinator.contains(p.producerId()))
                                    .forEach(
                                            p ->
                                                    hanging.add(
                                                            partition
                                                                    + " producer "
                                                                    + p.producerId()
                                                                    + " from offset "
                                                                    + p.currentTransactionStartOffset()
                                                                            .getAsLong())));
            return hanging;
        } catch (Exception e) {
            return List.of();
        }
    }

    /** Transactional ids the broker still holds open (not empty, committed or aborted). */
    List<String> openTransactions() {
        try {
            Collection<TransactionListing> listings =
                    admin.listTransactions().all().get(30, TimeUnit.SECONDS);
            return listings.stream()
                    .filter(
                            t ->
                                    t.state() != TransactionState.EMPTY
                                            && t.state() != TransactionState.COMPLETE_ABORT
                                            && t.state() != TransactionState.COMPLETE_COMMIT)
                    .map(t -> t.transactionalId() + "=" + t.state())
                    .collect(Collectors.toList());
        } catch (Exception e) {
            return List.of("(cannot list: " + e + ")");
        }
    }

    /** Whether {@code group} committed the end offsets of both partitions of {@code topic}. */
    boolean groupAtEnd(String topic, String group) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get(10, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            return ends.entrySet().stream()
                    .allMatch(
                            e -> {
                                OffsetAndMetadata at = committed.get(e.getKey());
                                return at != null && at.offset() >= e.getValue().offset();
                            });
        } catch (Exception e) {
            return false;
        }
    }

    private static Admin admin(KafkaBroker kafka) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return Admin.create(config);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
