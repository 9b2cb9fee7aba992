package io.github.flinkconfluent.connector.format.avro;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Converts a registry's Avro schema into the SQL columns of a table, as if the table had been
 * declared with them.
 *
 * <p>What SQL cannot hold becomes a <em>JSON column</em>: a STRING that carries the value as JSON
 * text, usable with {@code JSON_VALUE} / {@code JSON_QUERY}. That is the case for unions of several
 * types (other than {@code ["null", T]}, which is a nullable T) and for recursive records. Arrays
 * and maps become native ARRAY and MAP columns, unless {@code arraysAndMapsAsJson} asks for
 * Arroyo's mapping, where they are JSON columns too.
 */
@Internal
public final class AvroToSql {

    private final boolean arraysAndMapsAsJson;

    /**
     * @param arraysAndMapsAsJson map arrays and maps to JSON columns too, as Arroyo's Confluent
     *     connector does
     */
    public AvroToSql(boolean arraysAndMapsAsJson) {
        this.arraysAndMapsAsJson = arraysAndMapsAsJson;
    }

    /** The columns of a table whose values have the record schema {@code schema}. */
    public DataType toRowType(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException(
                    "A table's value schema must be an Avro record, not " + schema.getType());
        }
        return record(schema, new HashSet<>()).notNull();
    }

    private DataType convert(Schema schema, Set<String> enclosingRecords) {
        switch (schema.getType()) {
            case UNION:
                List<Schema> branches = new ArrayList<>();
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        branches.add(branch);
                    }
                }
                if (branches.size() == 1) {
                    DataType inner = convert(branches.get(0), enclosingRecords);
                    return branches.size() < schema.getTypes().size() ? inner.nullable() : inner;
                }
                return json(schema.getTypes().size() > branches.size());
            case RECORD:
                if (enclosingRecords.contains(schema.getFullName())) {
                    return json(false); // recursive: SQL types are finite
                }
                return record(schema, enclosingRecords).notNull();
            case ENUM:
                return DataTypes.STRING().notNull();
            case ARRAY:
                if (arraysAndMapsAsJson) {
                    return json(false);
                }
                return DataTypes.ARRAY(convert(schema.getElementType(), enclosingRecords))
                        .notNull();
            case MAP:
                if (arraysAndMapsAsJson) {
                    return json(false);
                }
                return DataTypes.MAP(
                                DataTypes.STRING().notNull(),
                                convert(schema.getValueType(), enclosingRecords))
                        .notNull();
            case FIXED:
                if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
                    return DataTypes.DECIMAL(decimal.getPrecision(), decimal.getScale()).notNull();
                }
                if (schema.getFixedSize() == 0) {
                    // SQL has no BINARY(0) (Flink refuses it with a message that names no field):
                    // a fixed(0) holds nothing, so its JSON column always reads [].
                    return json(false);
                }
                return DataTypes.BINARY(schema.getFixedSize()).notNull();
            case STRING:
                return DataTypes.STRING().notNull();
            case BYTES:
                if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
                    return DataTypes.DECIMAL(decimal.getPrecision(), decimal.getScale()).notNull();
                }
                return DataTypes.BYTES().notNull();
            case INT:
                LogicalType intLogical = schema.getLogicalType();
                if (intLogical instanceof LogicalTypes.Date) {
                    return DataTypes.DATE().notNull();
                }
                if (intLogical instanceof LogicalTypes.TimeMillis) {
                    return DataTypes.TIME(3).notNull();
                }
                return DataTypes.INT().notNull();
            case LONG:
                LogicalType longLogical = schema.getLogicalType();
                if (longLogical instanceof LogicalTypes.TimestampMillis) {
                    return DataTypes.TIMESTAMP_LTZ(3).notNull();
                }
                if (longLogical instanceof LogicalTypes.TimestampMicros) {
                    return DataTypes.TIMESTAMP_LTZ(6).notNull();
                }
                if (longLogical instanceof LogicalTypes.LocalTimestampMillis) {
                    return DataTypes.TIMESTAMP(3).notNull();
                }
                if (longLogical instanceof LogicalTypes.LocalTimestampMicros) {
                    return DataTypes.TIMESTAMP(6).notNull();
                }
                if (longLogical instanceof LogicalTypes.TimeMicros) {
                    return DataTypes.TIME(3).notNull(); // Flink computes TIME in milliseconds
                }
                return DataTypes.BIGINT().notNull();
            case FLOAT:
                return DataTypes.FLOAT().notNull();
            case DOUBLE:
                return DataTypes.DOUBLE().notNull();
            case BOOLEAN:
                return DataTypes.BOOLEAN().notNull();
            case NULL:
            default:
                return json(true);
        }
    }

    private DataType record(Schema schema, Set<String> enclosingRecords) {
        Set<String> inside = new HashSet<>(enclosingRecords);
        inside.add(schema.getFullName());
        List<DataTypes.Field> fields = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            DataType type = convert(field.schema(), inside);
            fields.add(
                    field.doc() == null
                            ? DataTypes.FIELD(field.name(), type)
                            : DataTypes.FIELD(field.name(), type, field.doc()));
        }
        return DataTypes.ROW(fields.toArray(new DataTypes.Field[0]));
    }

    /** A JSON column: the value as JSON text. */
    private static DataType json(boolean nullable) {
        DataType type = DataTypes.STRING();
        return nullable ? type.nullable() : type.notNull();
    }
}
