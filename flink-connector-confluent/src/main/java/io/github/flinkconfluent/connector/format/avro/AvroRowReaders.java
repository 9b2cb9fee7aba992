package io.github.flinkconfluent.connector.format.avro;

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
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
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

    /** A reader for the top-level record {@code reader} as a row of {@code rowType}. */
    static ValueReader forRow(Schema reader, RowType rowType) {
        return record(reader, rowType);
    }

    private static ValueReader create(Schema schema, LogicalType type) {
        if (SqlToAvroSchema.isJsonColumn(type, schema)) {
            return jsonColumn(schema, type.isNullable());
        }
        switch (schema.getType()) {
            case UNION:
                return nullable(schema, type);
            case RECORD:
                return record(schema, (RowType) type);
            case ENUM:
                StringData[] symbols =
                        schema.getEnumSymbols().stream()
                                .map(StringData::fromString)
                                .toArray(StringData[]::new);
                return in -> symbols[in.readEnum()];
            case STRING:
                return in -> {
                    Utf8 utf8 = in.readString(null);
                    return StringData.fromBytes(utf8.getBytes(), 0, utf8.getByteLength());
                };
            case BYTES:
                if (schema.getLogicalType() instanceof LogicalTypes.Decimal avroDecimal) {
                    int avroScale = avroDecimal.getScale();
                    DecimalType decimal = (DecimalType) type;
                    return in -> decimal(bytes(in.readBytes(null)), avroScale, decimal);
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
                        return decimal(bytes, avroScale, decimal);
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
                        create(schema.getElementType(), ((ArrayType) type).getElementType());
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
                ValueReader value = create(schema.getValueType(), ((MapType) type).getValueType());
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

    private static ValueReader longReader(Schema schema, LogicalType type) {
        boolean micros =
                schema.getLogicalType() instanceof LogicalTypes.TimestampMicros
                        || schema.getLogicalType() instanceof LogicalTypes.LocalTimestampMicros
                        || schema.getLogicalType() instanceof LogicalTypes.TimeMicros;
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
    private static ValueReader nullable(Schema union, LogicalType type) {
        List<Schema> branches = union.getTypes();
        int nullIndex = -1;
        ValueReader[] readers = new ValueReader[branches.size()];
        for (int i = 0; i < branches.size(); i++) {
            if (branches.get(i).getType() == Schema.Type.NULL) {
                nullIndex = i;
            } else {
                readers[i] = create(branches.get(i), type);
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

    private static ValueReader record(Schema schema, RowType rowType) {
        List<Schema.Field> fields = schema.getFields();
        ValueReader[] readers = new ValueReader[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            readers[i] = create(fields.get(i).schema(), rowType.getTypeAt(i));
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
    private static ValueReader jsonColumn(Schema schema, boolean nullable) {
        GenericValueReader generic = new GenericValueReader();
        return in -> {
            Object value = generic.readValue(schema, in);
            if (value == null) {
                if (!nullable) {
                    throw new IllegalArgumentException(
                            "null for a NOT NULL column of Avro type " + schema);
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

    private static DecimalData decimal(byte[] unscaled, int avroScale, DecimalType type) {
        if (avroScale == type.getScale()) {
            return DecimalData.fromUnscaledBytes(unscaled, type.getPrecision(), type.getScale());
        }
        BigDecimal value =
                new BigDecimal(new BigInteger(unscaled), avroScale)
                        .setScale(type.getScale(), RoundingMode.HALF_UP);
        return DecimalData.fromBigDecimal(value, type.getPrecision(), type.getScale());
    }
}
