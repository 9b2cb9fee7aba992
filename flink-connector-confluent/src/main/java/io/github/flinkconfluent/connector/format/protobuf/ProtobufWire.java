package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.flink.annotation.Internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;

import java.io.IOException;

/**
 * The wire-level reads both Protobuf readers ({@link ProtobufRowReaders}, {@link ProtobufJson})
 * share: which wire type a field's values have, and one integer of any of Protobuf's ten integer
 * encodings as a {@code long}.
 */
@Internal
final class ProtobufWire {

    private ProtobufWire() {}

    /**
     * The tag of field {@code number} with {@code wireType} (protobuf-java keeps its own private).
     */
    static int tag(int number, int wireType) {
        return (number << 3) | wireType;
    }

    /** The wire type of one (unpacked) value of {@code field}. */
    static int wireType(FieldDescriptor field) {
        return field.getLiteType().getWireType();
    }

    /** Whether a value with {@code wireType} is a packed run of {@code field}'s values. */
    static boolean isPackedRun(FieldDescriptor field, int wireType) {
        return wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED
                && field.isRepeated()
                && field.getLiteType().isPackable();
    }

    /**
     * Reads one integer (or bool, or enum number) of {@code field}; unsigned 32-bit values are
     * zero-extended, unsigned 64-bit values keep their bits.
     */
    static long readInteger(FieldDescriptor field, CodedInputStream in) throws IOException {
        switch (field.getType()) {
            case INT32:
                return in.readInt32();
            case SINT32:
                return in.readSInt32();
            case SFIXED32:
                return in.readSFixed32();
            case UINT32:
                return in.readUInt32() & 0xffffffffL;
            case FIXED32:
                return in.readFixed32() & 0xffffffffL;
            case INT64:
                return in.readInt64();
            case SINT64:
                return in.readSInt64();
            case SFIXED64:
                return in.readSFixed64();
            case UINT64:
                return in.readUInt64();
            case FIXED64:
                return in.readFixed64();
            case BOOL:
                return in.readBool() ? 1 : 0;
            case ENUM:
                return in.readEnum();
            default:
                throw new IllegalStateException(field.getFullName() + " is not an integer");
        }
    }

    /** Enters a length-delimited value: returns the limit to restore with {@code popLimit}. */
    static int enter(CodedInputStream in, int depth) throws IOException {
        if (depth > ProtobufRowReaders.MAX_DEPTH) {
            throw new BadProtobufException(
                    Reason.MALFORMED_BODY,
                    "messages nested more than " + ProtobufRowReaders.MAX_DEPTH + " deep");
        }
        int length = in.readRawVarint32();
        return in.pushLimit(length);
    }
}
