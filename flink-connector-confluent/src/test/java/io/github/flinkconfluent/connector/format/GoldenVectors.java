package io.github.flinkconfluent.connector.format;

import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.List;

/**
 * The golden vectors in {@code src/test/resources/golden}: schemas and bytes produced by
 * Confluent's own serializers ({@code @confluentinc/schemaregistry}, see the README there).
 */
public record GoldenVectors(
        String name,
        SchemaType schemaType,
        String subject,
        String schema,
        int schemaId,
        JsonNode value,
        byte[] payload) {

    public static final List<String> AVRO =
            List.of(
                    "avro-simple",
                    "avro-primitives",
                    "avro-nullable",
                    "avro-complex",
                    "avro-logical");
    public static final List<String> JSON = List.of("json-simple", "json-nested");
    public static final List<String> PROTOBUF = List.of("protobuf-order", "protobuf-nested-index");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static GoldenVectors load(String name) {
        try (InputStream in =
                GoldenVectors.class.getResourceAsStream("/golden/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("No golden vector " + name);
            }
            JsonNode node = MAPPER.readTree(in);
            return new GoldenVectors(
                    name,
                    SchemaType.fromRegistry(node.get("schemaType").asText()),
                    node.get("subject").asText(),
                    node.get("schema").asText(),
                    node.get("schemaId").asInt(),
                    node.get("value"),
                    HexFormat.of().parseHex(node.get("payloadHex").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SchemaDefinition definition() {
        return new SchemaDefinition(schemaType, schema, List.of());
    }

    /** A fake registry holding every golden schema under its golden id. */
    public static InMemorySchemaRegistry registryWithAll() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        for (String name : concat(concat(AVRO, JSON), PROTOBUF)) {
            GoldenVectors vector = load(name);
            registry.put(vector.schemaId(), vector.subject(), vector.definition());
        }
        return registry;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
