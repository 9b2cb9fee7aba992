package io.github.flinkconfluent.connector.source.enumerator;

import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.common.TopicPartition;

import java.util.List;
import java.util.Set;

/**
 * What the enumerator checkpoints: the partitions already handed to readers (their progress is in
 * the readers' state), the splits not yet handed out, and whether the partitions present at job
 * start have been found (later ones start at the beginning).
 */
@Internal
public record ConfluentSourceEnumState(
        Set<TopicPartition> assignedPartitions,
        List<ConfluentPartitionSplit> pendingSplits,
        boolean initialDiscoveryDone) {

    public ConfluentSourceEnumState {
        assignedPartitions = Set.copyOf(assignedPartitions);
        pendingSplits = List.copyOf(pendingSplits);
    }
}
