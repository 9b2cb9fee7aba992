package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JacksonException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonToken;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.StreamReadFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.json.JsonMapper;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.io.IOException;

/**
 * The {@code json} format of a source table: a JSON object per record, Confluent-framed with a JSON
 * Schema id (with a registry; optionally validated against that schema) or bare, converted into a
 * row of the table's columns by field name (see {@link JsonRowConverters}).
 *
 * <p>Records are read straight from Jackson's streaming parser ({@link JsonStreamReaders}); a
 * record that needs the JSON tree (one to validate, or one the streaming readers are not certain
 * of, bad data included) is parsed again into a tree and converted by {@link JsonRowConverters},
 * which decides the row or the error.
 */
@Internal
public final class JsonRowDataDecoder implements RowDecoder {

    private static final long serialVersionUID = 1L;

    /**
     * Doubles parsed with Jackson's bundled fast parser (same correctly rounded values as {@link
     * Double#parseDouble}, in about half the time).
     */
    private static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

    /**
     * Records longer than the parser's longest string go through the tree: only there is every
     * string materialized and its length checked, also in fields the table does not read.
     */
    private static final int MAX_STREAMED_LENGTH =
            MAPPER.getFactory().streamReadConstraints().getMaxStringLength();

    private final RowType rowType;
    @Nullable private final RegistryClientFactory registryFactory;
    private final boolean validate;
    private final int maxValidationSteps;

    private transient SchemaRegistryClient registry;
    private transient JsonRegistryDeserializer framed;
    private transient JsonRowConverters.Converter converter;
    private transient JsonByteReaders bytes;
    private transient JsonStreamReaders reader;

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
        bytes = JsonByteReaders.forRow(rowType);
        reader = JsonStreamReaders.forRow(rowType, MAPPER);
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
        RowData row;
        if (framed != null) {
            row =
                    framed.validates(message)
                            ? null
                            : streamed(message, ConfluentWireFormat.HEADER_LENGTH);
            return row != null ? row : convert(framed.deserialize(message));
        }
        row = streamed(message, 0);
        return row != null ? row : convert(parse(message));
    }

    /** The row read by the streaming parser, or null when the record needs the tree. */
    @Nullable
    private RowData streamed(byte[] message, int offset) {
        if (message.length > MAX_STREAMED_LENGTH || message.length < offset) {
            return null;
        }
        RowData simple = bytes.read(message, offset);
        if (simple != null) {
            return simple;
        }
        try (JsonParser parser = MAPPER.createParser(message, offset, message.length - offset)) {
            return parser.nextToken() == JsonToken.START_OBJECT
                    ? reader.read(parser, message, offset)
                    : null;
        } catch (IOException | JsonStreamReaders.TreeNeeded e) {
            return null;
        }
    }

    /**
     * The row the byte path ({@link JsonByteReaders}) reads from {@code message}, or null where
     * {@link #decode} goes on to Jackson: for tests.
     */
    @Nullable
    RowData decodeBytesOnly(byte[] message) {
        return bytes.read(message, framed != null ? ConfluentWireFormat.HEADER_LENGTH : 0);
    }

    /**
     * The row the streaming paths read from {@code message} (framed or bare, never validated), or
     * null where {@link #decode} goes through the tree: for tests.
     */
    @Nullable
    RowData decodeStreamedOnly(byte[] message) {
        return streamed(message, framed != null ? ConfluentWireFormat.HEADER_LENGTH : 0);
    }

    /** Decodes {@code message} through the JSON tree only: the reference for the streaming path. */
    RowData decodeThroughTree(byte[] message) throws WireFormatException {
        return convert(framed != null ? framed.deserialize(message) : parse(message));
    }

    private RowData convert(JsonNode tree) throws WireFormatException {
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
