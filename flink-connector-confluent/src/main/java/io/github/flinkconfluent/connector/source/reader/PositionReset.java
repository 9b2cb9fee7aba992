package io.github.flinkconfluent.connector.source.reader;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Not a record: the split reader moved a partition's position past a gap (the {@code
 * source.offset_out_of_range} policy), and tells the task thread so in the record stream.
 * Travelling with the records keeps the order: the split's checkpointed position moves to {@link
 * #offset()} only after every record fetched before the gap was emitted, so a checkpoint never
 * skips a record still in the fetch queue and never goes back below the gap.
 */
@Internal
public final class PositionReset extends ConsumerRecord<byte[], byte[]> {

    private final long requestedOffset;

    PositionReset(TopicPartition partition, long requestedOffset, long newOffset) {
        super(partition.topic(), partition.partition(), newOffset, null, null);
        this.requestedOffset = requestedOffset;
    }

    /** The offset the source wanted to read, which was out of range. */
    public long requestedOffset() {
        return requestedOffset;
    }

    /** Offsets jumped over (none when the requested offset was beyond the end). */
    public long skippedOffsets() {
        return Math.max(0, offset() - requestedOffset);
    }
}
