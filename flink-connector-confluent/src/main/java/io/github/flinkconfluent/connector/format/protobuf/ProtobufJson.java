package io.github.flinkconfluent.connector.format.protobuf;

import org.apache.flink.annotation.Internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders Protobuf values read from the wire as JSON text, for JSON columns: a {@code oneof}, a
 * recursive message, or any non-text value read into a {@code STRING} column.
 *
 * <p>The layout is the proto3 JSON mapping with the field names of the schema (as the columns have
 * them) and 64-bit integers as JSON numbers (so that {@code JSON_VALUE ... RETURNING BIGINT} reads
 * them): messages are objects with the fields present on the wire, in declaration order; repeated
 * fields are arrays, maps are objects, enums their value's name (the number when the schema lacks
 * it), bytes base64, {@code Timestamp} an ISO-8601 instant, wrappers their value. Works from the
 * descriptors built at open; the per-record cost is the reading itself.
 */
@Internal
final class ProtobufJson {

    private ProtobufJson() {}

    /** One value of {@code field} (not a whole repeated field), as JSON. */
    static String value(FieldDescriptor field, CodedInputStream in, int depth) throws IOException {
        StringBuilder out = new StringBuilder();
        value(field, in, out, depth);
        return out.toString();
    }

    /** A whole message of type {@code type} up to the current limit, as JSON. */
    static void message(Descriptor type, CodedInputStream in, StringBuilder out, int depth)
            throws IOException {
        if (WellKnownTypes.isTimestamp(type)) {
            long seconds = 0;
            long nanos = 0;
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                if (tag == ProtobufWire.tag(1, WireFormat.WIRETYPE_VARINT)) {
                    seconds = in.readInt64();
                } else if (tag == ProtobufWire.tag(2, WireFormat.WIRETYPE_VARINT)) {
                    nanos = in.readInt32();
                } else {
                    in.skipField(tag);
                }
            }
            out.append('"').append(ProtobufRowReaders.instant(seconds, nanos)).append('"');
            return;
        }
        FieldDescriptor wrapped = WellKnownTypes.wrappedValue(type);
        Map<FieldDescriptor, List<String>> fields = new LinkedHashMap<>();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            FieldDescriptor field = type.findFieldByNumber(WireFormat.getTagFieldNumber(tag));
            int wireType = WireFormat.getTagWireType(tag);
            if (field == null) {
                in.skipField(tag);
            } else if (ProtobufWire.isPackedRun(field, wireType)) {
                List<String> values = fields.computeIfAbsent(field, f -> new ArrayList<>());
                int limit = ProtobufWire.enter(in, depth);
                while (in.getBytesUntilLimit() > 0) {
                    values.add(value(field, in, depth));
                }
                in.popLimit(limit);
            } else if (wireType != ProtobufWire.wireType(field)) {
                in.skipField(tag); // as protobuf-java: a mismatched wire type is an unknown field
            } else {
                List<String> values = fields.computeIfAbsent(field, f -> new ArrayList<>());
                if (!field.isRepeated()) {
                    values.clear(); // the last value wins
                }
                values.add(value(field, in, depth));
            }
        }
        if (wrapped != null) {
            List<String> values = fields.get(wrapped);
            out.append(values == null ? defaultJson(wrapped) : values.get(0));
            return;
        }
        out.append('{');
        boolean first = true;
        for (FieldDescriptor field : type.getFields()) {
            List<String> values = fields.get(field);
            if (values == null) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            string(field.getName(), out);
            out.append(':');
            if (field.isMapField()) {
                out.append('{');
                for (int i = 0; i < values.size(); i++) {
                    out.append(i == 0 ? "" : ",").append(values.get(i));
                }
                out.append('}');
            } else if (field.isRepeated()) {
                out.append('[').append(String.join(",", values)).append(']');
            } else {
                out.append(values.get(0));
            }
        }
        out.append('}');
    }

    private static void value(
            FieldDescriptor field, CodedInputStream in, StringBuilder out, int depth)
            throws IOException {
        switch (field.getType()) {
            case DOUBLE:
                number(in.readDouble(), out);
                return;
            case FLOAT:
                float f = in.readFloat();
                if (Float.isFinite(f) && f != Math.rint(f)) {
                    out.append(Float.toString(f)); // the float's shortest digits, not the double's
                } else {
                    number(f, out);
                }
                return;
            case BOOL:
                out.append(in.readBool());
                return;
            case STRING:
                string(in.readStringRequireUtf8(), out);
                return;
            case BYTES:
                string(Base64.getEncoder().encodeToString(in.readByteArray()), out);
                return;
            case ENUM:
                int number = in.readEnum();
                EnumValueDescriptor symbol = field.getEnumType().findValueByNumber(number);
                if (symbol == null) {
                    out.append(number);
                } else {
                    string(symbol.getName(), out);
                }
                return;
            case UINT32:
            case FIXED32:
                out.append(ProtobufWire.readInteger(field, in));
                return;
            case UINT64:
            case FIXED64:
                out.append(Long.toUnsignedString(ProtobufWire.readInteger(field, in)));
                return;
            case MESSAGE:
                int limit = ProtobufWire.enter(in, depth);
                if (field.isMapField()) {
                    mapEntry(field.getMessageType(), in, out, depth + 1);
                } else {
                    message(field.getMessageType(), in, out, depth + 1);
                }
                in.popLimit(limit);
                return;
            case GROUP:
                throw new BadProtobufException(
                        io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason
                                .MALFORMED_BODY,
                        "proto2 groups are not supported");
            default:
                out.append(ProtobufWire.readInteger(field, in));
        }
    }

    /** A map entry as {@code "key":value}: JSON object keys are strings. */
    private static void mapEntry(
            Descriptor entry, CodedInputStream in, StringBuilder out, int depth)
            throws IOException {
        FieldDescriptor keyField = entry.findFieldByNumber(1);
        FieldDescriptor valueField = entry.findFieldByNumber(2);
        String key = null;
        String value = null;
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            int number = WireFormat.getTagFieldNumber(tag);
            int wireType = WireFormat.getTagWireType(tag);
            if (number == 1 && wireType == ProtobufWire.wireType(keyField)) {
                key = value(keyField, in, depth);
            } else if (number == 2 && wireType == ProtobufWire.wireType(valueField)) {
                value = value(valueField, in, depth);
            } else {
                in.skipField(tag);
            }
        }
        if (key == null) {
            key = defaultJson(keyField);
        }
        if (key.startsWith("\"")) {
            out.append(key);
        } else {
            string(key, out);
        }
        out.append(':').append(value == null ? defaultJson(valueField) : value);
    }

    /** The JSON of the value an absent field reads as. */
    static String defaultJson(FieldDescriptor field) {
        switch (field.getJavaType()) {
            case BOOLEAN:
                return "false";
            case STRING:
            case BYTE_STRING:
                return "\"\"";
            case ENUM:
                StringBuilder name = new StringBuilder();
                string(field.getEnumType().getValues().get(0).getName(), name);
                return name.toString();
            case MESSAGE:
                return field.getMessageType().getFullName().equals(WellKnownTypes.TIMESTAMP)
                        ? "\"" + Instant.EPOCH + "\""
                        : WellKnownTypes.wrappedValue(field.getMessageType()) != null
                                ? defaultJson(WellKnownTypes.wrappedValue(field.getMessageType()))
                                : "{}";
            default:
                return "0";
        }
    }

    private static void number(double value, StringBuilder out) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            out.append('"').append(value).append('"');
        } else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
    }

    static void string(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
