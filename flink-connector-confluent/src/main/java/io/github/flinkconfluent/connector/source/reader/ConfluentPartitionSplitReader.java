package io.github.flinkconfluent.connector.source.reader;

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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

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
 */
@Internal
public final class ConfluentPartitionSplitReader
        implements SplitReader<ConsumerRecord<byte[], byte[]>, ConfluentPartitionSplit> {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Long> stoppingOffsets = new HashMap<>();
    private final Set<String> finishedEmptySplits = new HashSet<>();
    private final Map<TopicPartition, Long> lag;

    /**
     * @param lag updated after every poll with each partition's lag, for metrics read from another
     *     thread
     */
    public ConfluentPartitionSplitReader(
            Map<String, String> kafkaProperties, Map<TopicPartition, Long> lag) {
        Map<String, Object> config = new HashMap<>(kafkaProperties);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Every partition is sought to a checkpointed or resolved offset before it is read.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        this.consumer = new KafkaConsumer<>(config);
        this.lag = lag;
    }

    /** A lag map safe to read from metric threads. */
    public static Map<TopicPartition, Long> newLagMap() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public RecordsWithSplitIds<ConsumerRecord<byte[], byte[]>> fetch() {
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
