package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.source.enumerator.PartitionMetadataClient;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A topic held in memory: partitions with earliest/end offsets and a group's commits. */
final class FakePartitionMetadata implements PartitionMetadataClient {

    final String topic;
    int partitions;
    final Map<Integer, Long> earliest = new HashMap<>();
    final Map<Integer, Long> latest = new HashMap<>();
    final Map<Integer, Long> stable = new HashMap<>();
    final Map<Integer, Long> committed = new HashMap<>();

    /** Runs inside every {@link #partitionsOf} call: what happens while the broker is asked. */
    Runnable whileDescribing = () -> {};

    int describes;

    FakePartitionMetadata(String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
    }

    @Override
    public Set<TopicPartition> partitionsOf(String topic) {
        if (!topic.equals(this.topic)) {
            throw new IllegalStateException("Topic '" + topic + "' does not exist");
        }
        describes++;
        whileDescribing.run();
        Set<TopicPartition> result =
                new TreeSet<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        for (int p = 0; p < partitions; p++) {
            result.add(new TopicPartition(topic, p));
        }
        return result;
    }

    @Override
    public Map<TopicPartition, Long> earliestOffsets(Collection<TopicPartition> partitions) {
        return lookup(partitions, earliest, 0L);
    }

    @Override
    public Map<TopicPartition, Long> latestOffsets(
            Collection<TopicPartition> partitions, boolean readCommitted) {
        return readCommitted
                ? lookup(partitions, stable.isEmpty() ? latest : stable, 0L)
                : lookup(partitions, latest, 0L);
    }

    @Override
    public Map<TopicPartition, Long> offsetsForTimestamp(
            Collection<TopicPartition> partitions, long timestamp) {
        Map<TopicPartition, Long> result = new HashMap<>();
        partitions.forEach(p -> result.put(p, timestamp / 1000));
        return result;
    }

    @Override
    public Map<TopicPartition, Long> committedOffsets(
            String groupId, Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> result = new HashMap<>();
        partitions.forEach(
                p -> {
                    if (committed.containsKey(p.partition())) {
                        result.put(p, committed.get(p.partition()));
                    }
                });
        return result;
    }

    private static Map<TopicPartition, Long> lookup(
            Collection<TopicPartition> partitions, Map<Integer, Long> offsets, long absent) {
        Map<TopicPartition, Long> result = new HashMap<>();
        partitions.forEach(p -> result.put(p, offsets.getOrDefault(p.partition(), absent)));
        return result;
    }

    @Override
    public void close() {}
}
