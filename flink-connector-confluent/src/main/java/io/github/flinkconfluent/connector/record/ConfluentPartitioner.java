package io.github.flinkconfluent.connector.record;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/**
 * Chooses the Kafka partition of each record a {@link
 * io.github.flinkconfluent.connector.sink.ConfluentSink} writes, for {@code 'sink.partitioner' =
 * '<class name>'} — the counterpart of Flink's {@code FlinkKafkaPartitioner}, so that a partitioner
 * written for Flink's Kafka connector ports by changing its signature only. Implementations need a
 * public no-argument constructor; each sink subtask has its own instance.
 */
@PublicEvolving
public interface ConfluentPartitioner extends Serializable {

    /** Called once per sink subtask before the first record. */
    default void open(int subtask, int parallelism) {}

    /**
     * @param key the serialized key, or null
     * @param value the serialized value, or null (a tombstone)
     * @param topic the topic written to
     * @param partitions the topic's partition numbers, ascending (never empty)
     * @return one of {@code partitions}
     */
    int partition(byte[] key, byte[] value, String topic, int[] partitions);
}
