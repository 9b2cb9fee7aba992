package io.github.flinkconfluent.connector.format.avro;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.binary.BinaryRowData;
import org.apache.flink.table.data.writer.BinaryRowWriter;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

import org.apache.avro.Schema;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.util.Utf8;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.List;

/**
 * Top-level rows of flat columns decoded straight into Flink's binary row format ({@link
 * BinaryRowData}) instead of a {@code GenericRowData}.
 *
 * <p>Why: with object reuse off (Flink's default) the operator chained after the source copies
 * every row. A {@code GenericRowData} is copied field by field, each string into a new {@code
 * StringData} with its own arrays; a binary row is one array copy. Writing the values into one
 * buffer also saves the boxed numbers, timestamps and string wrappers of a generic row, and a
 * binary row crosses the network without being converted first.
 *
 * <p>Only rows whose every column is a number, a boolean, a string or enum, a date, a time or a
 * timestamp (each possibly nullable) are read this way; any other row (nested rows, arrays, maps,
 * bytes, decimals, JSON columns) keeps {@link AvroRowReaders}' generic rows. Values are the same
 * either way: the same Avro reads, the same conversions; {@code AvroBinaryRowsTest} compares the
 * two field by field.
 */
@Internal
final class AvroBinaryRows {

    /** Reads one field's value into the row being written. */
    @FunctionalInterface
    private interface FieldWriter {
        void write(ResolvingDecoder in, BinaryRowWriter out, int pos) throws IOException;
    }

    /** Bytes for the variable-length part that most rows of short strings fit without growing. */
    private static final int INITIAL_VARIABLE_BYTES = 64;

    private AvroBinaryRows() {}

    /**
     * A reader of the top-level record {@code schema} into binary rows of {@code rowType}, or null
     * when a column is not flat.
     */
    @Nullable
    static AvroRowReaders.ValueReader forRow(Schema schema, RowType rowType) {
        List<Schema.Field> fields = schema.getFields();
        FieldWriter[] writers = new FieldWriter[fields.size()];
        for (int i = 0; i < writers.length; i++) {
            writers[i] =
                    field(
                            fields.get(i).schema(),
                            rowType.getTypeAt(i),
                            rowType.getFieldNames().get(i));
            if (writers[i] == null) {
                return null;
            }
        }
        int arity = writers.length;
        return in -> {
            BinaryRowData row = new BinaryRowData(arity);
            BinaryRowWriter out = new BinaryRowWriter(row, INITIAL_VARIABLE_BYTES);
            for (Schema.Field field : in.readFieldOrder()) {
                writers[field.pos()].write(in, out, field.pos());
            }
            out.complete();
            return row;
        };
    }

    /**
     * @param column the column's name, for messages about bad values
     */
    @Nullable
    private static FieldWriter field(Schema schema, LogicalType type, String column) {
        if (SqlToAvroSchema.isJsonColumn(type, schema)) {
            return null;
        }
        switch (schema.getType()) {
            case UNION:
                return nullable(schema, type, column);
            case STRING:
                return (in, out, pos) -> {
                    Utf8 utf8 = in.readString(null);
                    byte[] bytes = utf8.getBytes();
                    if (bytes.length == utf8.getByteLength()) {
                        out.writeString(pos, StringData.fromBytes(bytes));
                    } else {
                        out.writeString(pos, StringData.fromBytes(bytes, 0, utf8.getByteLength()));
                    }
                };
            case ENUM:
                StringData[] symbols = AvroRowReaders.enumSymbols(schema);
                String enumName = schema.getFullName();
                return (in, out, pos) ->
                        out.writeString(
                                pos, AvroRowReaders.enumSymbol(in, symbols, column, enumName));
            case INT:
                switch (type.getTypeRoot()) {
                    case TINYINT:
                        return (in, out, pos) -> out.writeByte(pos, (byte) in.readInt());
                    case SMALLINT:
                        return (in, out, pos) -> out.writeShort(pos, (short) in.readInt());
                    case INTEGER:
                    case DATE:
                    case TIME_WITHOUT_TIME_ZONE:
                        return (in, out, pos) -> out.writeInt(pos, in.readInt());
                    default:
                        return null;
                }
            case LONG:
                return longField(schema, type);
            case FLOAT:
                return type.getTypeRoot() == LogicalTypeRoot.FLOAT
                        ? (in, out, pos) -> out.writeFloat(pos, in.readFloat())
                        : null;
            case DOUBLE:
                return type.getTypeRoot() == LogicalTypeRoot.DOUBLE
                        ? (in, out, pos) -> out.writeDouble(pos, in.readDouble())
                        : null;
            case BOOLEAN:
                return (in, out, pos) -> out.writeBoolean(pos, in.readBoolean());
            default:
                return null; // records, arrays, maps, bytes, fixed, decimals: generic rows
        }
    }

    @Nullable
    private static FieldWriter longField(Schema schema, LogicalType type) {
        boolean micros = AvroRowReaders.isMicros(schema);
        switch (type.getTypeRoot()) {
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                int precision =
                        type instanceof TimestampType timestamp
                                ? timestamp.getPrecision()
                                : ((LocalZonedTimestampType) type).getPrecision();
                if (micros) {
                    return (in, out, pos) -> {
                        long value = in.readLong();
                        out.writeTimestamp(
                                pos,
                                TimestampData.fromEpochMillis(
                                        Math.floorDiv(value, 1000),
                                        (int) Math.floorMod(value, 1000) * 1000),
                                precision);
                    };
                }
                return (in, out, pos) ->
                        out.writeTimestamp(
                                pos, TimestampData.fromEpochMillis(in.readLong()), precision);
            case TIME_WITHOUT_TIME_ZONE:
                return micros
                        ? (in, out, pos) -> out.writeInt(pos, (int) (in.readLong() / 1000))
                        : (in, out, pos) -> out.writeInt(pos, (int) in.readLong());
            case BIGINT:
                return (in, out, pos) -> out.writeLong(pos, in.readLong());
            default:
                return null;
        }
    }

    /** Only {@code ["null", T]} unions reach here: the reader schema comes from SQL types. */
    @Nullable
    private static FieldWriter nullable(Schema union, LogicalType type, String column) {
        List<Schema> branches = union.getTypes();
        int nullIndex = -1;
        FieldWriter[] writers = new FieldWriter[branches.size()];
        for (int i = 0; i < branches.size(); i++) {
            if (branches.get(i).getType() == Schema.Type.NULL) {
                nullIndex = i;
            } else {
                writers[i] = field(branches.get(i), type, column);
                if (writers[i] == null) {
                    return null;
                }
            }
        }
        int nullBranch = nullIndex;
        return (in, out, pos) -> {
            int index = in.readIndex();
            if (index == nullBranch) {
                in.readNull();
                out.setNullAt(pos);
            } else {
                writers[index].write(in, out, pos);
            }
        };
    }
}
