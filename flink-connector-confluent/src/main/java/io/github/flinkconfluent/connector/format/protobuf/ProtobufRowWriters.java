package io.github.flinkconfluent.connector.format.protobuf;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles, for one message type and the table's columns, the writers that encode a row as that
 * message's wire bytes, with no intermediate message object; the sink's counterpart of {@link
 * ProtobufRowReaders}.
 *
 * <p>Columns are matched to fields by name at compile time, where a column whose type does not fit
 * its field, or that has no field, is refused ({@link IllegalArgumentException} naming it). A NULL
 * is written as an absent field (which reads back as NULL where the field has presence); a NULL
 * array element or map value cannot be written and fails the row, naming the column.
 */
@Internal
final class ProtobufRowWriters {

    private ProtobufRowWriters() {}

    /** Writes one value (the getter's result) as the field's payload, without its tag. */
    @FunctionalInterface
    interface ValueWriter {
        void write(CodedOutputStream out, Object value) throws IOException;
    }

    /** Writes one row as a message. */
    static final class RowWriter {
        private final List<Column> columns = new ArrayList<>();

        private record Column(
                int position,
                String name,
                FieldDescriptor field,
                RowData.FieldGetter getter,
                ValueWriter writer,
                Kind kind,
                ArrayData.ElementGetter elementGetter,
                ArrayData.ElementGetter keyGetter,
                ArrayData.ElementGetter valueGetter,
                ValueWriter keyWriter) {}

        private enum Kind {
            SINGLE,
            REPEATED,
            PACKED,
            MAP
        }

        private RowWriter(Descriptor message, RowType rowType, String path) {
            for (int i = 0; i < rowType.getFieldCount(); i++) {
                String name = rowType.getFieldNames().get(i);
                LogicalType type = rowType.getTypeAt(i);
                String where = path + "." + name;
                FieldDescriptor field = message.findFieldByName(name);
                if (field == null) {
                    throw new IllegalArgumentException(
                            "column "
                                    + where
                                    + " has no field in message "
                                    + message.getFullName());
                }
                RowData.FieldGetter getter = RowData.createFieldGetter(type, i);
                if (field.isMapField()) {
                    if (!(type instanceof MapType map)) {
                        throw mismatch(where, field, type);
                    }
                    Descriptor entry = field.getMessageType();
                    columns.add(
                            new Column(
                                    i,
                                    where,
                                    field,
                                    getter,
                                    single(
                                            entry.findFieldByNumber(2),
                                            map.getValueType(),
                                            where + ".value"),
                                    Kind.MAP,
                                    null,
                                    ArrayData.createElementGetter(map.getKeyType()),
                                    ArrayData.createElementGetter(map.getValueType()),
                                    single(
                                            entry.findFieldByNumber(1),
                                            map.getKeyType(),
                                            where + ".key")));
                } else if (field.isRepeated()) {
                    if (!(type instanceof ArrayType array)) {
                        throw mismatch(where, field, type);
                    }
                    columns.add(
                            new Column(
                                    i,
                                    where,
                                    field,
                                    getter,
                                    single(field, array.getElementType(), where + "[]"),
                                    field.isPacked() ? Kind.PACKED : Kind.REPEATED,
                                    ArrayData.createElementGetter(array.getElementType()),
                                    null,
                                    null,
                                    null));
                } else {
                    columns.add(
                            new Column(
                                    i,
                                    where,
                                    field,
                                    getter,
                                    single(field, type, where),
                                    Kind.SINGLE,
                                    null,
                                    null,
                                    null,
                                    null));
                }
            }
        }

        /** The message's bytes for {@code row}. */
        byte[] write(RowData row) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            write(row, out);
            out.flush();
            return bytes.toByteArray();
        }

        void write(RowData row, CodedOutputStream out) throws IOException {
            for (Column column : columns) {
                Object value = column.getter.getFieldOrNull(row);
                if (value == null) {
                    continue;
                }
                int number = column.field.getNumber();
                int wireType = ProtobufWire.wireType(column.field);
                switch (column.kind) {
                    case SINGLE:
                        out.writeTag(number, wireType);
                        column.writer.write(out, value);
                        break;
                    case REPEATED:
                        ArrayData array = (ArrayData) value;
                        for (int i = 0; i < array.size(); i++) {
                            out.writeTag(number, wireType);
                            column.writer.write(out, element(column, array, i));
                        }
                        break;
                    case PACKED:
                        ArrayData packed = (ArrayData) value;
                        if (packed.size() == 0) {
                            break;
                        }
                        ByteArrayOutputStream run = new ByteArrayOutputStream();
                        CodedOutputStream runOut = CodedOutputStream.newInstance(run);
                        for (int i = 0; i < packed.size(); i++) {
                            column.writer.write(runOut, element(column, packed, i));
                        }
                        runOut.flush();
                        out.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                        out.writeByteArrayNoTag(run.toByteArray());
                        break;
                    case MAP:
                    default:
                        MapData map = (MapData) value;
                        ArrayData keys = map.keyArray();
                        ArrayData values = map.valueArray();
                        FieldDescriptor keyField =
                                column.field.getMessageType().findFieldByNumber(1);
                        FieldDescriptor valueField =
                                column.field.getMessageType().findFieldByNumber(2);
                        for (int i = 0; i < map.size(); i++) {
                            Object key = column.keyGetter.getElementOrNull(keys, i);
                            Object entryValue = column.valueGetter.getElementOrNull(values, i);
                            if (key == null || entryValue == null) {
                                throw new IllegalArgumentException(
                                        "column "
                                                + column.name
                                                + " holds a NULL map key or value, which Protobuf"
                                                + " cannot write");
                            }
                            ByteArrayOutputStream entry = new ByteArrayOutputStream();
                            CodedOutputStream entryOut = CodedOutputStream.newInstance(entry);
                            entryOut.writeTag(1, ProtobufWire.wireType(keyField));
                            column.keyWriter.write(entryOut, key);
                            entryOut.writeTag(2, ProtobufWire.wireType(valueField));
                            column.writer.write(entryOut, entryValue);
                            entryOut.flush();
                            out.writeTag(number, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                            out.writeByteArrayNoTag(entry.toByteArray());
                        }
                }
            }
        }

        private static Object element(Column column, ArrayData array, int i) {
            Object element = column.elementGetter.getElementOrNull(array, i);
            if (element == null) {
                throw new IllegalArgumentException(
                        "column "
                                + column.name
                                + " holds a NULL array element, which Protobuf cannot write");
            }
            return element;
        }
    }

    /** Compiles the writer of rows of {@code rowType} as {@code message}. */
    static RowWriter forRow(Descriptor message, RowType rowType) {
        return new RowWriter(message, rowType, message.getName());
    }

    private static ValueWriter single(FieldDescriptor field, LogicalType type, String where) {
        FieldDescriptor.JavaType javaType = field.getJavaType();
        Descriptor message =
                javaType == FieldDescriptor.JavaType.MESSAGE ? field.getMessageType() : null;
        if (message != null && WellKnownTypes.wrappedValue(message) != null) {
            ValueWriter inner = single(WellKnownTypes.wrappedValue(message), type, where);
            int wireType = ProtobufWire.wireType(WellKnownTypes.wrappedValue(message));
            return (out, value) -> {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                CodedOutputStream wrapped = CodedOutputStream.newInstance(bytes);
                wrapped.writeTag(1, wireType);
                inner.write(wrapped, value);
                wrapped.flush();
                out.writeByteArrayNoTag(bytes.toByteArray());
            };
        }
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                if (javaType == FieldDescriptor.JavaType.STRING) {
                    return (out, value) ->
                            out.writeByteArrayNoTag(
                                    ((org.apache.flink.table.data.StringData) value).toBytes());
                }
                if (javaType == FieldDescriptor.JavaType.ENUM) {
                    return (out, value) -> {
                        String name = value.toString();
                        EnumValueDescriptor symbol = field.getEnumType().findValueByName(name);
                        if (symbol == null) {
                            throw new IllegalArgumentException(
                                    "column "
                                            + where
                                            + " holds '"
                                            + name
                                            + "', which is not a value of enum "
                                            + field.getEnumType().getFullName());
                        }
                        out.writeEnumNoTag(symbol.getNumber());
                    };
                }
                break;
            case BOOLEAN:
                if (javaType == FieldDescriptor.JavaType.BOOLEAN) {
                    return (out, value) -> out.writeBoolNoTag((Boolean) value);
                }
                break;
            case TINYINT:
            case SMALLINT:
            case INTEGER:
                if (javaType == FieldDescriptor.JavaType.INT
                        || javaType == FieldDescriptor.JavaType.LONG) {
                    return (out, value) -> writeInteger(field, ((Number) value).longValue(), out);
                }
                break;
            case BIGINT:
                if (javaType == FieldDescriptor.JavaType.LONG) {
                    return (out, value) -> writeInteger(field, (Long) value, out);
                }
                break;
            case FLOAT:
                if (javaType == FieldDescriptor.JavaType.FLOAT) {
                    return (out, value) -> out.writeFloatNoTag((Float) value);
                }
                if (javaType == FieldDescriptor.JavaType.DOUBLE) {
                    return (out, value) -> out.writeDoubleNoTag((Float) value);
                }
                break;
            case DOUBLE:
                if (javaType == FieldDescriptor.JavaType.DOUBLE) {
                    return (out, value) -> out.writeDoubleNoTag((Double) value);
                }
                break;
            case BINARY:
            case VARBINARY:
                if (javaType == FieldDescriptor.JavaType.BYTE_STRING) {
                    return (out, value) -> out.writeByteArrayNoTag((byte[]) value);
                }
                break;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                if (message != null && WellKnownTypes.isTimestamp(message)) {
                    return (out, value) -> {
                        TimestampData timestamp = (TimestampData) value;
                        long millis = timestamp.getMillisecond();
                        long seconds = Math.floorDiv(millis, 1000L);
                        int nanos =
                                (int) Math.floorMod(millis, 1000L) * 1_000_000
                                        + timestamp.getNanoOfMillisecond();
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        CodedOutputStream ts = CodedOutputStream.newInstance(bytes);
                        if (seconds != 0) {
                            ts.writeInt64(1, seconds);
                        }
                        if (nanos != 0) {
                            ts.writeInt32(2, nanos);
                        }
                        ts.flush();
                        out.writeByteArrayNoTag(bytes.toByteArray());
                    };
                }
                break;
            case ROW:
                if (message != null && !WellKnownTypes.isTimestamp(message)) {
                    RowWriter nested = new RowWriter(message, (RowType) type, where);
                    return (out, value) -> out.writeByteArrayNoTag(nested.write((RowData) value));
                }
                break;
            default:
                break;
        }
        throw mismatch(where, field, type);
    }

    private static void writeInteger(FieldDescriptor field, long value, CodedOutputStream out)
            throws IOException {
        switch (field.getType()) {
            case INT32 -> out.writeInt32NoTag((int) value);
            case SINT32 -> out.writeSInt32NoTag((int) value);
            case SFIXED32 -> out.writeSFixed32NoTag((int) value);
            case UINT32 -> out.writeUInt32NoTag((int) value);
            case FIXED32 -> out.writeFixed32NoTag((int) value);
            case INT64 -> out.writeInt64NoTag(value);
            case SINT64 -> out.writeSInt64NoTag(value);
            case SFIXED64 -> out.writeSFixed64NoTag(value);
            case UINT64 -> out.writeUInt64NoTag(value);
            case FIXED64 -> out.writeFixed64NoTag(value);
            default -> throw new IllegalStateException(field.getFullName() + " is not an integer");
        }
    }

    private static IllegalArgumentException mismatch(
            String where, FieldDescriptor field, LogicalType type) {
        return new IllegalArgumentException(
                "column "
                        + where
                        + " is "
                        + type.asSummaryString()
                        + ", which cannot be written as Protobuf field "
                        + field.getName()
                        + " ("
                        + (field.isRepeated() && !field.isMapField() ? "repeated " : "")
                        + (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                                ? field.getMessageType().getFullName()
                                : field.getType().name().toLowerCase(java.util.Locale.ROOT))
                        + ")");
    }
}
