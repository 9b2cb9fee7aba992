package io.github.flinkconfluent.connector.source.reader;

import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplitState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.core.io.InputStatus;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import javax.annotation.Nullable;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The source reader: positions live in Flink's checkpoints (the splits), and, when enabled, the
 * positions of a completed checkpoint are also committed to the consumer group so that lag tools
 * see progress. Committed group offsets are never read back on restore.
 *
 * <p>A partition that this reader already reads is never accepted a second time: the consumer would
 * seek back and every record since would be read twice. The enumerator cannot do that (one
 * discovery at a time, each partition assigned once); if it ever did, the job fails here instead of
 * duplicating records silently.
 *
 * <p>With {@code bad_data = 'dlq'} the dead-letter writer is flushed before the splits are
 * snapshotted and when a bounded read ends: a checkpoint (or the end of the job) that covers a bad
 * record's offset is only reached once the record is in the dead-letter topic, and a failed write
 * fails the checkpoint and the job.
 */
@Internal
public final class ConfluentSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<
                ConsumerRecord<byte[], byte[]>,
                T,
                ConfluentPartitionSplit,
                ConfluentPartitionSplitState> {

    private final AutoCloseable deserializer;
    @Nullable private final DeadLetterWriter deadLetters;
    private final boolean commitOffsets;
    private final Map<TopicPartition, Long> lag;
    private final Set<TopicPartition> lagGauges = new HashSet<>();
    private final Set<String> reading = new HashSet<>();
    private final SortedMap<Long, Map<TopicPartition, OffsetAndMetadata>> offsetsToCommit =
            new TreeMap<>();

    public ConfluentSourceReader(
            ConfluentFetcherManager fetcherManager,
            RecordEmitter<ConsumerRecord<byte[], byte[]>, T, ConfluentPartitionSplitState> emitter,
            Configuration config,
            SourceReaderContext context,
            boolean commitOffsets,
            Map<TopicPartition, Long> lag,
            AutoCloseable deserializer,
            @Nullable DeadLetterWriter deadLetters) {
        super(fetcherManager, emitter, config, context);
        this.deserializer = deserializer;
        this.deadLetters = deadLetters;
        this.commitOffsets = commitOffsets;
        this.lag = lag;
    }

    @Override
    public void addSplits(List<ConfluentPartitionSplit> splits) {
        for (ConfluentPartitionSplit split : splits) {
            if (!reading.add(split.splitId())) {
                throw new IllegalStateException(
                        "Split "
                                + split
                                + " was assigned to this reader while it already reads "
                                + split.partition()
                                + "; failing rather than reading its records twice");
            }
        }
        for (ConfluentPartitionSplit split : splits) {
            TopicPartition partition = split.partition();
            if (lagGauges.add(partition)) {
                // Records between the position and the end of the partition; -1 until known.
                context.metricGroup()
                        .addGroup("topic", partition.topic())
                        .addGroup("partition", String.valueOf(partition.partition()))
                        .gauge("recordsLag", () -> lag.getOrDefault(partition, -1L));
            }
        }
        super.addSplits(splits);
    }

    @Override
    public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
        InputStatus status = super.pollNext(output);
        if (status == InputStatus.END_OF_INPUT && deadLetters != null) {
            deadLetters.flush();
        }
        return status;
    }

    @Override
    public List<ConfluentPartitionSplit> snapshotState(long checkpointId) {
        if (deadLetters != null) {
            // Records emitted so far are all before the positions snapshotted below.
            deadLetters.flush();
        }
        List<ConfluentPartitionSplit> splits = super.snapshotState(checkpointId);
        if (commitOffsets) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            splits.forEach(
                    s -> offsets.put(s.partition(), new OffsetAndMetadata(s.startingOffset())));
            offsetsToCommit.put(checkpointId, offsets);
        }
        return splits;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        Map<TopicPartition, OffsetAndMetadata> offsets = offsetsToCommit.get(checkpointId);
        if (offsets != null) {
            ((ConfluentFetcherManager) splitFetcherManager).commitOffsets(offsets);
        }
        // Older checkpoints are subsumed by this one.
        offsetsToCommit.headMap(checkpointId + 1).clear();
    }

    /**
     * Also closes the deserializer, which releases its share of the registry client, and the
     * dead-letter writer.
     */
    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            try {
                if (deadLetters != null) {
                    deadLetters.close();
                }
            } finally {
                deserializer.close();
            }
        }
    }

    @Override
    protected void onSplitFinished(Map<String, ConfluentPartitionSplitState> finishedSplitIds) {
        reading.removeAll(finishedSplitIds.keySet());
    }

    @Override
    protected ConfluentPartitionSplitState initializedState(ConfluentPartitionSplit split) {
        return new ConfluentPartitionSplitState(split);
    }

    @Override
    protected ConfluentPartitionSplit toSplitType(
            String splitId, ConfluentPartitionSplitState state) {
        return state.toSplit();
    }
}
