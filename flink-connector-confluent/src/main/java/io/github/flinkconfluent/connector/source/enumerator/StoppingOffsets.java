package io.github.flinkconfluent.connector.source.enumerator;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.common.TopicPartition;

import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a bounded source stops each partition (exclusive): resolved once, when the enumerator
 * creates the partition's split, so that a restored split keeps the stop it was given and the query
 * returns the same rows however often it restarts.
 */
@Internal
public final class StoppingOffsets implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How the stopping offsets are chosen. */
    public enum Mode {
        /** The end of each partition when its split is created. */
        LATEST,
        /** The consumer group's committed offsets; a partition without one is an error. */
        GROUP,
        /** Before the first record at or after a timestamp, else the end. */
        TIMESTAMP,
        /** Given offsets per partition number; partitions not given are not read. */
        SPECIFIC
    }

    private final Mode mode;
    private final long timestamp;
    private final Map<Integer, Long> specific;

    private StoppingOffsets(Mode mode, long timestamp, Map<Integer, Long> specific) {
        this.mode = mode;
        this.timestamp = timestamp;
        this.specific = specific;
    }

    public static StoppingOffsets latest() {
        return new StoppingOffsets(Mode.LATEST, 0, Map.of());
    }

    public static StoppingOffsets committed() {
        return new StoppingOffsets(Mode.GROUP, 0, Map.of());
    }

    public static StoppingOffsets timestamp(long epochMillis) {
        return new StoppingOffsets(Mode.TIMESTAMP, epochMillis, Map.of());
    }

    /** Stop before these offsets (partition number to offset); partitions not given are empty. */
    public static StoppingOffsets specific(Map<Integer, Long> offsets) {
        return new StoppingOffsets(Mode.SPECIFIC, 0, Map.copyOf(offsets));
    }

    public Mode mode() {
        return mode;
    }

    /**
     * The stopping offset of each of {@code partitions}; a split whose start is past its stop is
     * empty, which the caller settles by stopping at the start.
     *
     * @param starts where each partition starts: the stop of a partition {@link Mode#SPECIFIC} does
     *     not name
     */
    public Map<TopicPartition, Long> resolve(
            Collection<TopicPartition> partitions,
            Map<TopicPartition, Long> starts,
            PartitionMetadataClient client,
            String groupId,
            boolean readCommitted) {
        switch (mode) {
            case LATEST:
                return client.latestOffsets(partitions, readCommitted);
            case TIMESTAMP:
                {
                    Map<TopicPartition, Long> offsets =
                            new HashMap<>(client.offsetsForTimestamp(partitions, timestamp));
                    List<TopicPartition> none =
                            partitions.stream().filter(p -> !offsets.containsKey(p)).toList();
                    if (!none.isEmpty()) {
                        offsets.putAll(client.latestOffsets(none, readCommitted));
                    }
                    return offsets;
                }
            case GROUP:
                {
                    Map<TopicPartition, Long> offsets =
                            client.committedOffsets(groupId, partitions);
                    List<TopicPartition> none =
                            partitions.stream().filter(p -> !offsets.containsKey(p)).toList();
                    if (!none.isEmpty()) {
                        throw new IllegalStateException(
                                "Cannot stop at the committed offsets of consumer group '"
                                        + groupId
                                        + "': it has none for "
                                        + none
                                        + ". Commit offsets for these partitions, or use another"
                                        + " 'source.bounded' mode (e.g. latest).");
                    }
                    return offsets;
                }
            case SPECIFIC:
                {
                    Map<TopicPartition, Long> offsets = new HashMap<>();
                    for (TopicPartition partition : partitions) {
                        Long offset = specific.get(partition.partition());
                        offsets.put(partition, offset != null ? offset : starts.get(partition));
                    }
                    return offsets;
                }
            default:
                throw new IllegalStateException("Unknown mode " + mode);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoppingOffsets other
                && mode == other.mode
                && timestamp == other.timestamp
                && specific.equals(other.specific);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, timestamp, specific);
    }

    @Override
    public String toString() {
        switch (mode) {
            case TIMESTAMP:
                return "before timestamp " + timestamp;
            case GROUP:
                return "group offsets";
            case SPECIFIC:
                return "before offsets " + specific;
            default:
                return "latest";
        }
    }
}
