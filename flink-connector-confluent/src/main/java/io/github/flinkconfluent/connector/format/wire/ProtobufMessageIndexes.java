package io.github.flinkconfluent.connector.format.wire;

import org.apache.flink.annotation.Internal;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The message-index path that Confluent's Protobuf framing puts between the schema id and the
 * message: which message type of the {@code .proto} file the record holds.
 *
 * <p>Encoded as a zig-zag varint count followed by that many zig-zag varint indexes; the common
 * case, the first top-level message ({@code [0]}), is the single byte {@code 0}. Ready here so that
 * Protobuf support only adds the message codec.
 */
@Internal
public final class ProtobufMessageIndexes {

    /** Deep enough for any real nesting; bounds what a corrupt count can make us allocate. */
    static final int MAX_DEPTH = 128;

    private ProtobufMessageIndexes() {}

    /** The decoded indexes and where the message starts. */
    public record Decoded(int[] indexes, int messageOffset) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Decoded d
                    && d.messageOffset == messageOffset
                    && Arrays.equals(d.indexes, indexes);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(indexes) + messageOffset;
        }

        @Override
        public String toString() {
            return Arrays.toString(indexes) + "@" + messageOffset;
        }
    }

    /** Encodes {@code indexes}; {@code [0]} and {@code []} both become the single byte 0. */
    public static byte[] encode(int[] indexes) {
        if (indexes.length == 0 || (indexes.length == 1 && indexes[0] == 0)) {
            return new byte[] {0};
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeZigZag(out, indexes.length);
        for (int index : indexes) {
            writeZigZag(out, index);
        }
        return out.toByteArray();
    }

    /** Decodes the indexes that start at {@code offset} (just after the 5-byte header). */
    public static Decoded decode(byte[] message, int offset, int schemaId)
            throws WireFormatException {
        int[] position = {offset};
        int count = readZigZag(message, position, schemaId);
        if (count == 0) {
            return new Decoded(new int[] {0}, position[0]);
        }
        if (count < 0 || count > MAX_DEPTH) {
            throw new WireFormatException(
                    WireFormatException.Reason.MALFORMED_BODY,
                    schemaId,
                    "Protobuf message index count " + count + " is out of range 0.." + MAX_DEPTH);
        }
        int[] indexes = new int[count];
        for (int i = 0; i < count; i++) {
            indexes[i] = readZigZag(message, position, schemaId);
            if (indexes[i] < 0) {
                throw new WireFormatException(
                        WireFormatException.Reason.MALFORMED_BODY,
                        schemaId,
                        "negative Protobuf message index " + indexes[i]);
            }
        }
        return new Decoded(indexes, position[0]);
    }

    private static void writeZigZag(ByteArrayOutputStream out, int value) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int readZigZag(byte[] bytes, int[] position, int schemaId)
            throws WireFormatException {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (position[0] >= bytes.length) {
                throw new WireFormatException(
                        WireFormatException.Reason.TRUNCATED_BODY,
                        schemaId,
                        "the record ends inside the Protobuf message indexes");
            }
            int b = bytes[position[0]++] & 0xff;
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (result >>> 1) ^ -(result & 1);
            }
        }
        throw new WireFormatException(
                WireFormatException.Reason.MALFORMED_BODY,
                schemaId,
                "a Protobuf message index varint is longer than 5 bytes");
    }
}
