package io.github.flinkconfluent.connector.format.avro;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.io.Encoder;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Compiles a table's SQL type and the Avro schema {@link SqlToAvroSchema} made for it into a tree
 * of small writers that encode Flink's internal data straight to Avro binary — no {@code
 * GenericRecord} per row, every type decision taken once.
 */
@Internal
final class AvroRowWriters {

    /** Writes one (non-null unless the schema is a union) value. */
    @FunctionalInterface
    interface ValueWriter {
        void write(Object value, Encoder out) throws IOException;
    }

    private AvroRowWriters() {}

    static ValueWriter forRow(Schema schema, RowType rowType) {
        return record(schema, rowType);
    }

    private static ValueWriter create(Schema schema, LogicalType type) {
        if (SqlToAvroSchema.isJsonColumn(type, schema)) {
            throw new IllegalArgumentException(
                    "A STRING column cannot be written as the Avro type " + schema);
        }
        switch (schema.getType()) {
            case UNION:
                return nullable(schema, type);
            case RECORD:
                return record(schema, (RowType) type);
            case STRING:
                return (value, out) -> {
                    byte[] utf8 = ((StringData) value).toBytes();
                    out.writeString(new org.apache.avro.util.Utf8(utf8));
                };
            case ENUM:
                List<String> symbols = schema.getEnumSymbols();
                return (value, out) -> {
                    int index = symbols.indexOf(value.toString());
                    if (index < 0) {
                        throw new IllegalArgumentException(
                                "'" + value + "' is not a symbol of " + schema.getFullName());
                    }
                    out.writeEnum(index);
                };
            case BYTES:
                if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
                    int scale = decimal.getScale();
                    return (value, out) -> out.writeBytes(unscaled((DecimalData) value, scale));
                }
                return (value, out) -> out.writeBytes((byte[]) value);
            case FIXED:
                int size = schema.getFixedSize();
                if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
                    int scale = decimal.getScale();
                    return (value, out) ->
                            out.writeFixed(pad(unscaled((DecimalData) value, scale), size));
                }
                return (value, out) -> out.writeFixed(pad((byte[]) value, size));
            case INT:
                switch (type.getTypeRoot()) {
                    case TINYINT:
                        return (value, out) -> out.writeInt((Byte) value);
                    case SMALLINT:
                        return (value, out) -> out.writeInt((Short) value);
                    default:
                        return (value, out) -> out.writeInt((Integer) value);
                }
            case LONG:
                return longWriter(schema, type);
            case FLOAT:
                return (value, out) -> out.writeFloat((Float) value);
            case DOUBLE:
                return (value, out) -> out.writeDouble((Double) value);
            case BOOLEAN:
                return (value, out) -> out.writeBoolean((Boolean) value);
            case ARRAY:
                LogicalType elementType = ((ArrayType) type).getElementType();
                ValueWriter element = create(schema.getElementType(), elementType);
                ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
                return (value, out) -> {
                    ArrayData array = (ArrayData) value;
                    out.writeArrayStart();
                    out.setItemCount(array.size());
                    for (int i = 0; i < array.size(); i++) {
                        out.startItem();
                        element.write(getter.getElementOrNull(array, i), out);
                    }
                    out.writeArrayEnd();
                };
            case MAP:
                MapType mapType = (MapType) type;
                ValueWriter mapValue = create(schema.getValueType(), mapType.getValueType());
                ArrayData.ElementGetter keyGetter =
                        ArrayData.createElementGetter(mapType.getKeyType());
                ArrayData.ElementGetter valueGetter =
                        ArrayData.createElementGetter(mapType.getValueType());
                return (value, out) -> {
                    MapData map = (MapData) value;
                    ArrayData keys = map.keyArray();
                    ArrayData values = map.valueArray();
                    out.writeMapStart();
                    out.setItemCount(map.size());
                    for (int i = 0; i < map.size(); i++) {
                        out.startItem();
                        out.writeString(keyGetter.getElementOrNull(keys, i).toString());
                        mapValue.write(valueGetter.getElementOrNull(values, i), out);
                    }
                    out.writeMapEnd();
                };
            default:
                throw new IllegalArgumentException("Unsupported Avro type " + schema);
        }
    }

    private static ValueWriter longWriter(Schema schema, LogicalType type) {
        boolean micros = AvroRowReaders.isMicros(schema);
        switch (type.getTypeRoot()) {
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                if (micros) {
                    return (value, out) -> {
                        TimestampData ts = (TimestampData) value;
                        out.writeLong(
                                ts.getMillisecond() * 1000 + ts.getNanoOfMillisecond() / 1000);
                    };
                }
                return (value, out) -> out.writeLong(((TimestampData) value).getMillisecond());
            case TIME_WITHOUT_TIME_ZONE:
                return micros
                        ? (value, out) -> out.writeLong((Integer) value * 1000L)
                        : (value, out) -> out.writeLong((Integer) value);
            default:
                return (value, out) -> out.writeLong((Long) value);
        }
    }

    private static ValueWriter nullable(Schema union, LogicalType type) {
        List<Schema> branches = union.getTypes();
        if (branches.size() != 2
                || (branches.get(0).getType() != Schema.Type.NULL
                        && branches.get(1).getType() != Schema.Type.NULL)) {
            throw new IllegalArgumentException(
                    "Only [\"null\", T] unions can be written: " + union);
        }
        int nullIndex = branches.get(0).getType() == Schema.Type.NULL ? 0 : 1;
        int valueIndex = 1 - nullIndex;
        ValueWriter inner = create(branches.get(valueIndex), type);
        return (value, out) -> {
            if (value == null) {
                out.writeIndex(nullIndex);
                out.writeNull();
            } else {
                out.writeIndex(valueIndex);
                inner.write(value, out);
            }
        };
    }

    private static ValueWriter record(Schema schema, RowType rowType) {
        int arity = rowType.getFieldCount();
        ValueWriter[] writers = new ValueWriter[arity];
        RowData.FieldGetter[] getters = new RowData.FieldGetter[arity];
        for (int i = 0; i < arity; i++) {
            writers[i] = create(schema.getFields().get(i).schema(), rowType.getTypeAt(i));
            getters[i] = RowData.createFieldGetter(rowType.getTypeAt(i), i);
        }
        return (value, out) -> {
            RowData row = (RowData) value;
            for (int i = 0; i < arity; i++) {
                Object field = getters[i].getFieldOrNull(row);
                if (field == null
                        && schema.getFields().get(i).schema().getType() != Schema.Type.UNION) {
                    throw new IllegalArgumentException(
                            "Column '"
                                    + schema.getFields().get(i).name()
                                    + "' is NOT NULL in the Avro schema but the row holds null");
                }
                writers[i].write(field, out);
            }
        };
    }

    private static byte[] unscaled(DecimalData value, int scale) {
        BigDecimal decimal = value.toBigDecimal();
        if (decimal.scale() != scale) {
            decimal = decimal.setScale(scale, RoundingMode.HALF_UP);
        }
        return decimal.unscaledValue().toByteArray();
    }

    /** Sign-extends {@code bytes} to a fixed size (Avro fixed decimals and BINARY(n)). */
    private static byte[] pad(byte[] bytes, int size) {
        if (bytes.length == size) {
            return bytes;
        }
        if (bytes.length > size) {
            throw new IllegalArgumentException(
                    bytes.length + " bytes do not fit an Avro fixed of " + size);
        }
        byte[] padded = new byte[size];
        byte fill = bytes.length > 0 && bytes[0] < 0 ? (byte) 0xff : 0;
        java.util.Arrays.fill(padded, 0, size - bytes.length, fill);
        System.arraycopy(bytes, 0, padded, size - bytes.length, bytes.length);
        return padded;
    }
}
