package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.connector.ConfluentConnectorOptions;
import io.github.flinkconfluent.connector.record.ConfluentPartitioner;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

/**
 * The {@code sink.partitioner} option (Flink's Kafka connector's values): {@code default} and
 * {@code round-robin} leave the partition to Kafka's producer (murmur2 of the key; without a key,
 * batches spread across partitions), {@code fixed} sends everything a sink subtask writes to one
 * partition, anything else names a {@link ConfluentPartitioner} class.
 */
@Internal
public final class SinkPartitioners {

    private SinkPartitioners() {}

    /**
     * @return the partitioner, or null for Kafka's own
     * @throws IllegalArgumentException naming the option, when the class cannot be used
     */
    @Nullable
    public static ConfluentPartitioner create(String value, ClassLoader loader) {
        String option = ConfluentConnectorOptions.SINK_PARTITIONER.key();
        switch (value.trim()) {
            case "default", "round-robin":
                return null;
            case "fixed":
                return new Fixed();
            default:
                break;
        }
        Class<?> type;
        try {
            type = Class.forName(value.trim(), true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException(
                    "'"
                            + option
                            + "' = '"
                            + value
                            + "' is neither default, fixed nor round-robin, and no such class"
                            + " is on the job's class path ("
                            + e
                            + "). Use one of those values or the name of a class implementing "
                            + ConfluentPartitioner.class.getName()
                            + ".");
        }
        if (!ConfluentPartitioner.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(
                    "'"
                            + option
                            + "' names "
                            + type.getName()
                            + ", which does not implement "
                            + ConfluentPartitioner.class.getName()
                            + " (a FlinkKafkaPartitioner of Flink's Kafka connector must be"
                            + " changed to implement it).");
        }
        try {
            return (ConfluentPartitioner) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(
                    "'"
                            + option
                            + "' names "
                            + type.getName()
                            + ", which cannot be created with a public no-argument constructor: "
                            + e,
                    e);
        }
    }

    /** Each subtask writes to one partition: {@code partitions[subtask % partitions.length]}. */
    static final class Fixed implements ConfluentPartitioner {
        private static final long serialVersionUID = 1L;

        private int subtask;

        @Override
        public void open(int subtask, int parallelism) {
            this.subtask = subtask;
        }

        @Override
        public int partition(byte[] key, byte[] value, String topic, int[] partitions) {
            return partitions[subtask % partitions.length];
        }
    }
}
