package io.github.flinkconfluent.connector.source.enumerator;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * The broker questions the enumerator asks: which partitions a topic has and where their offsets
 * are. An interface so that the enumerator's logic is unit-tested with a hand-written fake; the
 * real implementation is {@link AdminPartitionMetadataClient}.
 */
@Internal
public interface PartitionMetadataClient extends AutoCloseable {

    /** The names of the topics on the cluster (not Kafka's internal ones), for topic patterns. */
    Set<String> topicNames();

    /** The partitions of {@code topic}; a missing topic is an error that names it. */
    Set<TopicPartition> partitionsOf(String topic);

    Map<TopicPartition, Long> earliestOffsets(Collection<TopicPartition> partitions);

    /**
     * The end offsets; with {@code readCommitted}, the last stable offset, which is where a {@code
     * read_committed} consumer stops.
     */
    Map<TopicPartition, Long> latestOffsets(
            Collection<TopicPartition> partitions, boolean readCommitted);

    /** The first offset with a timestamp at or after {@code timestamp}; absent when none. */
    Map<TopicPartition, Long> offsetsForTimestamp(
            Collection<TopicPartition> partitions, long timestamp);

    /** Offsets committed by consumer group {@code groupId}; absent when it has none. */
    Map<TopicPartition, Long> committedOffsets(
            String groupId, Collection<TopicPartition> partitions);

    @Override
    void close();
}
