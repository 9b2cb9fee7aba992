package io.github.flinkconfluent.connector.format.wire;

import org.apache.flink.annotation.Internal;

/**
 * The Confluent framing of a Kafka record value or key: magic byte {@code 0}, then the schema id as
 * a 4-byte big-endian integer, then the payload (Avro binary, JSON text, or Protobuf message
 * indexes and message).
 */
@Internal
public final class ConfluentWireFormat {

    /** The first byte of every framed record. */
    public static final byte MAGIC_BYTE = 0;

    /** Magic byte plus schema id. */
    public static final int HEADER_LENGTH = 5;

    private ConfluentWireFormat() {}

    /** Reads the schema id from a framed record, rejecting anything that is not framed. */
    public static int readSchemaId(byte[] message) throws WireFormatException {
        if (message == null || message.length == 0) {
            throw new WireFormatException(
                    WireFormatException.Reason.EMPTY_PAYLOAD,
                    -1,
                    "the record has no bytes; a Schema Registry framed record starts with a"
                            + " magic byte and a 4-byte schema id");
        }
        if (message[0] != MAGIC_BYTE) {
            throw new WireFormatException(
                    WireFormatException.Reason.BAD_MAGIC_BYTE,
                    -1,
                    String.format(
                            "first byte is 0x%02x, not the Confluent magic byte 0x00; the record"
                                    + " was not written with a Schema Registry serializer (turn"
                                    + " off the registry framing for this table if that is"
                                    + " expected)",
                            message[0] & 0xff));
        }
        if (message.length < HEADER_LENGTH) {
            throw new WireFormatException(
                    WireFormatException.Reason.TRUNCATED_HEADER,
                    -1,
                    "the record has "
                            + message.length
                            + " bytes, fewer than the 5-byte header (magic byte and schema id)");
        }
        return ((message[1] & 0xff) << 24)
                | ((message[2] & 0xff) << 16)
                | ((message[3] & 0xff) << 8)
                | (message[4] & 0xff);
    }

    /** Writes the 5-byte header for {@code schemaId} into {@code target} at {@code offset}. */
    public static void writeHeader(int schemaId, byte[] target, int offset) {
        target[offset] = MAGIC_BYTE;
        target[offset + 1] = (byte) (schemaId >>> 24);
        target[offset + 2] = (byte) (schemaId >>> 16);
        target[offset + 3] = (byte) (schemaId >>> 8);
        target[offset + 4] = (byte) schemaId;
    }

    /** {@code header(schemaId) + body}. */
    public static byte[] frame(int schemaId, byte[] body, int bodyOffset, int bodyLength) {
        byte[] framed = new byte[HEADER_LENGTH + bodyLength];
        writeHeader(schemaId, framed, 0);
        System.arraycopy(body, bodyOffset, framed, HEADER_LENGTH, bodyLength);
        return framed;
    }
}
