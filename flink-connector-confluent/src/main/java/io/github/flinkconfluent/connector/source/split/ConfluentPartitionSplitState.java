package io.github.flinkconfluent.connector.source.split;

import org.apache.flink.annotation.Internal;

/**
 * The mutable read position of a split while a reader owns it: the offset after the last record
 * handed downstream. A checkpoint turns it back into a {@link ConfluentPartitionSplit}.
 */
@Internal
public final class ConfluentPartitionSplitState {

    private final ConfluentPartitionSplit split;
    private long nextOffset;

    public ConfluentPartitionSplitState(ConfluentPartitionSplit split) {
        this.split = split;
        this.nextOffset = split.startingOffset();
    }

    public long nextOffset() {
        return nextOffset;
    }

    public void setNextOffset(long nextOffset) {
        this.nextOffset = nextOffset;
    }

    public ConfluentPartitionSplit toSplit() {
        return split.withStartingOffset(nextOffset);
    }
}
