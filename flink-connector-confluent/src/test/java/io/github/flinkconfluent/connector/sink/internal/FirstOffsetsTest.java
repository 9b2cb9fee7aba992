package io.github.flinkconfluent.connector.sink.internal;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The first offset per partition, from callbacks in Kafka's per-partition send order. */
class FirstOffsetsTest {

    @Test
    void keepsEachPartitionsFirstOffsetAcrossInterleavedCallbacks() {
        FirstOffsets first = new FirstOffsets();
        first.written("orders", 0, 10);
        first.written("orders", 0, 11);
        first.written("orders", 1, 4);
        first.written("orders", 0, 12);
        first.written("payments", 0, 7);
        first.written("orders", 1, 5);
        first.written("payments", 0, 8);

        assertThat(first.asMap())
                .isEqualTo(
                        Map.of(
                                new TopicPartition("orders", 0), 10L,
                                new TopicPartition("orders", 1), 4L,
                                new TopicPartition("payments", 0), 7L));
    }

    @Test
    void aSmallerOffsetAfterAnotherPartitionStillWins() {
        // Not an order Kafka produces for one partition, but the smallest offset must win anyway.
        FirstOffsets first = new FirstOffsets();
        first.written("t", 0, 20);
        first.written("t", 1, 3);
        first.written("t", 0, 15);

        assertThat(first.asMap()).containsEntry(new TopicPartition("t", 0), 15L);
    }

    @Test
    void samePartitionNumberOfAnotherTopicIsItsOwnEntry() {
        FirstOffsets first = new FirstOffsets();
        first.written("a", 2, 1);
        first.written("b", 2, 9);

        assertThat(first.asMap())
                .containsEntry(new TopicPartition("a", 2), 1L)
                .containsEntry(new TopicPartition("b", 2), 9L);
    }
}
