package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.connector.record.ConfluentPartitioner;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The values of {@code sink.partitioner}, and what each one does with a record. */
class SinkPartitionersTest {

    private static final ClassLoader LOADER = SinkPartitionersTest.class.getClassLoader();

    /** A partitioner of a user's: the last partition for every record. */
    public static final class LastPartition implements ConfluentPartitioner {
        @Override
        public int partition(byte[] key, byte[] value, String topic, int[] partitions) {
            return partitions[partitions.length - 1];
        }
    }

    /** Not a partitioner. */
    public static final class NotAPartitioner {}

    @Test
    void defaultAndRoundRobinLeaveThePartitionToKafka() {
        assertThat(SinkPartitioners.create("default", LOADER)).isNull();
        assertThat(SinkPartitioners.create("round-robin", LOADER)).isNull();
    }

    @Test
    void fixedSendsEachSubtaskToOnePartition() {
        int[] partitions = {0, 1, 2};
        ConfluentPartitioner subtask1 = SinkPartitioners.create("fixed", LOADER);
        subtask1.open(1, 4);
        ConfluentPartitioner subtask3 = SinkPartitioners.create("fixed", LOADER);
        subtask3.open(3, 4);

        assertThat(subtask1.partition(new byte[] {1}, new byte[] {2}, "t", partitions))
                .isEqualTo(1);
        assertThat(subtask1.partition(new byte[] {9}, null, "t", partitions)).isEqualTo(1);
        assertThat(subtask3.partition(null, new byte[] {2}, "t", partitions)).isEqualTo(0);
    }

    @Test
    void aClassNameMakesAnInstanceOfThatClass() {
        ConfluentPartitioner partitioner =
                SinkPartitioners.create(LastPartition.class.getName(), LOADER);

        assertThat(partitioner).isInstanceOf(LastPartition.class);
        assertThat(partitioner.partition(null, null, "t", new int[] {0, 1, 5})).isEqualTo(5);
    }

    @Test
    void anUnusableValueNamesTheOption() {
        assertThat(catchThrowable(() -> SinkPartitioners.create("com.example.Nope", LOADER)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sink.partitioner' = 'com.example.Nope'")
                .hasMessageContaining("default, fixed nor round-robin");
        assertThat(
                        catchThrowable(
                                () ->
                                        SinkPartitioners.create(
                                                NotAPartitioner.class.getName(), LOADER)))
                .hasMessageContaining("'sink.partitioner' names")
                .hasMessageContaining("does not implement " + ConfluentPartitioner.class.getName());
    }
}
