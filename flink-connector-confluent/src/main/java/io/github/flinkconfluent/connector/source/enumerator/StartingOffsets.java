package io.github.flinkconfluent.connector.source.enumerator;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.kafka.common.TopicPartition;

import java.io.Serializable;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a source starts reading the partitions it finds when the job starts without state
 * (partitions found later always start at the beginning; restored partitions continue from the
 * checkpoint).
 */
@PublicEvolving
public final class StartingOffsets implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How the starting offsets are chosen. */
    public enum Mode {
        EARLIEST,
        LATEST,
        /** The consumer group's committed offsets, else the fallback. */
        GROUP,
        /** The first record at or after a timestamp, else the end. */
        TIMESTAMP,
        /** Given offsets per partition, else the fallback. */
        SPECIFIC
    }

    private final Mode mode;
    private final long timestamp;
    private final Map<Integer, Long> specific;
    private final Mode fallback;

    private StartingOffsets(Mode mode, long timestamp, Map<Integer, Long> specific, Mode fallback) {
        this.mode = mode;
        this.timestamp = timestamp;
        this.specific = specific;
        this.fallback = fallback;
    }

    public static StartingOffsets earliest() {
        return new StartingOffsets(Mode.EARLIEST, 0, Map.of(), Mode.EARLIEST);
    }

    public static StartingOffsets latest() {
        return new StartingOffsets(Mode.LATEST, 0, Map.of(), Mode.LATEST);
    }

    /** Committed group offsets; partitions without one start at {@code fallback}. */
    public static StartingOffsets committed(Mode fallback) {
        return new StartingOffsets(Mode.GROUP, 0, Map.of(), checkFallback(fallback));
    }

    public static StartingOffsets timestamp(long epochMillis) {
        return new StartingOffsets(Mode.TIMESTAMP, epochMillis, Map.of(), Mode.LATEST);
    }

    /** Offsets by partition number; other partitions start at {@code fallback}. */
    public static StartingOffsets specific(Map<Integer, Long> offsets, Mode fallback) {
        return new StartingOffsets(Mode.SPECIFIC, 0, Map.copyOf(offsets), checkFallback(fallback));
    }

    public Mode mode() {
        return mode;
    }

    /** Resolves concrete offsets for {@code partitions}. */
    public Map<TopicPartition, Long> resolve(
            Collection<TopicPartition> partitions,
            PartitionMetadataClient client,
            String groupId,
            boolean readCommitted) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        switch (mode) {
            case EARLIEST:
                return client.earliestOffsets(partitions);
            case LATEST:
                return client.latestOffsets(partitions, readCommitted);
            case TIMESTAMP:
                offsets.putAll(client.offsetsForTimestamp(partitions, timestamp));
                break;
            case GROUP:
                offsets.putAll(client.committedOffsets(groupId, partitions));
                break;
            case SPECIFIC:
                for (TopicPartition partition : partitions) {
                    Long offset = specific.get(partition.partition());
                    if (offset != null) {
                        offsets.put(partition, offset);
                    }
                }
                break;
            default:
                throw new IllegalStateException("Unknown mode " + mode);
        }
        List<TopicPartition> missing =
                partitions.stream().filter(p -> !offsets.containsKey(p)).toList();
        if (!missing.isEmpty()) {
            offsets.putAll(
                    fallback == Mode.EARLIEST
                            ? client.earliestOffsets(missing)
                            : client.latestOffsets(missing, readCommitted));
        }
        return offsets;
    }

    private static Mode checkFallback(Mode fallback) {
        if (fallback != Mode.EARLIEST && fallback != Mode.LATEST) {
            throw new IllegalArgumentException("Fallback must be EARLIEST or LATEST: " + fallback);
        }
        return fallback;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StartingOffsets other
                && mode == other.mode
                && timestamp == other.timestamp
                && specific.equals(other.specific)
                && fallback == other.fallback;
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, timestamp, specific, fallback);
    }

    @Override
    public String toString() {
        switch (mode) {
            case TIMESTAMP:
                return "timestamp " + timestamp;
            case GROUP:
                return "group offsets, else " + fallback;
            case SPECIFIC:
                return "offsets " + specific + ", else " + fallback;
            default:
                return mode.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
