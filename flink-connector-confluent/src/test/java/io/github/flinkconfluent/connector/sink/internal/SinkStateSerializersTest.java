package io.github.flinkconfluent.connector.sink.internal;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Committables and writer states live in checkpoints: version-1 bytes are pinned here, so a layout
 * change that forgets a new version fails.
 */
class SinkStateSerializersTest {

    private static final ConfluentCommittable COMMITTABLE =
            new ConfluentCommittable(
                    "p-0-1-2",
                    42L,
                    (short) 7,
                    true,
                    9L,
                    3L,
                    1_700_000_000_000L,
                    Map.of(new TopicPartition("orders", 0), 17L, new TopicPartition("x", 3), 0L));

    /** {@link #COMMITTABLE} as version 2 read it back: no first offsets. */
    private static final ConfluentCommittable COMMITTABLE_AS_V2 =
            new ConfluentCommittable("p-0-1-2", 42L, (short) 7, true, 9L, 3L, 1_700_000_000_000L);

    /** {@link #COMMITTABLE} as version 1 read it back: no sequence number, no time. */
    private static final ConfluentCommittable COMMITTABLE_AS_V1 =
            new ConfluentCommittable("p-0-1-2", 42L, (short) 7, true, 9L, -1L, -1L);

    /** {@link #COMMITTABLE} as version 1 wrote it. */
    private static final String COMMITTABLE_V1 =
            "0007702d302d312d32000000000000002a00070100000000000000" + "09";

    private final ConfluentCommittableSerializer committables =
            new ConfluentCommittableSerializer();
    private final ConfluentWriterStateSerializer states = new ConfluentWriterStateSerializer();

    @Test
    void committablesRoundTripAndVersion1BytesStillRead() throws IOException {
        assertThat(committables.getVersion()).isEqualTo(3);
        assertThat(committables.deserialize(3, committables.serialize(COMMITTABLE)))
                .isEqualTo(COMMITTABLE);
        assertThat(
                        committables.deserialize(
                                2, ConfluentCommittableSerializer.serializeV2(COMMITTABLE)))
                .isEqualTo(COMMITTABLE_AS_V2);
        assertThat(
                        HexFormat.of()
                                .formatHex(ConfluentCommittableSerializer.serializeV1(COMMITTABLE)))
                .isEqualTo(COMMITTABLE_V1);
        assertThat(committables.deserialize(1, HexFormat.of().parseHex(COMMITTABLE_V1)))
                .isEqualTo(COMMITTABLE_AS_V1);
    }

    @Test
    void writerStatesRoundTrip() throws IOException {
        ConfluentWriterState state = new ConfluentWriterState("p", 12L, 3, List.of(COMMITTABLE));
        assertThat(states.deserialize(1, states.serialize(state))).isEqualTo(state);
        ConfluentWriterState empty = new ConfluentWriterState("p", 0L, 0, List.of());
        assertThat(states.deserialize(1, states.serialize(empty))).isEqualTo(empty);
    }

    @Test
    void unknownVersionsAndTrailingBytesFailLoudly() throws IOException {
        byte[] bytes = committables.serialize(COMMITTABLE);
        assertThatThrownBy(() -> committables.deserialize(4, bytes))
                .hasMessageContaining("Unknown version 4");
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> committables.deserialize(3, longer))
                .hasMessageContaining("trailing");
        byte[] state = states.serialize(new ConfluentWriterState("p", 1, 0, List.of()));
        assertThatThrownBy(() -> states.deserialize(5, state))
                .hasMessageContaining("Unknown version 5");
    }
}
