package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles, for one message type and the table's columns, a tree of readers that decode the
 * Protobuf wire bytes straight into Flink's internal row data, with no intermediate message object.
 *
 * <p>Columns are matched to fields by name once, at compile time; records are then read by field
 * number, which is what Protobuf's evolution rules keep stable: fields the columns do not name and
 * numbers the schema does not know are skipped, a value whose wire type is not its field's is
 * skipped as protobuf-java does, the last value of a non-repeated field wins, and a packed or
 * unpacked repeated field is read either way. A field absent from the record reads as NULL when the
 * field has presence (messages, wrappers, {@code optional}, oneof members) and as its default (0,
 * {@code ''}, {@code FALSE}, the first enum value, an empty array or map) when it has not. A column
 * whose type does not fit its field is refused at compile time ({@link IllegalArgumentException}
 * naming the column), so the per-record path does no type work.
 */
@Internal
final class ProtobufRowReaders {

    /** Messages nested deeper than this are bad data, not a stack overflow. */
    static final int MAX_DEPTH = 100;

    private ProtobufRowReaders() {}

    /** Reads one wire value of a field into Flink's internal representation. */
    @FunctionalInterface
    interface ValueReader {
        Object read(CodedInputStream in, int depth) throws IOException;
    }

    /** Compiles the reader of {@code message} into rows of {@code rowType}. */
    static RowReader forRow(Descriptor message, RowType rowType) {
        return new RowReader(message, rowType, message.getName());
    }

    /** What a field's values become in its column. */
    private enum Kind {
        SINGLE,
        REPEATED,
        MAP,
        ONEOF,
        JSON_LIST,
        JSON_MAP
    }

    private static final class Slot {
        final int column;
        final Kind kind;
        final FieldDescriptor field;
        final int wireType;
        final ValueReader reader;
        final ValueReader keyReader;
        final Object keyDefault;
        final Object valueDefault;

        Slot(int column, Kind kind, FieldDescriptor field, ValueReader reader) {
            this(column, kind, field, reader, null, null, null);
        }

        Slot(
                int column,
                Kind kind,
                FieldDescriptor field,
                ValueReader reader,
                ValueReader keyReader,
                Object keyDefault,
                Object valueDefault) {
            this.column = column;
            this.kind = kind;
            this.field = field;
            this.wireType = ProtobufWire.wireType(field);
            this.reader = reader;
            this.keyReader = keyReader;
            this.keyDefault = keyDefault;
            this.valueDefault = valueDefault;
        }
    }

    /** Reads one message into a row. */
    static final class RowReader {
        private final int arity;
        private final Map<Integer, Slot> slots = new HashMap<>();
        private final Slot[] dense;
        private final Object[] defaults;
        private final Kind[] accumulate;
        private final LogicalType[] elementTypes;
        private final String[] requiredColumns;

        private RowReader(Descriptor message, RowType rowType, String path) {
            arity = rowType.getFieldCount();
            defaults = new Object[arity];
            accumulate = new Kind[arity];
            elementTypes = new LogicalType[arity];
            requiredColumns = new String[arity];
            for (int i = 0; i < arity; i++) {
                String name = rowType.getFieldNames().get(i);
                LogicalType type = rowType.getTypeAt(i);
                String where = path + "." + name;
                FieldDescriptor field = message.findFieldByName(name);
                OneofDescriptor oneof = field == null ? oneof(message, name) : null;
                if (field != null) {
                    column(i, field, type, where);
                } else if (oneof != null) {
                    if (!type.is(LogicalTypeFamily.CHARACTER_STRING)) {
                        throw new IllegalArgumentException(
                                "column "
                                        + where
                                        + " is the oneof '"
                                        + oneof.getName()
                                        + "', which reads as a JSON column: declare it STRING");
                    }
                    for (FieldDescriptor member : oneof.getFields()) {
                        put(new Slot(i, Kind.ONEOF, member, oneofReader(member)), where);
                    }
                } else if (!type.isNullable()) {
                    throw new IllegalArgumentException(
                            "column "
                                    + where
                                    + " is NOT NULL, but message "
                                    + message.getFullName()
                                    + " has no field or oneof of that name");
                }
                if (defaults[i] == null && !type.isNullable()) {
                    requiredColumns[i] = where;
                }
            }
            int max = slots.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            if (max <= 1024) {
                dense = new Slot[max + 1];
                slots.forEach((number, slot) -> dense[number] = slot);
            } else {
                dense = null;
            }
        }

        private static OneofDescriptor oneof(Descriptor message, String name) {
            for (OneofDescriptor oneof : message.getRealOneofs()) {
                if (oneof.getName().equals(name)) {
                    return oneof;
                }
            }
            return null;
        }

        private void column(int i, FieldDescriptor field, LogicalType type, String where) {
            boolean json = type.is(LogicalTypeFamily.CHARACTER_STRING);
            if (field.isMapField()) {
                if (json) {
                    put(new Slot(i, Kind.JSON_MAP, field, jsonReader(field)), where);
                    accumulate[i] = Kind.JSON_MAP;
                    defaults[i] = StringData.fromString("{}");
                    return;
                }
                if (!(type instanceof MapType map)) {
                    throw mismatch(where, field, type, "MAP or STRING");
                }
                FieldDescriptor key = field.getMessageType().findFieldByNumber(1);
                FieldDescriptor value = field.getMessageType().findFieldByNumber(2);
                put(
                        new Slot(
                                i,
                                Kind.MAP,
                                field,
                                single(value, map.getValueType(), where + ".value"),
                                single(key, map.getKeyType(), where + ".key"),
                                defaultValue(key, map.getKeyType()),
                                value.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                                        ? null
                                        : defaultValue(value, map.getValueType())),
                        where);
                accumulate[i] = Kind.MAP;
                defaults[i] = new GenericMapData(Map.of());
            } else if (field.isRepeated()) {
                if (json) {
                    put(new Slot(i, Kind.JSON_LIST, field, jsonReader(field)), where);
                    accumulate[i] = Kind.JSON_LIST;
                    defaults[i] = StringData.fromString("[]");
                    return;
                }
                if (!(type instanceof ArrayType array)) {
                    throw mismatch(where, field, type, "ARRAY or STRING");
                }
                put(
                        new Slot(
                                i,
                                Kind.REPEATED,
                                field,
                                single(field, array.getElementType(), where + "[]")),
                        where);
                accumulate[i] = Kind.REPEATED;
                elementTypes[i] = array.getElementType();
                defaults[i] = new GenericArrayData(new Object[0]);
            } else {
                put(new Slot(i, Kind.SINGLE, field, single(field, type, where)), where);
                defaults[i] = field.hasPresence() ? null : defaultValue(field, type);
            }
        }

        private void put(Slot slot, String where) {
            if (slots.put(slot.field.getNumber(), slot) != null) {
                throw new IllegalArgumentException(
                        "column "
                                + where
                                + " reads field "
                                + slot.field.getName()
                                + ", which another column reads too");
            }
        }

        private Slot slot(int number) {
            if (dense != null) {
                return number < dense.length ? dense[number] : null;
            }
            return slots.get(number);
        }

        /** Reads fields up to the current limit (the end of the message). */
        @SuppressWarnings("unchecked")
        RowData read(CodedInputStream in, int depth) throws IOException {
            GenericRowData row = new GenericRowData(arity);
            Object[] accumulated = null;
            for (int i = 0; i < arity; i++) {
                row.setField(i, defaults[i]);
            }
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                Slot slot = slot(WireFormat.getTagFieldNumber(tag));
                if (slot == null) {
                    in.skipField(tag);
                    continue;
                }
                int wireType = WireFormat.getTagWireType(tag);
                boolean packed =
                        wireType != slot.wireType && ProtobufWire.isPackedRun(slot.field, wireType);
                if (wireType != slot.wireType && !packed) {
                    in.skipField(tag); // as protobuf-java: a mismatched wire type is unknown
                    continue;
                }
                switch (slot.kind) {
                    case SINGLE:
                        row.setField(slot.column, slot.reader.read(in, depth));
                        break;
                    case ONEOF:
                        row.setField(slot.column, slot.reader.read(in, depth));
                        break;
                    default:
                        if (accumulated == null) {
                            accumulated = new Object[arity];
                        }
                        if (accumulated[slot.column] == null) {
                            accumulated[slot.column] =
                                    slot.kind == Kind.MAP
                                            ? new LinkedHashMap<>()
                                            : new ArrayList<>();
                        }
                        if (slot.kind == Kind.MAP) {
                            readEntry(
                                    slot,
                                    in,
                                    depth,
                                    (Map<Object, Object>) accumulated[slot.column]);
                        } else if (packed) {
                            List<Object> list = (List<Object>) accumulated[slot.column];
                            int limit = ProtobufWire.enter(in, depth);
                            while (in.getBytesUntilLimit() > 0) {
                                list.add(slot.reader.read(in, depth));
                            }
                            in.popLimit(limit);
                        } else {
                            ((List<Object>) accumulated[slot.column])
                                    .add(slot.reader.read(in, depth));
                        }
                }
            }
            if (accumulated != null) {
                for (int i = 0; i < arity; i++) {
                    if (accumulated[i] != null) {
                        row.setField(i, finish(accumulate[i], elementTypes[i], accumulated[i]));
                    }
                }
            }
            for (int i = 0; i < arity; i++) {
                if (requiredColumns[i] != null && row.isNullAt(i)) {
                    throw new BadProtobufException(
                            Reason.SCHEMA_VIOLATION,
                            "the record has no value for the NOT NULL column "
                                    + requiredColumns[i]);
                }
            }
            return row;
        }

        @SuppressWarnings("unchecked")
        private static Object finish(Kind kind, LogicalType elementType, Object accumulated) {
            switch (kind) {
                case MAP:
                    return new GenericMapData((Map<Object, Object>) accumulated);
                case REPEATED:
                    return array(elementType, (List<Object>) accumulated);
                case JSON_LIST:
                    return StringData.fromString(
                            "[" + String.join(",", (List<String>) (List<?>) accumulated) + "]");
                case JSON_MAP:
                default:
                    return StringData.fromString(
                            "{" + String.join(",", (List<String>) (List<?>) accumulated) + "}");
            }
        }

        /**
         * Elements of a NOT NULL primitive type as a primitive array, as Flink's own formats build
         * them (some callers read them with {@code toIntArray()} and the like).
         */
        private static GenericArrayData array(LogicalType elementType, List<Object> values) {
            if (elementType.isNullable()) {
                return new GenericArrayData(values.toArray());
            }
            int n = values.size();
            switch (elementType.getTypeRoot()) {
                case BOOLEAN:
                    boolean[] booleans = new boolean[n];
                    for (int i = 0; i < n; i++) {
                        booleans[i] = (Boolean) values.get(i);
                    }
                    return new GenericArrayData(booleans);
                case INTEGER:
                    return new GenericArrayData(
                            values.stream().mapToInt(v -> (Integer) v).toArray());
                case BIGINT:
                    return new GenericArrayData(values.stream().mapToLong(v -> (Long) v).toArray());
                case FLOAT:
                    float[] floats = new float[n];
                    for (int i = 0; i < n; i++) {
                        floats[i] = (Float) values.get(i);
                    }
                    return new GenericArrayData(floats);
                case DOUBLE:
                    return new GenericArrayData(
                            values.stream().mapToDouble(v -> (Double) v).toArray());
                default:
                    return new GenericArrayData(values.toArray());
            }
        }

        private static void readEntry(
                Slot slot, CodedInputStream in, int depth, Map<Object, Object> map)
                throws IOException {
            int limit = ProtobufWire.enter(in, depth);
            Object key = slot.keyDefault;
            Object value = slot.valueDefault;
            FieldDescriptor keyField = slot.field.getMessageType().findFieldByNumber(1);
            FieldDescriptor valueField = slot.field.getMessageType().findFieldByNumber(2);
            while (true) {
                int tag = in.readTag();
                if (tag == 0) {
                    break;
                }
                int number = WireFormat.getTagFieldNumber(tag);
                int wireType = WireFormat.getTagWireType(tag);
                if (number == 1 && wireType == ProtobufWire.wireType(keyField)) {
                    key = slot.keyReader.read(in, depth + 1);
                } else if (number == 2 && wireType == ProtobufWire.wireType(valueField)) {
                    value = slot.reader.read(in, depth + 1);
                } else {
                    in.skipField(tag);
                }
            }
            in.popLimit(limit);
            map.put(key, value);
        }
    }

    private static ValueReader oneofReader(FieldDescriptor member) {
        StringBuilder prefix = new StringBuilder("{");
        ProtobufJson.string(member.getName(), prefix);
        prefix.append(':');
        String start = prefix.toString();
        return (in, depth) ->
                StringData.fromString(start + ProtobufJson.value(member, in, depth) + "}");
    }

    /** One value as JSON text (an element of a JSON list, or a {@code "key":value} entry). */
    private static ValueReader jsonReader(FieldDescriptor field) {
        return (in, depth) -> ProtobufJson.value(field, in, depth);
    }

    /** The reader of one value of {@code field} into a column (or element) of {@code type}. */
    private static ValueReader single(FieldDescriptor field, LogicalType type, String where) {
        FieldDescriptor.JavaType javaType = field.getJavaType();
        Descriptor message =
                javaType == FieldDescriptor.JavaType.MESSAGE ? field.getMessageType() : null;
        if (message != null && field.getType() == FieldDescriptor.Type.GROUP) {
            throw new IllegalArgumentException(
                    "column " + where + " reads a proto2 group, which is not supported");
        }
        if (message != null
                && WellKnownTypes.wrappedValue(message) != null
                && !type.is(LogicalTypeRoot.ROW)) {
            return wrapper(WellKnownTypes.wrappedValue(message), type, where);
        }
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                if (javaType == FieldDescriptor.JavaType.STRING) {
                    return (in, depth) -> StringData.fromBytes(in.readByteArray());
                }
                if (javaType == FieldDescriptor.JavaType.ENUM) {
                    return (in, depth) -> StringData.fromString(enumName(field, in.readEnum()));
                }
                return (in, depth) -> StringData.fromString(ProtobufJson.value(field, in, depth));
            case BOOLEAN:
                if (javaType == FieldDescriptor.JavaType.BOOLEAN) {
                    return (in, depth) -> in.readBool();
                }
                break;
            case INTEGER:
                if (javaType == FieldDescriptor.JavaType.INT && !ProtobufToSql.isUnsigned(field)) {
                    return (in, depth) -> (int) ProtobufWire.readInteger(field, in);
                }
                break;
            case BIGINT:
                if (javaType == FieldDescriptor.JavaType.INT
                        || (javaType == FieldDescriptor.JavaType.LONG
                                && !ProtobufToSql.isUnsigned(field))) {
                    return (in, depth) -> ProtobufWire.readInteger(field, in);
                }
                break;
            case DECIMAL:
                if (javaType == FieldDescriptor.JavaType.INT
                        || javaType == FieldDescriptor.JavaType.LONG) {
                    DecimalType decimal = (DecimalType) type;
                    boolean unsigned64 =
                            javaType == FieldDescriptor.JavaType.LONG
                                    && ProtobufToSql.isUnsigned(field);
                    return (in, depth) -> {
                        long bits = ProtobufWire.readInteger(field, in);
                        BigDecimal value =
                                unsigned64
                                        ? new BigDecimal(Long.toUnsignedString(bits))
                                        : BigDecimal.valueOf(bits);
                        DecimalData data =
                                DecimalData.fromBigDecimal(
                                        value, decimal.getPrecision(), decimal.getScale());
                        if (data == null) {
                            throw new BadProtobufException(
                                    Reason.SCHEMA_VIOLATION,
                                    value + " does not fit column " + where + " " + type);
                        }
                        return data;
                    };
                }
                break;
            case FLOAT:
                if (javaType == FieldDescriptor.JavaType.FLOAT) {
                    return (in, depth) -> in.readFloat();
                }
                break;
            case DOUBLE:
                if (javaType == FieldDescriptor.JavaType.DOUBLE) {
                    return (in, depth) -> in.readDouble();
                }
                if (javaType == FieldDescriptor.JavaType.FLOAT) {
                    return (in, depth) -> (double) in.readFloat();
                }
                break;
            case BINARY:
            case VARBINARY:
                if (javaType == FieldDescriptor.JavaType.BYTE_STRING) {
                    return (in, depth) -> in.readByteArray();
                }
                break;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                if (message != null && WellKnownTypes.isTimestamp(message)) {
                    int precision =
                            type instanceof LocalZonedTimestampType ltz
                                    ? ltz.getPrecision()
                                    : ((TimestampType) type).getPrecision();
                    return (in, depth) -> timestamp(in, depth, precision);
                }
                break;
            case ROW:
                if (message != null && !WellKnownTypes.isTimestamp(message)) {
                    RowReader nested = new RowReader(message, (RowType) type, where);
                    return (in, depth) -> {
                        int limit = ProtobufWire.enter(in, depth);
                        RowData row = nested.read(in, depth + 1);
                        in.popLimit(limit);
                        return row;
                    };
                }
                break;
            default:
                break;
        }
        throw mismatch(where, field, type, null);
    }

    /** A wrapper message read as its scalar: {@code Int32Value{}} is 0, an absent one NULL. */
    private static ValueReader wrapper(FieldDescriptor value, LogicalType type, String where) {
        ValueReader inner = single(value, type, where);
        Object absent = defaultValue(value, type);
        int tag = ProtobufWire.tag(1, ProtobufWire.wireType(value));
        return (in, depth) -> {
            int limit = ProtobufWire.enter(in, depth);
            Object result = absent;
            while (true) {
                int next = in.readTag();
                if (next == 0) {
                    break;
                }
                if (next == tag) {
                    result = inner.read(in, depth + 1);
                } else {
                    in.skipField(next);
                }
            }
            in.popLimit(limit);
            return result;
        };
    }

    private static TimestampData timestamp(CodedInputStream in, int depth, int precision)
            throws IOException {
        int limit = ProtobufWire.enter(in, depth);
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
        in.popLimit(limit);
        Instant instant = instant(seconds, nanos);
        long unit = (long) Math.pow(10, 9 - precision);
        int kept = (int) (instant.getNano() - instant.getNano() % unit);
        try {
            return TimestampData.fromEpochMillis(
                    Math.addExact(
                            Math.multiplyExact(instant.getEpochSecond(), 1000L), kept / 1_000_000),
                    kept % 1_000_000);
        } catch (ArithmeticException e) {
            throw new BadProtobufException(
                    Reason.MALFORMED_BODY,
                    "a google.protobuf.Timestamp of " + seconds + " s is beyond SQL's range");
        }
    }

    /** The instant a Timestamp holds; one beyond what {@link Instant} holds is bad data. */
    static Instant instant(long seconds, long nanos) throws BadProtobufException {
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (DateTimeException | ArithmeticException e) {
            throw new BadProtobufException(
                    Reason.MALFORMED_BODY,
                    "a google.protobuf.Timestamp of "
                            + seconds
                            + " s "
                            + nanos
                            + " ns is out of range");
        }
    }

    private static String enumName(FieldDescriptor field, int number) {
        EnumValueDescriptor value = field.getEnumType().findValueByNumber(number);
        return value == null ? Integer.toString(number) : value.getName();
    }

    /** What an absent field without presence reads as, in a column of {@code type}. */
    private static Object defaultValue(FieldDescriptor field, LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                if (field.getJavaType() == FieldDescriptor.JavaType.STRING) {
                    return StringData.fromString("");
                }
                if (field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                    return StringData.fromString(field.getEnumType().getValues().get(0).getName());
                }
                if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    return null;
                }
                return StringData.fromString(ProtobufJson.defaultJson(field));
            case BOOLEAN:
                return false;
            case INTEGER:
                return 0;
            case BIGINT:
                return 0L;
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return DecimalData.zero(decimal.getPrecision(), decimal.getScale());
            case FLOAT:
                return 0f;
            case DOUBLE:
                return 0d;
            case BINARY:
            case VARBINARY:
                return new byte[0];
            default:
                return null;
        }
    }

    private static IllegalArgumentException mismatch(
            String where, FieldDescriptor field, LogicalType type, String expected) {
        return new IllegalArgumentException(
                "column "
                        + where
                        + " is "
                        + type.asSummaryString()
                        + ", which cannot hold Protobuf field "
                        + field.getName()
                        + " ("
                        + (field.isRepeated() && !field.isMapField() ? "repeated " : "")
                        + (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                                ? field.getMessageType().getFullName()
                                : field.getType().name().toLowerCase(java.util.Locale.ROOT))
                        + ")"
                        + (expected == null
                                ? "; see the Protobuf type mapping in docs/schema-registry.md"
                                : "; declare it " + expected));
    }
}
