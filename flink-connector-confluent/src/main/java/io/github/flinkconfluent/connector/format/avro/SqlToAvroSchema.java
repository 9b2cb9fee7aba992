package io.github.flinkconfluent.connector.format.avro;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.TimestampType;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * Converts a table's SQL row type into the Avro schema that reads (or writes) it.
 *
 * <p>The table's columns are the reader schema. Avro's schema resolution, however, matches named
 * types (records, enums, fixed) by name, and it cannot read an enum as a string or a fixed as
 * bytes. So when a writer schema is known, the reader is <em>aligned</em> to it: records take the
 * writer's names, a STRING column over a writer enum (a BYTES column over a writer fixed) reads the
 * writer's own enum (fixed), and a DECIMAL column over a writer decimal reads the writer's decimal,
 * whose scale the reader needs to rescale the value to the column's. Everything else comes from the
 * SQL type alone, so the columns still decide what is read, and a column the writer lacks resolves
 * to its default (null for nullable columns) or fails the compatibility check (NOT NULL columns).
 */
@Internal
public final class SqlToAvroSchema {

    private SqlToAvroSchema() {}

    /** The schema for {@code rowType} on its own, with {@code recordFullName} at the top. */
    public static Schema convert(RowType rowType, String recordFullName) {
        return record(rowType, null, recordFullName, null);
    }

    /** The reader schema for {@code rowType} aligned to the names of {@code writer}. */
    public static Schema alignedTo(RowType rowType, Schema writer, String recordFullName) {
        return alignedTo(rowType, writer, recordFullName, null);
    }

    /**
     * As {@link #alignedTo(RowType, Schema, String)}, also following renames: where the writer
     * lacks a column's field, a field named by one of the aliases that {@code latest} (the
     * subject's newest schema) gives that field is used.
     */
    public static Schema alignedTo(
            RowType rowType, Schema writer, String recordFullName, @Nullable Schema latest) {
        return record(rowType, nonNull(writer), recordFullName, nonNull(latest));
    }

    private static Schema schema(
            LogicalType type, @Nullable Schema writer, String name, @Nullable Schema hint) {
        if (writer != null && isJsonColumn(type, writer)) {
            return writer; // a JSON column: read the writer's value as it is, render it as JSON
        }
        Schema base = base(type, nonNull(writer), name, nonNull(hint));
        return type.isNullable() ? Schema.createUnion(Schema.create(Schema.Type.NULL), base) : base;
    }

    private static Schema base(
            LogicalType type, @Nullable Schema writer, String name, @Nullable Schema hint) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return is(writer, Schema.Type.ENUM) ? writer : Schema.create(Schema.Type.STRING);
            case BOOLEAN:
                return Schema.create(Schema.Type.BOOLEAN);
            case BINARY:
            case VARBINARY:
                return is(writer, Schema.Type.FIXED) && writer.getLogicalType() == null
                        ? writer
                        : Schema.create(Schema.Type.BYTES);
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                if ((is(writer, Schema.Type.FIXED) || is(writer, Schema.Type.BYTES))
                        && writer.getLogicalType() instanceof LogicalTypes.Decimal) {
                    // The writer's own decimal, so that its scale reaches the reader, which
                    // rescales to the column's (AvroDecimals): resolution ignores logical types.
                    return writer;
                }
                if (is(writer, Schema.Type.STRING)) {
                    // Avro resolution promotes string to bytes: the text's UTF-8 bytes would be
                    // read as an unscaled number, a wrong value without any error.
                    throw new ValidationException(
                            "the DECIMAL column '"
                                    + name
                                    + "' cannot read the writer's Avro string (Avro would read the"
                                    + " text's bytes as a number); declare the column STRING and"
                                    + " CAST it, or write a decimal logical type");
                }
                return LogicalTypes.decimal(decimal.getPrecision(), decimal.getScale())
                        .addToSchema(Schema.create(Schema.Type.BYTES));
            case TINYINT:
            case SMALLINT:
            case INTEGER:
                return Schema.create(Schema.Type.INT);
            case BIGINT:
                return Schema.create(Schema.Type.LONG);
            case FLOAT:
                return Schema.create(Schema.Type.FLOAT);
            case DOUBLE:
                return Schema.create(Schema.Type.DOUBLE);
            case DATE:
                return LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIME_WITHOUT_TIME_ZONE:
                if (is(writer, Schema.Type.LONG)
                        && writer.getLogicalType() instanceof LogicalTypes.TimeMicros) {
                    return writer;
                }
                return LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT));
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                if (isTimestamp(writer)) {
                    return writer;
                }
                return (((TimestampType) type).getPrecision() <= 3
                                ? LogicalTypes.localTimestampMillis()
                                : LogicalTypes.localTimestampMicros())
                        .addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                if (isTimestamp(writer)) {
                    return writer;
                }
                return (((LocalZonedTimestampType) type).getPrecision() <= 3
                                ? LogicalTypes.timestampMillis()
                                : LogicalTypes.timestampMicros())
                        .addToSchema(Schema.create(Schema.Type.LONG));
            case ARRAY:
                return Schema.createArray(
                        schema(
                                ((ArrayType) type).getElementType(),
                                is(writer, Schema.Type.ARRAY) ? writer.getElementType() : null,
                                name + "_element",
                                null));
            case MAP:
                MapType map = (MapType) type;
                if (!map.getKeyType().is(LogicalTypeFamily.CHARACTER_STRING)) {
                    throw new ValidationException(
                            "Avro maps have STRING keys; " + type + " cannot be read or written");
                }
                return Schema.createMap(
                        schema(
                                map.getValueType(),
                                is(writer, Schema.Type.MAP) ? writer.getValueType() : null,
                                name + "_value",
                                null));
            case ROW:
                return record(
                        (RowType) type,
                        is(writer, Schema.Type.RECORD) ? writer : null,
                        name,
                        is(hint, Schema.Type.RECORD) ? hint : null);
            default:
                throw new ValidationException(
                        "The Avro format cannot hold the SQL type "
                                + type.asSummaryString()
                                + "; use one of BOOLEAN, numeric, DECIMAL, STRING, BYTES, DATE,"
                                + " TIME, TIMESTAMP, TIMESTAMP_LTZ, ARRAY, MAP<STRING, ...>,"
                                + " ROW");
        }
    }

    private static Schema record(
            RowType rowType, @Nullable Schema writer, String fullName, @Nullable Schema hint) {
        String name = writer != null ? writer.getFullName() : fullName;
        List<Schema.Field> fields = new ArrayList<>();
        for (RowType.RowField field : rowType.getFields()) {
            Schema.Field writerField =
                    writer == null ? null : writerField(writer, field.getName(), hint);
            Schema.Field hintField = hint == null ? null : hint.getField(field.getName());
            Schema fieldSchema =
                    schema(
                            field.getType(),
                            writerField == null ? null : writerField.schema(),
                            nestedName(fullName, field.getName()),
                            hintField == null ? null : hintField.schema());
            // A null default only where the schema's first branch is null: a JSON column takes
            // the writer's own schema (a record, say), for which null is no valid default.
            Object defaultValue =
                    field.getType().isNullable() && startsWithNull(fieldSchema)
                            ? JsonProperties.NULL_VALUE
                            : null;
            try {
                Schema.Field readerField =
                        new Schema.Field(field.getName(), fieldSchema, null, defaultValue);
                if (writerField != null && !writerField.name().equals(field.getName())) {
                    // Found through the writer field's alias: resolution matches reader aliases.
                    readerField.addAlias(writerField.name());
                }
                fields.add(readerField);
            } catch (RuntimeException e) {
                throw new ValidationException(
                        "Column '"
                                + field.getName()
                                + "' is not a valid Avro field name (letters, digits and '_',"
                                + " not starting with a digit)",
                        e);
            }
        }
        try {
            return Schema.createRecord(name, null, null, false, fields);
        } catch (RuntimeException e) {
            throw new ValidationException("'" + name + "' is not a valid Avro record name", e);
        }
    }

    /**
     * The writer's field for a column: by name, then by the writer field's aliases, then by the
     * aliases the newest schema ({@code hint}) gives the column's field (a rename).
     */
    @Nullable
    private static Schema.Field writerField(Schema writer, String column, @Nullable Schema hint) {
        Schema.Field field = writer.getField(column);
        if (field != null) {
            return field;
        }
        for (Schema.Field candidate : writer.getFields()) {
            if (candidate.aliases().contains(column)) {
                return candidate;
            }
        }
        Schema.Field renamed = hint == null ? null : hint.getField(column);
        if (renamed != null) {
            for (String alias : renamed.aliases()) {
                if (writer.getField(alias) != null) {
                    return writer.getField(alias);
                }
            }
        }
        return null;
    }

    private static boolean startsWithNull(Schema schema) {
        Schema first = schema.getType() == Schema.Type.UNION ? schema.getTypes().get(0) : schema;
        return first.getType() == Schema.Type.NULL;
    }

    private static String nestedName(String parent, String field) {
        return parent + "_" + field.replaceAll("[^A-Za-z0-9_]", "_");
    }

    /**
     * Whether a column of SQL type {@code type} over the writer's {@code writer} is a JSON column:
     * a STRING column whose Avro value is not text (a union of several types, a record, an array, a
     * number...), so that it holds the value as JSON text instead.
     */
    static boolean isJsonColumn(LogicalType type, Schema writer) {
        return type.is(LogicalTypeFamily.CHARACTER_STRING) && !isStringLike(writer);
    }

    /** Text in Avro: string, enum symbols, bytes (promoted to string), or such or null. */
    static boolean isStringLike(Schema schema) {
        switch (schema.getType()) {
            case STRING:
            case ENUM:
            case BYTES:
                return true;
            case UNION:
                Schema only = nonNull(schema);
                return only != null && only.getType() != Schema.Type.UNION && isStringLike(only);
            default:
                return false;
        }
    }

    /** {@code schema} without a {@code null} branch, or null when it is no schema or a union. */
    @Nullable
    private static Schema nonNull(@Nullable Schema schema) {
        if (schema == null || schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        Schema only = null;
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                if (only != null) {
                    return null;
                }
                only = branch;
            }
        }
        return only;
    }

    private static boolean is(@Nullable Schema schema, Schema.Type type) {
        return schema != null && schema.getType() == type;
    }

    private static boolean isTimestamp(@Nullable Schema schema) {
        return is(schema, Schema.Type.LONG)
                && (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                        || schema.getLogicalType() instanceof LogicalTypes.TimestampMicros
                        || schema.getLogicalType() instanceof LogicalTypes.LocalTimestampMillis
                        || schema.getLogicalType() instanceof LogicalTypes.LocalTimestampMicros);
    }
}
