package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JacksonException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * The {@code json} format of a source table: a JSON object per record, Confluent-framed with a JSON
 * Schema id (with a registry; optionally validated against that schema) or bare, converted into a
 * row of the table's columns by field name (see {@link JsonRowConverters}).
 */
@Internal
public final class JsonRowDataDecoder implements RowDecoder {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RowType rowType;
    @Nullable private final RegistryClientFactory registryFactory;
    private final boolean validate;
    private final int maxValidationSteps;

    private transient SchemaRegistryClient registry;
    private transient JsonRegistryDeserializer framed;
    private transient JsonRowConverters.Converter converter;

    /**
     * @param registryFactory the registry for framed records, or null for bare JSON
     * @param validate check framed values against their registered JSON Schema
     */
    public JsonRowDataDecoder(
            RowType rowType, @Nullable RegistryClientFactory registryFactory, boolean validate) {
        this(rowType, registryFactory, validate, RecordLimits.DEFAULT_JSON_VALIDATE_MAX_STEPS);
    }

    /**
     * @param maxValidationSteps the validation budget of one record ({@link
     *     RecordLimits#JSON_VALIDATE_MAX_STEPS_OPTION})
     */
    public JsonRowDataDecoder(
            RowType rowType,
            @Nullable RegistryClientFactory registryFactory,
            boolean validate,
            int maxValidationSteps) {
        this.rowType = rowType;
        this.registryFactory = registryFactory;
        this.validate = validate;
        this.maxValidationSteps =
                RecordLimits.requireAtLeast(
                        RecordLimits.JSON_VALIDATE_MAX_STEPS_OPTION, maxValidationSteps, 1);
        JsonRowConverters.forRow(rowType); // unsupported column types fail at planning
    }

    @Override
    public void open() {
        converter = JsonRowConverters.forRow(rowType);
        if (registryFactory != null) {
            registry = registryFactory.create();
            framed = new JsonRegistryDeserializer(registry, validate, maxValidationSteps);
        }
    }

    /** Releases the registry client. */
    @Override
    public void close() {
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }

    @Override
    public RowData decode(byte[] message) throws WireFormatException {
        JsonNode tree = framed != null ? framed.deserialize(message) : parse(message);
        try {
            return (RowData) converter.convert(tree);
        } catch (JsonRowConverters.BadJsonException e) {
            throw new WireFormatException(Reason.SCHEMA_VIOLATION, -1, e.getMessage());
        }
    }

    private static JsonNode parse(byte[] message) throws WireFormatException {
        if (message.length == 0) {
            throw new WireFormatException(Reason.EMPTY_PAYLOAD, -1, "the value has no bytes");
        }
        try {
            JsonNode tree = MAPPER.readTree(message);
            if (tree == null || tree.isMissingNode()) {
                throw new WireFormatException(Reason.TRUNCATED_BODY, -1, "no JSON value");
            }
            return tree;
        } catch (JacksonException e) {
            throw new WireFormatException(
                    Reason.MALFORMED_BODY, -1, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new WireFormatException(Reason.MALFORMED_BODY, -1, e.toString(), e);
        }
    }
}
