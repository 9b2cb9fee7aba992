package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.format.wire.WriterSchemaErrors;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JacksonException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes Confluent-framed JSON Schema records into JSON trees, optionally validating each one
 * against the schema its id names. The schema (and its validator) is fetched once per id.
 *
 * <p>Not thread-safe: one instance per parallel task.
 */
@PublicEvolving
public final class JsonRegistryDeserializer {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_WRITERS = 1000;

    private final SchemaRegistryClient registry;
    private final boolean validate;
    private final int maxValidationSteps;
    private final Map<Integer, Object> validators = new HashMap<>();

    public JsonRegistryDeserializer(SchemaRegistryClient registry, boolean validate) {
        this(registry, validate, RecordLimits.DEFAULT_JSON_VALIDATE_MAX_STEPS);
    }

    /**
     * @param maxValidationSteps the validation budget of one record ({@link
     *     RecordLimits#JSON_VALIDATE_MAX_STEPS_OPTION}): a record whose validation needs more is a
     *     {@link Reason#LIMIT_EXCEEDED} error
     */
    public JsonRegistryDeserializer(
            SchemaRegistryClient registry, boolean validate, int maxValidationSteps) {
        this.registry = registry;
        this.validate = validate;
        this.maxValidationSteps =
                RecordLimits.requireAtLeast(
                        RecordLimits.JSON_VALIDATE_MAX_STEPS_OPTION, maxValidationSteps, 1);
    }

    public JsonNode deserialize(byte[] message) throws WireFormatException {
        int schemaId = ConfluentWireFormat.readSchemaId(message);
        JsonSchemaValidator validator = validatorFor(schemaId);
        JsonNode value;
        try {
            value =
                    MAPPER.readTree(
                            message,
                            ConfluentWireFormat.HEADER_LENGTH,
                            message.length - ConfluentWireFormat.HEADER_LENGTH);
        } catch (JacksonException e) {
            throw new WireFormatException(
                    Reason.MALFORMED_BODY,
                    schemaId,
                    "not valid JSON: " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new WireFormatException(Reason.MALFORMED_BODY, schemaId, e.toString(), e);
        }
        if (value == null || value.isMissingNode()) {
            throw new WireFormatException(
                    Reason.TRUNCATED_BODY, schemaId, "no JSON value after the header");
        }
        if (validator != null) {
            List<String> problems;
            try {
                problems = validator.validate(value);
            } catch (JsonSchemaValidator.StepLimitException e) {
                throw new WireFormatException(Reason.LIMIT_EXCEEDED, schemaId, e.getMessage());
            }
            if (!problems.isEmpty()) {
                throw new WireFormatException(
                        Reason.SCHEMA_VIOLATION, schemaId, String.join("; ", problems));
            }
        }
        return value;
    }

    /**
     * Whether {@link #deserialize} validates {@code message} against its writer's JSON Schema;
     * throws what it throws for a bad header or writer (with the same reasons), so a caller that
     * parses the body itself (from {@link ConfluentWireFormat#HEADER_LENGTH}) when this is false
     * reports the same errors.
     */
    boolean validates(byte[] message) throws WireFormatException {
        return validatorFor(ConfluentWireFormat.readSchemaId(message)) != null;
    }

    private JsonSchemaValidator validatorFor(int schemaId) throws WireFormatException {
        Object cached = validators.get(schemaId);
        if (cached == null) {
            cached = createValidator(schemaId);
            if (cached instanceof WireFormatException e && WriterSchemaErrors.isRegistryAnswer(e)) {
                throw e; // not kept: the registry client remembers it, for a while
            }
            if (validators.size() >= MAX_WRITERS) {
                validators.clear();
            }
            validators.put(schemaId, cached);
        }
        if (cached instanceof WireFormatException e) {
            throw new WireFormatException(e.reason(), schemaId, e.detail(), null);
        }
        return cached instanceof JsonSchemaValidator v ? v : null;
    }

    private Object createValidator(int schemaId) {
        SchemaDefinition definition;
        try {
            definition = registry.getById(schemaId);
        } catch (SchemaRegistryException e) {
            return WriterSchemaErrors.forId(e, schemaId);
        }
        if (definition.type() != SchemaType.JSON) {
            return new WireFormatException(
                    Reason.WRONG_SCHEMA_TYPE,
                    schemaId,
                    "the record was written with a "
                            + definition.type()
                            + " schema, but this table reads JSON");
        }
        if (!validate) {
            return Boolean.TRUE;
        }
        try {
            return new JsonSchemaValidator(MAPPER.readTree(definition.text()), maxValidationSteps);
        } catch (IOException e) {
            return new WireFormatException(
                    Reason.INCOMPATIBLE_SCHEMA,
                    schemaId,
                    "the registry's JSON Schema is not valid JSON");
        }
    }
}
