package io.github.flinkconfluent.connector.format.json;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.DataType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a registry's JSON Schema into the SQL columns of a table.
 *
 * <p>{@code object} with {@code properties} → ROW (property order kept), {@code array} → ARRAY of
 * its {@code items}, properties listed in {@code required} → NOT NULL, {@code integer} → BIGINT,
 * {@code number} → DOUBLE, {@code string} with {@code format} date-time / date / time →
 * TIMESTAMP_LTZ(3) / DATE / TIME(3), local {@code $ref}s ({@code #/definitions/..}, {@code
 * #/$defs/..}) resolved, {@code oneOf} / {@code anyOf} of {@code null} and one schema → that
 * schema, nullable. Everything SQL cannot hold — other {@code oneOf} / {@code anyOf} / {@code
 * allOf}, objects with only {@code additionalProperties}, several types, recursion, no type at all
 * — becomes a JSON column: a STRING holding the value as JSON text.
 */
@Internal
public final class JsonSchemaToSql {

    private final JsonNode root;

    private JsonSchemaToSql(JsonNode root) {
        this.root = root;
    }

    /** The columns of a table whose values follow the object schema {@code schema}. */
    public static DataType toRowType(JsonNode schema) {
        JsonSchemaToSql converter = new JsonSchemaToSql(schema);
        JsonNode resolved = converter.resolve(schema, new HashSet<>());
        if (!"object".equals(resolved.path("type").asText())
                || !resolved.path("properties").isObject()) {
            throw new ValidationException(
                    "A table's value JSON Schema must be an object with properties");
        }
        return converter.object(resolved, new HashSet<>()).notNull();
    }

    private DataType convert(JsonNode schema, Set<String> refsInUse) {
        String ref = schema.path("$ref").asText(null);
        if (ref != null) {
            if (!refsInUse.add(ref)) {
                return DataTypes.STRING().notNull(); // recursive
            }
            try {
                return convert(resolve(schema, new HashSet<>()), refsInUse);
            } finally {
                refsInUse.remove(ref);
            }
        }
        JsonNode orNull = nonNullBranch(schema);
        if (orNull != null) {
            return convert(orNull, refsInUse).nullable();
        }
        if (schema.has("oneOf") || schema.has("anyOf") || schema.has("allOf")) {
            return DataTypes.STRING().notNull();
        }
        JsonNode type = schema.path("type");
        String single = type.asText(null);
        boolean nullable = false;
        if (type.isArray()) {
            List<String> types = new ArrayList<>();
            type.forEach(t -> types.add(t.asText()));
            nullable = types.remove("null");
            single = types.size() == 1 ? types.get(0) : null;
        }
        DataType converted =
                single == null ? DataTypes.STRING() : convert(single, schema, refsInUse);
        return nullable ? converted.nullable() : converted.notNull();
    }

    /**
     * The other branch of {@code oneOf} / {@code anyOf} {@code [{"type": "null"}, X]}, or null: how
     * Kafka Connect's JSON Schema converter (and so Debezium) writes an optional field, which is a
     * nullable X, not a union SQL cannot hold.
     */
    private static JsonNode nonNullBranch(JsonNode schema) {
        boolean one = schema.has("oneOf");
        if (one == schema.has("anyOf") || schema.has("allOf")) {
            return null;
        }
        JsonNode branches = schema.get(one ? "oneOf" : "anyOf");
        if (!branches.isArray() || branches.size() != 2) {
            return null;
        }
        for (int i = 0; i < 2; i++) {
            JsonNode branch = branches.get(i);
            if (branch.size() == 1 && "null".equals(branch.path("type").asText(null))) {
                return branches.get(1 - i);
            }
        }
        return null;
    }

    private DataType convert(String type, JsonNode schema, Set<String> refsInUse) {
        switch (type) {
            case "string":
                switch (schema.path("format").asText("")) {
                    case "date-time":
                        return DataTypes.TIMESTAMP_LTZ(3);
                    case "date":
                        return DataTypes.DATE();
                    case "time":
                        return DataTypes.TIME(3);
                    default:
                        return DataTypes.STRING();
                }
            case "integer":
                return DataTypes.BIGINT();
            case "number":
                return DataTypes.DOUBLE();
            case "boolean":
                return DataTypes.BOOLEAN();
            case "array":
                JsonNode items = schema.path("items");
                return items.isObject()
                        ? DataTypes.ARRAY(convert(items, refsInUse).nullable())
                        : DataTypes.STRING();
            case "object":
                return schema.path("properties").isObject()
                        ? object(schema, refsInUse)
                        : DataTypes.STRING(); // free-form: only additionalProperties
            default:
                return DataTypes.STRING();
        }
    }

    private DataType object(JsonNode schema, Set<String> refsInUse) {
        Set<String> required = new HashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        List<DataTypes.Field> fields = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> properties =
                schema.path("properties").properties().iterator();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            DataType type = convert(property.getValue(), refsInUse);
            if (!required.contains(property.getKey())) {
                type = type.nullable();
            }
            String description = property.getValue().path("description").asText(null);
            fields.add(
                    description == null
                            ? DataTypes.FIELD(property.getKey(), type)
                            : DataTypes.FIELD(property.getKey(), type, description));
        }
        return DataTypes.ROW(fields.toArray(new DataTypes.Field[0]));
    }

    /** Follows local {@code $ref}s to the schema they name. */
    private JsonNode resolve(JsonNode schema, Set<String> seen) {
        JsonNode current = schema;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#") || !seen.add(ref)) {
                throw new ValidationException(
                        "Cannot resolve JSON Schema reference '"
                                + ref
                                + "': only local references (#/...) without cycles at the top"
                                + " are supported");
            }
            JsonNode target = root.at(ref.substring(1));
            if (target.isMissingNode()) {
                throw new ValidationException("JSON Schema reference '" + ref + "' names nothing");
            }
            current = target;
        }
        return current;
    }
}
