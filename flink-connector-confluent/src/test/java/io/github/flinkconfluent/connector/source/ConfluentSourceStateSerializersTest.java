package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.source.enumerator.ConfluentSourceEnumState;
import io.github.flinkconfluent.connector.source.enumerator.ConfluentSourceEnumStateSerializer;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplitSerializer;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checkpoint state must stay readable across releases: the version-1 bytes below were written by
 * the first release and are pinned here, so a layout change that forgets a new version fails.
 */
class ConfluentSourceStateSerializersTest {

    /** {@code orders-3 [42, 100)} as written by version 1. */
    private static final String SPLIT_V1 =
            "00066f72646572730000000300000000000000" + "2a0000000000000064";

    private final ConfluentPartitionSplitSerializer splits =
            new ConfluentPartitionSplitSerializer();
    private final ConfluentSourceEnumStateSerializer states =
            new ConfluentSourceEnumStateSerializer();

    @Test
    void splitsRoundTrip() throws IOException {
        for (ConfluentPartitionSplit split :
                List.of(
                        new ConfluentPartitionSplit(new TopicPartition("t", 0), 0, 10),
                        new ConfluentPartitionSplit(
                                new TopicPartition("ünïcode-topic", 7),
                                123_456_789_012L,
                                ConfluentPartitionSplit.NO_STOPPING_OFFSET))) {
            assertThat(splits.deserialize(splits.getVersion(), splits.serialize(split)))
                    .isEqualTo(split);
        }
    }

    @Test
    void version1SplitBytesStillRead() throws IOException {
        assertThat(splits.deserialize(1, HexFormat.of().parseHex(SPLIT_V1)))
                .isEqualTo(new ConfluentPartitionSplit(new TopicPartition("orders", 3), 42, 100));
    }

    @Test
    void unknownVersionsAndTrailingBytesFailLoudly() throws IOException {
        byte[] bytes =
                splits.serialize(new ConfluentPartitionSplit(new TopicPartition("t", 0), 1, 2));
        assertThatThrownBy(() -> splits.deserialize(99, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unknown version 99");
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> splits.deserialize(1, longer))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("trailing");
        assertThatThrownBy(() -> states.deserialize(2, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Unknown version 2");
    }

    @Test
    void enumeratorStateRoundTrips() throws IOException {
        ConfluentSourceEnumState state =
                new ConfluentSourceEnumState(
                        Set.of(new TopicPartition("t", 0), new TopicPartition("t", 1)),
                        List.of(new ConfluentPartitionSplit(new TopicPartition("t", 2), 5, 9)),
                        true);
        ConfluentSourceEnumState read = states.deserialize(1, states.serialize(state));
        assertThat(read).isEqualTo(state);
    }

    /**
     * {@code assigned: orders-0; pending: orders-1 [5, 9); discovery done}, as version 1 wrote it.
     */
    private static final String ENUM_STATE_V1 =
            "000000010000000100066f7264657273000000000000000100066f7264657273"
                    + "000000010000000000000005000000000000000901";

    @Test
    void version1EnumeratorStateBytesStillRead() throws IOException {
        assertThat(states.deserialize(1, HexFormat.of().parseHex(ENUM_STATE_V1)))
                .isEqualTo(
                        new ConfluentSourceEnumState(
                                Set.of(new TopicPartition("orders", 0)),
                                List.of(
                                        new ConfluentPartitionSplit(
                                                new TopicPartition("orders", 1), 5, 9)),
                                true));
    }
}
