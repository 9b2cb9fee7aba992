package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a reader schema and the matching SQL type into a tree of small readers that decode Avro
 * binary straight into Flink's internal data ({@code RowData}, {@code StringData}, ...).
 *
 * <p>Why not Avro's {@code GenericDatumReader}: it builds a {@code GenericRecord} per record that
 * is then converted and thrown away, and it looks up conversions per value. Here all decisions
 * (which Java type, which logical conversion, which field goes where) are taken once per writer
 * schema; per record only the values are read. Schema evolution is Avro's own: a {@link
 * ResolvingDecoder} compiled once per (writer, reader) pair promotes types, fills defaults and
 * skips removed fields.
 */
@Internal
final class AvroRowReaders {

    /** Reads one value from the decoder. */
    @FunctionalInterface
    interface ValueReader {
        Object read(ResolvingDecoder in) throws IOException;
    }

    private AvroRowReaders() {}

    /**
     * A reader for the top-level record {@code reader} as a row of {@code rowType}: a binary row
     * when every column is flat ({@link AvroBinaryRows}), else a generic one.
     */
    static ValueReader forRow(Schema reader, RowType rowType) {
        ValueReader binary = AvroBinaryRows.forRow(reader, rowType);
        return binary != null ? binary : record(reader, rowType, null);
    }

    /** As {@link #forRow}, always into generic rows: for tests. */
    static ValueReader forGenericRow(Schema reader, RowType rowType) {
        return record(reader, rowType, null);
    }

    /**
     * @param path the column, and where in it, for messages about bad values (e.g. {@code
     *     lines[].price})
     */
    private static ValueReader create(Schema schema, LogicalType type, String path) {
        if (SqlToAvroSchema.isJsonColumn(type, schema)) {
            return jsonColumn(schema, type.isNullable(), path);
        }
        switch (schema.getType()) {
            case UNION:
                return nullable(schema, type, path);
            case RECORD:
                return record(schema, (RowType) type, path);
            case ENUM:
                StringData[] symbols = enumSymbols(schema);
                String enumName = schema.getFullName();
                return in -> enumSymbol(in, symbols, path, enumName);
            case STRING:
                return in -> {
                    Utf8 utf8 = in.readString(null);
                    return StringData.fromBytes(utf8.getBytes(), 0, utf8.getByteLength());
                };
            case BYTES:
                if (schema.getLogicalType() instanceof LogicalTypes.Decimal avroDecimal) {
                    int avroScale = avroDecimal.getScale();
                    DecimalType decimal = (DecimalType) type;
                    return in -> decimal(bytes(in.readBytes(null)), avroScale, decimal, path);
                }
                return in -> bytes(in.readBytes(null));
            case FIXED:
                int size = schema.getFixedSize();
                if (schema.getLogicalType() instanceof LogicalTypes.Decimal avroDecimal) {
                    int avroScale = avroDecimal.getScale();
                    DecimalType decimal = (DecimalType) type;
                    return in -> {
                        byte[] bytes = new byte[size];
                        in.readFixed(bytes);
                        return decimal(bytes, avroScale, decimal, path);
                    };
                }
                return in -> {
                    byte[] bytes = new byte[size];
                    in.readFixed(bytes);
                    return bytes;
                };
            case INT:
                switch (type.getTypeRoot()) {
                    case TINYINT:
                        return in -> (byte) in.readInt();
                    case SMALLINT:
                        return in -> (short) in.readInt();
                    default: // INTEGER, DATE (days), TIME (millis of the day)
                        return ResolvingDecoder::readInt;
                }
            case LONG:
                return longReader(schema, type);
            case FLOAT:
                return ResolvingDecoder::readFloat;
            case DOUBLE:
                return ResolvingDecoder::readDouble;
            case BOOLEAN:
                return ResolvingDecoder::readBoolean;
            case ARRAY:
                ValueReader element =
                        create(
                                schema.getElementType(),
                                ((ArrayType) type).getElementType(),
                                path + "[]");
                return in -> {
                    List<Object> values = new ArrayList<>();
                    for (long n = in.readArrayStart(); n > 0; n = in.arrayNext()) {
                        for (long i = 0; i < n; i++) {
                            values.add(element.read(in));
                        }
                    }
                    return new GenericArrayData(values.toArray());
                };
            case MAP:
                ValueReader value =
                        create(schema.getValueType(), ((MapType) type).getValueType(), path + "{}");
                return in -> {
                    Map<Object, Object> entries = new HashMap<>();
                    for (long n = in.readMapStart(); n > 0; n = in.mapNext()) {
                        for (long i = 0; i < n; i++) {
                            Utf8 key = in.readString(null);
                            entries.put(
                                    StringData.fromBytes(key.getBytes(), 0, key.getByteLength()),
                                    value.read(in));
                        }
                    }
                    return new GenericMapData(entries);
                };
            case NULL:
                return in -> {
                    in.readNull();
                    return null;
                };
            default:
                throw new IllegalArgumentException("Unsupported Avro type " + schema);
        }
    }

    /** An enum's symbols as strings, in index order, with their UTF-8 bytes already made. */
    static StringData[] enumSymbols(Schema schema) {
        return schema.getEnumSymbols().stream()
                .map(name -> StringData.fromBytes(name.getBytes(StandardCharsets.UTF_8)))
                .toArray(StringData[]::new);
    }

    /**
     * Reads an enum index and returns its symbol; an index outside the writer's symbols is a
     * malformed body (a corrupt or hostile record), reported with the column and the enum.
     */
    static StringData enumSymbol(
            ResolvingDecoder in, StringData[] symbols, String column, String enumName)
            throws IOException {
        int index = in.readEnum();
        if (index < 0 || index >= symbols.length) {
            throw new BadAvroValueException(
                    Reason.MALFORMED_BODY,
                    "column '"
                            + column
                            + "': enum index "
                            + index
                            + " is not one of the "
                            + symbols.length
                            + " symbols of "
                            + enumName);
        }
        return symbols[index];
    }

    /** Whether a long holds microseconds (timestamp or time), not milliseconds. */
    static boolean isMicros(Schema schema) {
        return schema.getLogicalType() instanceof LogicalTypes.TimestampMicros
                || schema.getLogicalType() instanceof LogicalTypes.LocalTimestampMicros
                || schema.getLogicalType() instanceof LogicalTypes.TimeMicros;
    }

    private static ValueReader longReader(Schema schema, LogicalType type) {
        boolean micros = isMicros(schema);
        LogicalTypeRoot root = type.getTypeRoot();
        if (root == LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE
                || root == LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
            if (micros) {
                return in -> {
                    long value = in.readLong();
                    return TimestampData.fromEpochMillis(
                            Math.floorDiv(value, 1000), (int) Math.floorMod(value, 1000) * 1000);
                };
            }
            return in -> TimestampData.fromEpochMillis(in.readLong());
        }
        if (root == LogicalTypeRoot.TIME_WITHOUT_TIME_ZONE) {
            return micros ? in -> (int) (in.readLong() / 1000) : in -> (int) in.readLong();
        }
        return ResolvingDecoder::readLong;
    }

    /** Only {@code ["null", T]} unions reach here: the reader schema comes from SQL types. */
    private static ValueReader nullable(Schema union, LogicalType type, String path) {
        List<Schema> branches = union.getTypes();
        int nullIndex = -1;
        ValueReader[] readers = new ValueReader[branches.size()];
        for (int i = 0; i < branches.size(); i++) {
            if (branches.get(i).getType() == Schema.Type.NULL) {
                nullIndex = i;
            } else {
                readers[i] = create(branches.get(i), type, path);
            }
        }
        int nullBranch = nullIndex;
        return in -> {
            int index = in.readIndex();
            if (index == nullBranch) {
                in.readNull();
                return null;
            }
            return readers[index].read(in);
        };
    }

    /**
     * @param path the record's column, or null for the top-level row
     */
    private static ValueReader record(Schema schema, RowType rowType, String path) {
        List<Schema.Field> fields = schema.getFields();
        ValueReader[] readers = new ValueReader[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            String name = rowType.getFieldNames().get(i);
            readers[i] =
                    create(
                            fields.get(i).schema(),
                            rowType.getTypeAt(i),
                            path == null ? name : path + "." + name);
        }
        int arity = fields.size();
        return in -> {
            GenericRowData row = new GenericRowData(arity);
            for (Schema.Field field : in.readFieldOrder()) {
                row.setField(field.pos(), readers[field.pos()].read(in));
            }
            return row;
        };
    }

    /**
     * A JSON column: the value is read with Avro's generic reader and rendered as JSON text ({@code
     * GenericData#toString}), so that SQL can reach into it with {@code JSON_VALUE}.
     */
    private static ValueReader jsonColumn(Schema schema, boolean nullable, String path) {
        GenericValueReader generic = new GenericValueReader();
        return in -> {
            Object value = generic.readValue(schema, in);
            if (value == null) {
                if (!nullable) {
                    throw new BadAvroValueException(
                            Reason.SCHEMA_VIOLATION,
                            "column '" + path + "' is NOT NULL but the record holds null");
                }
                return null;
            }
            return StringData.fromString(GenericData.get().toString(value));
        };
    }

    /** Opens Avro's generic reading of one value at the decoder's position. */
    private static final class GenericValueReader extends GenericDatumReader<Object> {
        Object readValue(Schema schema, ResolvingDecoder in) throws IOException {
            return read(null, schema, in);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /**
     * The writer's decimal (unscaled at {@code avroScale}) at the column's scale; see {@link
     * AvroDecimals}.
     */
    private static DecimalData decimal(
            byte[] unscaled, int avroScale, DecimalType type, String path)
            throws BadAvroValueException {
        BigDecimal value =
                AvroDecimals.rescale(
                        unscaled,
                        avroScale,
                        type.getPrecision(),
                        type.getScale(),
                        "column '" + path + "'");
        return DecimalData.fromBigDecimal(value, type.getPrecision(), type.getScale());
    }
}
