package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.common.TopicPartition;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The offset of a transaction's first record on each partition it wrote to, filled from the
 * producer's send callbacks (what {@link HangingTransactions} checks after the commit).
 *
 * <p>Kafka runs the callbacks of one partition in send order, so a partition's first callback
 * carries its smallest offset. Consecutive callbacks mostly come from the same batch, hence the
 * same partition: the partition of the previous callback is remembered and such callbacks return
 * without allocating a key or touching the map. Callbacks run on the producer's one I/O thread; the
 * map is concurrent because the task thread reads it after {@code flush()}.
 */
@Internal
final class FirstOffsets {

    private final Map<TopicPartition, Long> offsets = new ConcurrentHashMap<>();

    // Only touched by the producer's I/O thread.
    private String lastTopic;
    private int lastPartition = -1;

    /** Records that {@code offset} was written to partition {@code partition} of {@code topic}. */
    void written(String topic, int partition, long offset) {
        if (partition == lastPartition && topic.equals(lastTopic)) {
            return;
        }
        lastTopic = topic;
        lastPartition = partition;
        offsets.merge(new TopicPartition(topic, partition), offset, Math::min);
    }

    /** The first offsets so far, by partition. */
    Map<TopicPartition, Long> asMap() {
        return offsets;
    }
}
