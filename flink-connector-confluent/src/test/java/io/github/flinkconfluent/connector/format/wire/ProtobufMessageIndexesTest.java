package io.github.flinkconfluent.connector.format.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtobufMessageIndexesTest {

    @Test
    void firstMessageIsTheSingleZeroByte() throws Exception {
        assertThat(ProtobufMessageIndexes.encode(new int[] {0})).containsExactly(0);
        assertThat(ProtobufMessageIndexes.decode(new byte[] {0, 42}, 0, 1))
                .isEqualTo(new ProtobufMessageIndexes.Decoded(new int[] {0}, 1));
    }

    @Test
    void nestedPathsRoundTripAsZigZagVarints() throws Exception {
        int[] path = {1, 0, 300};
        byte[] encoded = ProtobufMessageIndexes.encode(path);
        // count 3 -> zigzag 6; 1 -> 2; 0 -> 0; 300 -> 600 = 0xd8 0x04
        assertThat(encoded).containsExactly(6, 2, 0, 0xd8 - 256, 4);
        byte[] message = new byte[encoded.length + 2];
        System.arraycopy(encoded, 0, message, 0, encoded.length);
        assertThat(ProtobufMessageIndexes.decode(message, 0, 1))
                .isEqualTo(new ProtobufMessageIndexes.Decoded(path, encoded.length));
    }

    @Test
    void hugeCountsAreRejectedWithoutAllocating() {
        byte[] hugeCount = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
        assertThatThrownBy(() -> ProtobufMessageIndexes.decode(hugeCount, 0, 3))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("out of range");
    }

    @Test
    void truncatedIndexesAreNamed() {
        assertThatThrownBy(() -> ProtobufMessageIndexes.decode(new byte[] {6, 2}, 0, 3))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(WireFormatException.Reason.TRUNCATED_BODY));
    }
}
