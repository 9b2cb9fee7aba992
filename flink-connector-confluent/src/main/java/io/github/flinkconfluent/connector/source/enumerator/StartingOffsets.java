package io.github.flinkconfluent.connector.source.enumerator;

import io.github.flinkconfluent.connector.options.OffsetMode;

import org.apache.flink.annotation.Internal;

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
@Internal
public final class StartingOffsets implements Serializable {

    private static final long serialVersionUID = 1L;

    private final OffsetMode mode;
    private final long timestamp;
    private final Map<Integer, Long> specific;
    private final OffsetMode fallback;

    private StartingOffsets(
            OffsetMode mode, long timestamp, Map<Integer, Long> specific, OffsetMode fallback) {
        this.mode = mode;
        this.timestamp = timestamp;
        this.specific = specific;
        this.fallback = fallback;
    }

    public static StartingOffsets earliest() {
        return new StartingOffsets(OffsetMode.EARLIEST, 0, Map.of(), OffsetMode.EARLIEST);
    }

    public static StartingOffsets latest() {
        return new StartingOffsets(OffsetMode.LATEST, 0, Map.of(), OffsetMode.LATEST);
    }

    /** Committed group offsets; partitions without one start at {@code fallback}. */
    public static StartingOffsets committed(OffsetMode fallback) {
        return new StartingOffsets(OffsetMode.GROUP, 0, Map.of(), checkFallback(fallback));
    }

    public static StartingOffsets timestamp(long epochMillis) {
        return new StartingOffsets(OffsetMode.TIMESTAMP, epochMillis, Map.of(), OffsetMode.LATEST);
    }

    /** Offsets by partition number; other partitions start at {@code fallback}. */
    public static StartingOffsets specific(Map<Integer, Long> offsets, OffsetMode fallback) {
        return new StartingOffsets(
                OffsetMode.SPECIFIC_OFFSETS, 0, Map.copyOf(offsets), checkFallback(fallback));
    }

    public OffsetMode mode() {
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
            case SPECIFIC_OFFSETS:
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
                    fallback == OffsetMode.EARLIEST
                            ? client.earliestOffsets(missing)
                            : client.latestOffsets(missing, readCommitted));
        }
        return offsets;
    }

    private static OffsetMode checkFallback(OffsetMode fallback) {
        if (fallback != OffsetMode.EARLIEST && fallback != OffsetMode.LATEST) {
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
            case SPECIFIC_OFFSETS:
                return "offsets " + specific + ", else " + fallback;
            default:
                return mode.name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
