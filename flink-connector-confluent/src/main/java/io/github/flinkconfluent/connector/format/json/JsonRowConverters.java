package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.RecordLimits;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Compiles a SQL row type into a converter from a JSON tree to Flink's internal data.
 *
 * <p>Fields are matched by name; a field that is absent or JSON {@code null} is SQL NULL, and is an
 * error for a NOT NULL column. A STRING column takes any JSON value: text as is, anything else as
 * its JSON text — the JSON-column fallback, so nested values a table does not model stay queryable
 * with {@code JSON_VALUE} / {@code JSON_QUERY}. Timestamps are ISO-8601 text or epoch milliseconds;
 * bytes are base64 text.
 */
@Internal
final class JsonRowConverters {

    /** Converts one JSON value; throws {@link BadJsonException} when it does not fit. */
    @FunctionalInterface
    interface Converter {
        Object convert(JsonNode node) throws BadJsonException;
    }

    /** A value that does not fit its column, with the path to it. */
    static final class BadJsonException extends Exception {
        private static final long serialVersionUID = 1L;

        BadJsonException(String message) {
            super(message);
        }
    }

    private JsonRowConverters() {}

    static Converter forRow(RowType rowType) {
        return nonNull(rowType, "$");
    }

    private static Converter create(LogicalType type, String path) {
        Converter converter = nonNull(type, path);
        boolean nullable = type.isNullable();
        return node -> {
            if (node == null || node.isNull() || node.isMissingNode()) {
                if (nullable) {
                    return null;
                }
                throw new BadJsonException(
                        path + " is missing or null, but its column is NOT NULL");
            }
            return converter.convert(node);
        };
    }

    /** The converter of a value that is present and not JSON {@code null}. */
    static Converter nonNull(LogicalType type, String path) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return node ->
                        StringData.fromString(node.isTextual() ? node.asText() : node.toString());
            case BOOLEAN:
                return node -> {
                    expect(node.isBoolean(), node, "a boolean", path);
                    return node.booleanValue();
                };
            case TINYINT:
                return node -> (byte) integral(node, path, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SMALLINT:
                return node -> (short) integral(node, path, Short.MIN_VALUE, Short.MAX_VALUE);
            case INTEGER:
                return node -> (int) integral(node, path, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT:
                return node -> integral(node, path, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT:
                return node -> {
                    expect(node.isNumber(), node, "a number", path);
                    return node.floatValue();
                };
            case DOUBLE:
                return node -> {
                    expect(node.isNumber(), node, "a number", path);
                    return node.doubleValue();
                };
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return node -> decimal(node, decimal, path);
            case BINARY:
            case VARBINARY:
                return node -> {
                    expect(node.isTextual() || node.isBinary(), node, "base64 text", path);
                    try {
                        return node.binaryValue();
                    } catch (IOException e) {
                        throw new BadJsonException(path + " is not valid base64");
                    }
                };
            case DATE:
                return node -> {
                    expect(node.isTextual(), node, "a date like 2024-01-31", path);
                    try {
                        return (int) LocalDate.parse(node.asText()).toEpochDay();
                    } catch (DateTimeParseException e) {
                        throw new BadJsonException(path + " = " + node + " is not an ISO date");
                    }
                };
            case TIME_WITHOUT_TIME_ZONE:
                return node -> {
                    expect(node.isTextual(), node, "a time like 12:30:00", path);
                    try {
                        return (int) (LocalTime.parse(node.asText()).toNanoOfDay() / 1_000_000);
                    } catch (DateTimeParseException e) {
                        throw new BadJsonException(path + " = " + node + " is not an ISO time");
                    }
                };
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return node -> timestamp(node, path);
            case ARRAY:
                Converter element = create(((ArrayType) type).getElementType(), path + "[]");
                return node -> {
                    expect(node.isArray(), node, "an array", path);
                    Object[] values = new Object[node.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = element.convert(node.get(i));
                    }
                    return new GenericArrayData(values);
                };
            case MAP:
                MapType mapType = (MapType) type;
                if (!mapType.getKeyType().is(LogicalTypeFamily.CHARACTER_STRING)) {
                    throw new ValidationException(
                            "JSON objects have STRING keys; " + type + " cannot be read");
                }
                Converter value = create(mapType.getValueType(), path + ".*");
                return node -> {
                    expect(node.isObject(), node, "an object", path);
                    Map<Object, Object> entries = new HashMap<>();
                    Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> e = it.next();
                        entries.put(StringData.fromString(e.getKey()), value.convert(e.getValue()));
                    }
                    return new GenericMapData(entries);
                };
            case ROW:
                RowType rowType = (RowType) type;
                List<String> names = rowType.getFieldNames();
                Converter[] fields = new Converter[names.size()];
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = create(rowType.getTypeAt(i), path + "." + names.get(i));
                }
                String[] keys = names.toArray(new String[0]);
                return node -> {
                    expect(node.isObject(), node, "an object", path);
                    GenericRowData row = new GenericRowData(keys.length);
                    for (int i = 0; i < keys.length; i++) {
                        row.setField(i, fields[i].convert(node.get(keys[i])));
                    }
                    return row;
                };
            default:
                throw new ValidationException(
                        "The JSON format cannot read the SQL type " + type.asSummaryString());
        }
    }

    /**
     * A number, or numeric text, rounded half up to the column's scale ({@link
     * DecimalData#fromBigDecimal}). Whether it fits is decided from its digits and exponent before
     * anything is rescaled: rescaling {@code 1e300000000} to two decimals multiplies by a number of
     * 300 million digits (minutes), and {@code 1e999999999} throws {@link ArithmeticException}.
     * After the checks a rescale moves the decimal point by at most the text's length plus 38.
     */
    private static DecimalData decimal(JsonNode node, DecimalType type, String path)
            throws BadJsonException {
        expect(node.isNumber() || node.isTextual(), node, "a number", path);
        String text = node.asText();
        String column = type.asSummaryString();
        if (text.length() > RecordLimits.JSON_DECIMAL_MAX_CHARS) {
            throw new BadJsonException(
                    path
                            + " has "
                            + text.length()
                            + " characters, more than the "
                            + RecordLimits.JSON_DECIMAL_MAX_CHARS
                            + " a number for "
                            + column
                            + " may have");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) { // also an exponent beyond the int range
            throw new BadJsonException(
                    path + " = " + abbreviated(node) + " is not a number " + column + " can take");
        }
        DecimalData result = fitted(value, type);
        if (result == null) {
            throw new BadJsonException(
                    path + " = " + abbreviated(node) + " does not fit " + column);
        }
        return result;
    }

    /**
     * {@code value} rounded half up to the column's scale, or null when it does not fit; decided
     * from its digits and exponent before anything is rescaled (see {@link #decimal}).
     */
    static DecimalData fitted(BigDecimal value, DecimalType type) {
        int precision = type.getPrecision();
        int scale = type.getScale();
        // |value| < 10^digits, and >= 10^(digits - 1) unless it is zero.
        long integerDigits = (long) value.precision() - value.scale();
        if (value.signum() == 0 || integerDigits < -scale) {
            // Below half a unit of the last decimal: rounds to zero (as 0.001 does at scale 2).
            return DecimalData.zero(precision, scale);
        }
        return integerDigits > precision - scale
                ? null
                : DecimalData.fromBigDecimal(value, precision, scale);
    }

    /** A value for a message: short values whole, long ones cut, with their length. */
    private static String abbreviated(JsonNode node) {
        String text = node.toString();
        return text.length() <= 60
                ? text
                : text.substring(0, 60) + "... (" + text.length() + " characters)";
    }

    private static long integral(JsonNode node, String path, long min, long max)
            throws BadJsonException {
        expect(node.isIntegralNumber() && node.canConvertToLong(), node, "an integer", path);
        long value = node.longValue();
        if (value < min || value > max) {
            throw new BadJsonException(path + " = " + value + " is out of range for its column");
        }
        return value;
    }

    static TimestampData timestamp(JsonNode node, String path) throws BadJsonException {
        if (node.isIntegralNumber()) {
            return TimestampData.fromEpochMillis(node.longValue());
        }
        expect(node.isTextual(), node, "an ISO-8601 timestamp or epoch milliseconds", path);
        String text = node.asText();
        try {
            return TimestampData.fromInstant(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return TimestampData.fromLocalDateTime(LocalDateTime.parse(text.replace(' ', 'T')));
            } catch (DateTimeParseException e2) {
                throw new BadJsonException(path + " = " + node + " is not an ISO-8601 timestamp");
            }
        }
    }

    private static void expect(boolean ok, JsonNode node, String what, String path)
            throws BadJsonException {
        if (!ok) {
            throw new BadJsonException(
                    path
                            + " should be "
                            + what
                            + " but is "
                            + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
    }
}
