package io.github.flinkconfluent.connector.format.protobuf;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import java.util.HashSet;
import java.util.Set;

/**
 * The {@code .proto} text (proto3) a sink registers for the table's columns, when the subject has
 * no latest schema the rows fit.
 *
 * <p>One message, named by the caller, with the columns as fields numbered 1, 2, ... in column
 * order. A nullable scalar column is a proto3 {@code optional} field (so that NULL and the default
 * stay apart), a NOT NULL one a plain field; a ROW is a nested message named after its column,
 * TIMESTAMP and TIMESTAMP_LTZ are {@code google.protobuf.Timestamp}, ARRAY is {@code repeated}, MAP
 * is {@code map<>}. Types Protobuf has no faithful form for here (DECIMAL, DATE, TIME, nested
 * collections, a MAP key that is not text, an integer or a boolean) fail at planning time with the
 * column named.
 */
@Internal
public final class SqlToProtobufSchema {

    private SqlToProtobufSchema() {}

    /**
     * The schema text for rows of {@code rowType}, as message {@code messageName}; a dotted name
     * ({@code shop.Order}) puts the message in that package ({@code shop}).
     */
    public static String convert(RowType rowType, String messageName) {
        StringBuilder out = new StringBuilder("syntax = \"proto3\";\n");
        int dot = messageName.lastIndexOf('.');
        if (dot > 0) {
            out.append("package ").append(messageName, 0, dot).append(";\n");
            messageName = messageName.substring(dot + 1);
        }
        StringBuilder body = new StringBuilder();
        boolean[] timestamp = {false};
        message(rowType, messageName, body, "", timestamp, messageName);
        if (timestamp[0]) {
            out.append("import \"google/protobuf/timestamp.proto\";\n");
        }
        return out.append('\n').append(body).toString();
    }

    private static void message(
            RowType rowType,
            String name,
            StringBuilder out,
            String indent,
            boolean[] timestamp,
            String path) {
        out.append(indent).append("message ").append(name).append(" {\n");
        Set<String> nestedNames = new HashSet<>();
        StringBuilder nested = new StringBuilder();
        for (int i = 0; i < rowType.getFieldCount(); i++) {
            String column = rowType.getFieldNames().get(i);
            String where = path + "." + column;
            if (!column.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new ValidationException(
                        "Column "
                                + where
                                + " cannot be a Protobuf field name (letters, digits and _ only);"
                                + " rename it with an alias in the INSERT's SELECT");
            }
            LogicalType type = rowType.getTypeAt(i);
            String label = "";
            String fieldType;
            if (type instanceof ArrayType array) {
                label = "repeated ";
                fieldType =
                        single(
                                array.getElementType(),
                                column,
                                "Item",
                                nested,
                                nestedNames,
                                indent,
                                timestamp,
                                where + "[]");
            } else if (type instanceof MapType map) {
                String key = mapKey(map.getKeyType(), where);
                String value =
                        single(
                                map.getValueType(),
                                column,
                                "Value",
                                nested,
                                nestedNames,
                                indent,
                                timestamp,
                                where + ".value");
                fieldType = "map<" + key + ", " + value + ">";
            } else {
                fieldType = single(type, column, "", nested, nestedNames, indent, timestamp, where);
                boolean message = type instanceof RowType || fieldType.startsWith("google.");
                if (type.isNullable() && !message) {
                    label = "optional ";
                }
            }
            out.append(indent)
                    .append("  ")
                    .append(label)
                    .append(fieldType)
                    .append(' ')
                    .append(column)
                    .append(" = ")
                    .append(i + 1)
                    .append(";\n");
        }
        out.append(nested).append(indent).append("}\n");
    }

    private static String single(
            LogicalType type,
            String column,
            String suffix,
            StringBuilder nested,
            Set<String> nestedNames,
            String indent,
            boolean[] timestamp,
            String where) {
        switch (type.getTypeRoot()) {
            case BOOLEAN:
                return "bool";
            case TINYINT:
            case SMALLINT:
            case INTEGER:
                return "int32";
            case BIGINT:
                return "int64";
            case FLOAT:
                return "float";
            case DOUBLE:
                return "double";
            case CHAR:
            case VARCHAR:
                return "string";
            case BINARY:
            case VARBINARY:
                return "bytes";
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                timestamp[0] = true;
                return "google.protobuf.Timestamp";
            case ROW:
                String name = messageName(column) + suffix;
                while (!nestedNames.add(name)) {
                    name = name + "_";
                }
                message((RowType) type, name, nested, indent + "  ", timestamp, where);
                return name;
            default:
                throw new ValidationException(
                        "Column "
                                + where
                                + " is "
                                + type.asSummaryString()
                                + ", which the protobuf format cannot write (supported: BOOLEAN,"
                                + " TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE, STRING, BYTES,"
                                + " TIMESTAMP, TIMESTAMP_LTZ, ROW, ARRAY and MAP of these); cast"
                                + " it in the INSERT's SELECT");
        }
    }

    private static String mapKey(LogicalType key, String where) {
        switch (key.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return "string";
            case INTEGER:
                return "int32";
            case BIGINT:
                return "int64";
            case BOOLEAN:
                return "bool";
            default:
                throw new ValidationException(
                        "Column "
                                + where
                                + " has MAP keys of type "
                                + key.asSummaryString()
                                + "; Protobuf map keys are STRING, INT, BIGINT or BOOLEAN");
        }
    }

    /** {@code shipping_address} becomes {@code ShippingAddress}. */
    private static String messageName(String column) {
        String name = ProtoSchemaParser.entryName(column);
        return name.substring(0, name.length() - "Entry".length());
    }
}
