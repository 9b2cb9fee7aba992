package io.github.flinkconfluent.connector.format.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfluentWireFormatTest {

    @Test
    void headerRoundTripsBigEndianIds() throws Exception {
        for (int id : new int[] {0, 1, 255, 256, 65_536, 123_456_789, Integer.MAX_VALUE}) {
            byte[] framed = ConfluentWireFormat.frame(id, new byte[] {9, 8}, 0, 2);
            assertThat(framed[0]).isZero();
            assertThat(ConfluentWireFormat.readSchemaId(framed)).isEqualTo(id);
            assertThat(framed).endsWith(9, 8);
        }
        assertThat(ConfluentWireFormat.frame(0x01020304, new byte[0], 0, 0))
                .containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void emptyPayloadIsNamed() {
        assertThatThrownBy(() -> ConfluentWireFormat.readSchemaId(new byte[0]))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(WireFormatException.Reason.EMPTY_PAYLOAD));
    }

    @Test
    void wrongMagicByteIsNamedWithTheByte() {
        assertThatThrownBy(() -> ConfluentWireFormat.readSchemaId(new byte[] {0x7b, 1, 2, 3, 4}))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> {
                            assertThat(e.reason())
                                    .isEqualTo(WireFormatException.Reason.BAD_MAGIC_BYTE);
                            assertThat(e.getMessage()).contains("0x7b");
                        });
    }

    @Test
    void truncatedHeaderIsNamed() {
        assertThatThrownBy(() -> ConfluentWireFormat.readSchemaId(new byte[] {0, 0, 1}))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(WireFormatException.Reason.TRUNCATED_HEADER));
    }
}
