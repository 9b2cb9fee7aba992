package io.github.flinkconfluent.connector.source.enumerator;

import io.github.flinkconfluent.connector.profile.KafkaConnectionFailures;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** {@link PartitionMetadataClient} over Kafka's {@link Admin} client. */
@Internal
public final class AdminPartitionMetadataClient implements PartitionMetadataClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Admin admin;
    private final String description;
    private final Map<String, Object> config;

    public AdminPartitionMetadataClient(Map<String, String> kafkaProperties, String description) {
        Map<String, Object> config = new HashMap<>(kafkaProperties);
        config.putIfAbsent("client.id", "flink-confluent-enumerator");
        this.config = config;
        this.description = description;
        try {
            // An OAuth client logs in here: a refused token request fails the creation.
            this.admin = Admin.create(config);
        } catch (KafkaException e) {
            throw KafkaConnectionFailures.unrecoverableOr(
                    e, config, "connect to read the partitions and offsets of the source topics");
        }
    }

    @Override
    public Set<String> topicNames() {
        try {
            return admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw failure("list the topics", e);
        }
    }

    @Override
    public Set<TopicPartition> partitionsOf(String topic) {
        try {
            TopicDescription topicDescription =
                    admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .get(topic);
            Set<TopicPartition> partitions = new HashSet<>();
            topicDescription
                    .partitions()
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            return partitions;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException(
                        "Topic '"
                                + topic
                                + "' does not exist on "
                                + description
                                + ". Create it first, or check the 'topic' option and the"
                                + " connection profile.",
                        e.getCause());
            }
            throw failure("describe topic '" + topic + "'", e.getCause());
        } catch (Exception e) {
            throw failure("describe topic '" + topic + "'", e);
        }
    }

    @Override
    public Map<TopicPartition, Long> earliestOffsets(Collection<TopicPartition> partitions) {
        return listOffsets(partitions, p -> OffsetSpec.earliest(), IsolationLevel.READ_UNCOMMITTED);
    }

    @Override
    public Map<TopicPartition, Long> latestOffsets(
            Collection<TopicPartition> partitions, boolean readCommitted) {
        return listOffsets(
                partitions,
                p -> OffsetSpec.latest(),
                readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED);
    }

    @Override
    public Map<TopicPartition, Long> offsetsForTimestamp(
            Collection<TopicPartition> partitions, long timestamp) {
        Map<TopicPartition, Long> offsets =
                listOffsets(
                        partitions,
                        p -> OffsetSpec.forTimestamp(timestamp),
                        IsolationLevel.READ_UNCOMMITTED);
        // Kafka answers -1 when no record is that recent.
        offsets.values().removeIf(offset -> offset < 0);
        return offsets;
    }

    @Override
    public Map<TopicPartition, Long> committedOffsets(
            String groupId, Collection<TopicPartition> partitions) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(
                                    Map.of(
                                            groupId,
                                            new ListConsumerGroupOffsetsSpec()
                                                    .topicPartitions(partitions)))
                            .partitionsToOffsetAndMetadata(groupId)
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> offsets = new HashMap<>();
            committed.forEach(
                    (partition, offset) -> {
                        if (offset != null && offset.offset() >= 0) {
                            offsets.put(partition, offset.offset());
                        }
                    });
            return offsets;
        } catch (Exception e) {
            throw failure("read the committed offsets of group '" + groupId + "'", e);
        }
    }

    private Map<TopicPartition, Long> listOffsets(
            Collection<TopicPartition> partitions,
            Function<TopicPartition, OffsetSpec> spec,
            IsolationLevel isolation) {
        if (partitions.isEmpty()) {
            return new HashMap<>();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec.apply(p)));
        try {
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> result =
                    admin.listOffsets(request, new ListOffsetsOptions(isolation))
                            .all()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> offsets = new HashMap<>();
            result.forEach((partition, info) -> offsets.put(partition, info.offset()));
            return offsets;
        } catch (Exception e) {
            throw failure("list offsets of " + partitions, e);
        }
    }

    private RuntimeException failure(String what, Throwable cause) {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Throwable root = cause instanceof ExecutionException ? cause.getCause() : cause;
        return KafkaConnectionFailures.explain(root, config, what)
                .<RuntimeException>map(e -> e)
                .orElseGet(
                        () ->
                                new IllegalStateException(
                                        "Could not " + what + " on " + description + ": " + root,
                                        root));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
