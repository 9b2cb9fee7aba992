package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.source.enumerator.PartitionMetadataClient;

import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Topics held in memory: partitions with earliest/end offsets (by partition number, the same in
 * every topic) and a group's commits.
 */
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

    /** Topics besides {@link #topic}, with their partition counts; may change between calls. */
    final Map<String, Integer> otherTopics = new java.util.concurrent.ConcurrentHashMap<>();

    /** Offsets {@link #offsetsForTimestamp} finds, by partition; absent: timestamp / 1000. */
    final Map<Integer, Long> byTimestamp = new HashMap<>();

    /** Partitions for which {@link #offsetsForTimestamp} finds no record. */
    final Set<Integer> noRecordAfterTimestamp = new java.util.HashSet<>();

    FakePartitionMetadata(String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
    }

    @Override
    public Set<String> topicNames() {
        Set<String> names = new TreeSet<>(otherTopics.keySet());
        names.add(topic);
        return names;
    }

    @Override
    public Set<TopicPartition> partitionsOf(String topic) {
        Integer count = topic.equals(this.topic) ? (Integer) partitions : otherTopics.get(topic);
        if (count == null) {
            throw new IllegalStateException("Topic '" + topic + "' does not exist");
        }
        describes++;
        whileDescribing.run();
        if (topic.equals(this.topic)) {
            count = partitions;
        }
        Set<TopicPartition> result =
                new TreeSet<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        for (int p = 0; p < count; p++) {
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
        partitions.forEach(
                p -> {
                    if (!noRecordAfterTimestamp.contains(p.partition())) {
                        result.put(p, byTimestamp.getOrDefault(p.partition(), timestamp / 1000));
                    }
                });
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
