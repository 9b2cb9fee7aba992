package io.github.flinkconfluent.connector.source.reader;

import io.github.flinkconfluent.connector.UnrecoverableException;
import io.github.flinkconfluent.connector.options.OffsetOutOfRangePolicy;
import io.github.flinkconfluent.connector.profile.KafkaConnectionFailures;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsRemoval;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the partitions assigned to one reader with one {@link KafkaConsumer}, on the fetcher
 * thread. The consumer is assigned partitions explicitly (no group rebalancing): Flink, not the
 * group coordinator, decides who reads what, and offsets come from Flink's checkpoints.
 *
 * <p>The consumer never resets a position by itself ({@code auto.offset.reset=none}): an offset
 * that is no longer in the partition — whether it came from a checkpoint, a group or specific start
 * offset, or this reader fell behind retention while running — reaches {@link #fetch()} as an
 * {@link OffsetOutOfRangeException}, the one place that applies the {@link OffsetOutOfRangePolicy}.
 */
@Internal
public final class ConfluentPartitionSplitReader
        implements SplitReader<ConsumerRecord<byte[], byte[]>, ConfluentPartitionSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfluentPartitionSplitReader.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Object> config;
    private final Map<TopicPartition, Long> stoppingOffsets = new HashMap<>();
    private final Set<String> finishedEmptySplits = new HashSet<>();
    private final Map<TopicPartition, Long> lag;
    private final OffsetOutOfRangePolicy outOfRangePolicy;

    /**
     * @param lag updated after every poll with each partition's lag, for metrics read from another
     *     thread
     */
    public ConfluentPartitionSplitReader(
            Map<String, String> kafkaProperties,
            Map<TopicPartition, Long> lag,
            OffsetOutOfRangePolicy outOfRangePolicy) {
        Map<String, Object> config = new HashMap<>(kafkaProperties);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Every partition is sought to a checkpointed or resolved offset before it is read.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        this.config = config;
        try {
            this.consumer = new KafkaConsumer<>(config);
        } catch (KafkaException e) {
            throw KafkaConnectionFailures.unrecoverableOr(e, config, "start the source's consumer");
        }
        this.lag = lag;
        this.outOfRangePolicy = outOfRangePolicy;
    }

    /** A lag map safe to read from metric threads. */
    public static Map<TopicPartition, Long> newLagMap() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> fetch() {
        try {
            return fetchRecords();
        } catch (KafkaException e) {
            throw KafkaConnectionFailures.unrecoverableOr(
                    e, config, "read " + consumer.assignment());
        }
    }

    private RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> fetchRecords() {
        RecordsBySplits.Builder<ConsumerRecord<byte[], byte[]>> builder =
                new RecordsBySplits.Builder<>();
        finishedEmptySplits.forEach(builder::addFinishedSplit);
        finishedEmptySplits.clear();
        if (consumer.assignment().isEmpty()) {
            return builder.build();
        }
        ConsumerRecords<byte[], byte[]> records;
        try {
            records = consumer.poll(POLL_TIMEOUT);
        } catch (WakeupException e) {
            return builder.build();
        } catch (OffsetOutOfRangeException e) {
            // Also LogTruncationException, its subclass: the log was cut below the position.
            handleOutOfRange(e, builder);
            return builder.build();
        }
        List<TopicPartition> finished = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            String splitId = ConfluentPartitionSplit.toSplitId(partition);
            long stop = stoppingOffsets.getOrDefault(partition, Long.MAX_VALUE);
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (record.offset() >= stop) {
                    break;
                }
                builder.add(splitId, record);
            }
        }
        // A bounded partition is done once the consumer's position reached its stopping offset
        // (control records of transactions may end a partition without a record at stop - 1).
        for (Map.Entry<TopicPartition, Long> entry : stoppingOffsets.entrySet()) {
            if (consumer.position(entry.getKey()) >= entry.getValue()) {
                finished.add(entry.getKey());
            }
        }
        for (TopicPartition partition : finished) {
            builder.addFinishedSplit(ConfluentPartitionSplit.toSplitId(partition));
            unassign(partition);
        }
        updateLag();
        return builder.build();
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ConfluentPartitionSplit> change) {
        if (change instanceof SplitsAddition) {
            List<TopicPartition> assignment = new ArrayList<>(consumer.assignment());
            List<ConfluentPartitionSplit> toSeek = new ArrayList<>();
            for (ConfluentPartitionSplit split : change.splits()) {
                if (split.isBounded() && split.startingOffset() >= split.stoppingOffset()) {
                    finishedEmptySplits.add(split.splitId());
                    continue;
                }
                assignment.add(split.partition());
                toSeek.add(split);
                if (split.isBounded()) {
                    stoppingOffsets.put(split.partition(), split.stoppingOffset());
                }
            }
            consumer.assign(assignment);
            toSeek.forEach(s -> consumer.seek(s.partition(), s.startingOffset()));
        } else if (change instanceof SplitsRemoval) {
            change.splits().forEach(s -> unassign(s.partition()));
        }
    }

    /**
     * Applies the policy to partitions whose position is no longer in the log. The requested offset
     * is the consumer's position (which stays put until a seek), so each partition is reported
     * again by every poll until it is moved.
     */
    private void handleOutOfRange(
            OffsetOutOfRangeException error,
            RecordsBySplits.Builder<ConsumerRecord<byte[], byte[]>> builder) {
        Map<TopicPartition, Long> requested = error.offsetOutOfRangePartitions();
        Map<TopicPartition, Long> earliest;
        Map<TopicPartition, Long> latest;
        try {
            earliest = consumer.beginningOffsets(requested.keySet());
            latest = consumer.endOffsets(requested.keySet());
        } catch (WakeupException e) {
            // Flink woke the fetcher (new splits, shutdown): the positions are unchanged, so the
            // next poll reports the same partitions again and they are handled then.
            return;
        }
        List<String> gaps = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> entry : requested.entrySet()) {
            TopicPartition partition = entry.getKey();
            long offset = entry.getValue();
            long first = earliest.get(partition);
            long end = latest.get(partition);
            if (offset >= first && offset <= end) {
                // In range by now (the broker's answer was stale, e.g. during a leader change):
                // read it again rather than skip or fail.
                LOG.info(
                        "Offset {} of {} was reported out of range but is within [{}, {}];"
                                + " reading it again",
                        offset,
                        partition,
                        first,
                        end);
                consumer.seek(partition, offset);
                continue;
            }
            String gap = describe(partition, offset, first, end);
            if (outOfRangePolicy == OffsetOutOfRangePolicy.FAIL) {
                gaps.add(gap);
                continue;
            }
            long target = outOfRangePolicy == OffsetOutOfRangePolicy.EARLIEST ? first : end;
            PositionReset reset = new PositionReset(partition, offset, target);
            LOG.warn(
                    "{} With 'source.offset_out_of_range' = '{}', reading continues at offset {}:"
                            + " {} offset(s) skipped.",
                    gap,
                    outOfRangePolicy,
                    target,
                    reset.skippedOffsets());
            consumer.seek(partition, target);
            builder.add(ConfluentPartitionSplit.toSplitId(partition), reset);
        }
        if (!gaps.isEmpty()) {
            // Restarting would read the same offsets from the same checkpoint and fail again, for
            // ever: an UnrecoverableException makes Flink fail the job instead.
            throw new UnrecoverableException(
                    String.join(" ", gaps)
                            + " Set 'source.offset_out_of_range' to 'earliest' (continue at the"
                            + " first record still there) or 'latest' (continue at the end), then"
                            + " start the job again from the same checkpoint or savepoint. The job"
                            + " is not restarted automatically: a restart would meet the same gap.",
                    error);
        }
    }

    private static String describe(TopicPartition partition, long offset, long first, long end) {
        String where =
                "Offset "
                        + offset
                        + " of topic '"
                        + partition.topic()
                        + "', partition "
                        + partition.partition()
                        + " is out of range: the partition now holds offsets "
                        + first
                        + " (earliest) to "
                        + end
                        + " (latest, exclusive).";
        return offset < first
                ? where
                        + " Offsets "
                        + offset
                        + " to "
                        + (first - 1)
                        + " were deleted (retention, or kafka-delete-records) before this"
                        + " source read them."
                : where
                        + " The offset is beyond the end: the topic was deleted and created"
                        + " again, or its log was truncated.";
    }

    /** Commits offsets to the consumer group (monitoring only); runs on the fetcher thread. */
    public void commitOffsetsAsync(
            Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        consumer.commitAsync(offsets, callback);
    }

    @Override
    public void wakeUp() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

    private void unassign(TopicPartition partition) {
        List<TopicPartition> assignment = new ArrayList<>(consumer.assignment());
        assignment.remove(partition);
        consumer.assign(assignment);
        stoppingOffsets.remove(partition);
        lag.remove(partition);
    }

    private void updateLag() {
        for (TopicPartition partition : consumer.assignment()) {
            OptionalLong current = consumer.currentLag(partition);
            if (current.isPresent()) {
                lag.put(partition, current.getAsLong());
            }
        }
    }
}
