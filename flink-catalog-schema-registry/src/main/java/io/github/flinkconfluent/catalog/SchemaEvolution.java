package io.github.flinkconfluent.catalog;

import io.github.flinkconfluent.connector.format.avro.RegistryAvroSchemas;
import io.github.flinkconfluent.connector.format.avro.SqlToAvroSchema;
import io.github.flinkconfluent.connector.format.factory.RowFormats;
import io.github.flinkconfluent.connector.format.json.SqlToJsonSchema;
import io.github.flinkconfluent.connector.format.protobuf.SqlToProtobufSchema;
import io.github.flinkconfluent.connector.registry.RegisteredSchema;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Schema;

/**
 * The next version of a subject's value schema after {@code ALTER TABLE}: the registered schema
 * with columns added or dropped, everything else kept as registered.
 *
 * <p>Why not derive the whole schema from the new columns again: a table's columns lose what SQL
 * cannot say. An Avro union is a JSON column ({@code STRING}), an enum a {@code STRING}, a record
 * has its writer's name; re-deriving would register a {@code string} where producers write a union,
 * and the registry (rightly) refuses or, worse, accepts a schema that no longer describes the data.
 * So existing fields keep their registered schema (Avro: aligned to the registered schema, as a
 * reader is; JSON Schema: the registered property node), and only new columns are derived from SQL
 * — nullable, so records written before read them as null.
 */
@Internal
final class SchemaEvolution {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private SchemaEvolution() {}

    static SchemaDefinition evolve(
            RegisteredSchema current, RowType columns, SchemaRegistryClient registry) {
        try {
            if (current.definition().type() == SchemaType.AVRO) {
                Schema registered = RegistryAvroSchemas.parse(current.definition(), registry);
                return SchemaDefinition.avro(
                        SqlToAvroSchema.alignedTo(columns, registered, registered.getFullName())
                                .toString());
            }
            if (current.definition().type() == SchemaType.JSON) {
                return SchemaDefinition.json(
                        evolveJson(
                                        (ObjectNode) MAPPER.readTree(current.definition().text()),
                                        columns,
                                        current.subject())
                                .toString());
            }
            if (current.definition().type() == SchemaType.PROTOBUF) {
                // Derived again: field numbers follow the column order (docs/catalog.md).
                return SchemaDefinition.protobuf(
                        SqlToProtobufSchema.convert(columns, RowFormats.PROTOBUF_MESSAGE_NAME));
            }
        } catch (CatalogException e) {
            throw e;
        } catch (Exception e) {
            throw new CatalogException(
                    "Cannot derive the next schema of subject '"
                            + current.subject()
                            + "' from version "
                            + current.version()
                            + ": "
                            + e.getMessage(),
                    e);
        }
        throw new CatalogException(
                "Subject '"
                        + current.subject()
                        + "' holds a "
                        + current.definition().type()
                        + " schema; ALTER TABLE evolves Avro, JSON Schema and Protobuf subjects");
    }

    private static ObjectNode evolveJson(ObjectNode registered, RowType columns, String subject) {
        ObjectNode derived = SqlToJsonSchema.convert(columns, subject);
        ObjectNode next = registered.deepCopy();
        JsonNode oldProperties = registered.path("properties");
        ObjectNode properties = MAPPER.createObjectNode();
        for (String name : columns.getFieldNames()) {
            JsonNode kept = oldProperties.get(name);
            properties.set(name, kept != null ? kept : derived.path("properties").get(name));
        }
        next.set("properties", properties);
        if (registered.has("required")) {
            ArrayNode required = MAPPER.createArrayNode();
            for (JsonNode name : registered.get("required")) {
                if (columns.getFieldNames().contains(name.asText())) {
                    required.add(name);
                }
            }
            next.set("required", required);
        }
        return next;
    }
}
