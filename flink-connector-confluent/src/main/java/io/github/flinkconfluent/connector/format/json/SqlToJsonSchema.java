package io.github.flinkconfluent.connector.format.json;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

/**
 * Converts a sink table's SQL row type into the JSON Schema (draft-07) its values follow, for
 * registration: NOT NULL columns are {@code required}, nullable ones allow {@code null}; the
 * formats are those the {@code json} format writes (ISO-8601 temporal text, base64 bytes).
 */
@Internal
public final class SqlToJsonSchema {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SqlToJsonSchema() {}

    public static ObjectNode convert(RowType rowType, String title) {
        ObjectNode schema = object(rowType);
        schema.put("$schema", "http://json-schema.org/draft-07/schema#");
        schema.put("title", title);
        return schema;
    }

    private static ObjectNode convert(LogicalType type) {
        ObjectNode schema = nonNull(type);
        if (type.isNullable()) {
            String base = schema.get("type").asText();
            ArrayNode types = NODES.arrayNode().add("null").add(base);
            schema.set("type", types);
        }
        return schema;
    }

    private static ObjectNode nonNull(LogicalType type) {
        ObjectNode schema = NODES.objectNode();
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return schema.put("type", "string");
            case BOOLEAN:
                return schema.put("type", "boolean");
            case TINYINT:
            case SMALLINT:
            case INTEGER:
            case BIGINT:
                return schema.put("type", "integer");
            case FLOAT:
            case DOUBLE:
            case DECIMAL:
                return schema.put("type", "number");
            case DATE:
                return schema.put("type", "string").put("format", "date");
            case TIME_WITHOUT_TIME_ZONE:
                return schema.put("type", "string").put("format", "time");
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return schema.put("type", "string").put("format", "date-time");
            case BINARY:
            case VARBINARY:
                return schema.put("type", "string").put("contentEncoding", "base64");
            case ARRAY:
                schema.put("type", "array");
                schema.set("items", convert(((ArrayType) type).getElementType()));
                return schema;
            case MAP:
                schema.put("type", "object");
                schema.set("additionalProperties", convert(((MapType) type).getValueType()));
                return schema;
            case ROW:
                return object((RowType) type);
            default:
                throw new ValidationException(
                        "The JSON format cannot write the SQL type " + type.asSummaryString());
        }
    }

    private static ObjectNode object(RowType rowType) {
        ObjectNode schema = NODES.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = NODES.arrayNode();
        for (RowType.RowField field : rowType.getFields()) {
            properties.set(field.getName(), convert(field.getType()));
            if (!field.getType().isNullable()) {
                required.add(field.getName());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }
}
