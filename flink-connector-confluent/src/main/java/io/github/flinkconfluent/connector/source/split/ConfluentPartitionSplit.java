package io.github.flinkconfluent.connector.source.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

import org.apache.kafka.common.TopicPartition;

import java.util.Objects;

/**
 * One Kafka partition to read, from {@code startingOffset} (the next offset to read) up to, for a
 * bounded read, {@code stoppingOffset} (exclusive).
 *
 * <p>Offsets are always concrete: the enumerator resolves "earliest", "latest", group offsets and
 * timestamps once, when it creates the split, so a restored split never re-interprets them.
 */
@Internal
public final class ConfluentPartitionSplit implements SourceSplit {

    /** {@link #stoppingOffset()} of a split that reads forever. */
    public static final long NO_STOPPING_OFFSET = Long.MIN_VALUE;

    private final TopicPartition partition;
    private final long startingOffset;
    private final long stoppingOffset;

    public ConfluentPartitionSplit(
            TopicPartition partition, long startingOffset, long stoppingOffset) {
        this.partition = Objects.requireNonNull(partition, "partition");
        if (startingOffset < 0) {
            throw new IllegalArgumentException(
                    "Starting offset of " + partition + " must be resolved: " + startingOffset);
        }
        this.startingOffset = startingOffset;
        this.stoppingOffset = stoppingOffset;
    }

    public TopicPartition partition() {
        return partition;
    }

    public long startingOffset() {
        return startingOffset;
    }

    public long stoppingOffset() {
        return stoppingOffset;
    }

    public boolean isBounded() {
        return stoppingOffset != NO_STOPPING_OFFSET;
    }

    /** The same partition continuing from {@code offset}. */
    public ConfluentPartitionSplit withStartingOffset(long offset) {
        return new ConfluentPartitionSplit(partition, offset, stoppingOffset);
    }

    @Override
    public String splitId() {
        return toSplitId(partition);
    }

    public static String toSplitId(TopicPartition partition) {
        return partition.topic() + "-" + partition.partition();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfluentPartitionSplit other
                && partition.equals(other.partition)
                && startingOffset == other.startingOffset
                && stoppingOffset == other.stoppingOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(partition, startingOffset, stoppingOffset);
    }

    @Override
    public String toString() {
        return partition
                + "["
                + startingOffset
                + ", "
                + (isBounded() ? String.valueOf(stoppingOffset) : "unbounded")
                + ")";
    }
}
