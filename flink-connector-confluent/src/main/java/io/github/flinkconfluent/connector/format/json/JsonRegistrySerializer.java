package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * Encodes JSON trees in the Confluent framing with a registered JSON Schema id, optionally refusing
 * values that violate the schema (as Confluent's serializer does with validation on).
 *
 * <p>Not thread-safe: one instance per parallel task.
 */
@PublicEvolving
public final class JsonRegistrySerializer {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int schemaId;
    private final JsonSchemaValidator validator;

    /**
     * @param register true to register {@code schemaText} under {@code subject}, false to look it
     *     up among the subject's versions
     * @param validate true to check every value against the schema before writing it
     */
    public JsonRegistrySerializer(
            SchemaRegistryClient registry,
            String subject,
            String schemaText,
            boolean register,
            boolean validate) {
        SchemaDefinition definition = SchemaDefinition.json(schemaText);
        this.schemaId =
                register
                        ? registry.register(subject, definition)
                        : registry.lookup(subject, definition).id();
        try {
            this.validator = validate ? new JsonSchemaValidator(MAPPER.readTree(schemaText)) : null;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The JSON Schema is not valid JSON", e);
        }
    }

    public int schemaId() {
        return schemaId;
    }

    public byte[] serialize(JsonNode value) {
        if (validator != null) {
            List<String> problems;
            try {
                problems = validator.validate(value);
            } catch (JsonSchemaValidator.StepLimitException e) {
                throw new IllegalArgumentException(
                        "Cannot check the value against JSON Schema id "
                                + schemaId
                                + ": "
                                + e.getMessage(),
                        e);
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(
                        "The value violates JSON Schema id "
                                + schemaId
                                + ": "
                                + String.join("; ", problems));
            }
        }
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        return ConfluentWireFormat.frame(schemaId, body, 0, body.length);
    }
}
