package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.RegisteredSchema;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.io.IOException;
import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code json} format of a sink table: one JSON object per row, field names from the columns,
 * Confluent-framed (with a registry) with the id of the subject's latest JSON Schema when it
 * describes exactly these columns, else of the table's own JSON Schema, registered; or bare.
 * Timestamps are ISO-8601 text, bytes base64, as the {@code json} source reads them.
 */
@Internal
public final class JsonRowDataEncoder implements RowEncoder {

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final RowType rowType;
    @Nullable private final RegistryClientFactory registryFactory;
    private final String subject;

    private transient Function<Object, JsonNode> converter;
    private transient int schemaId;

    public JsonRowDataEncoder(
            RowType rowType, @Nullable RegistryClientFactory registryFactory, String subject) {
        this.rowType = rowType;
        this.registryFactory = registryFactory;
        this.subject = subject;
        create(rowType); // unsupported column types fail at planning
    }

    @Override
    public void open() {
        converter = create(rowType);
        if (registryFactory != null) {
            // Only needed here: the schema id is all that encoding needs afterwards.
            try (SchemaRegistryClient registry = registryFactory.create()) {
                schemaId =
                        fittingLatest(registry)
                                .map(RegisteredSchema::id)
                                .orElseGet(
                                        () ->
                                                registry.register(
                                                        subject,
                                                        SchemaDefinition.json(
                                                                schema().toString())));
            }
        }
    }

    /** The JSON Schema of the table's rows, registered when the subject has none that fits. */
    public ObjectNode schema() {
        return SqlToJsonSchema.convert(rowType, subject);
    }

    /**
     * The subject's latest schema if it describes exactly the table's columns (same properties,
     * types and required ones): then the sink writes with it and registers nothing.
     */
    public Optional<RegisteredSchema> fittingLatest(SchemaRegistryClient registry) {
        RegisteredSchema latest;
        try {
            latest = registry.getLatest(subject);
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.SUBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        if (latest.definition().type() != SchemaType.JSON) {
            return Optional.empty();
        }
        try {
            LogicalType theirs =
                    JsonSchemaToSql.toRowType(MAPPER.readTree(latest.definition().text()))
                            .getLogicalType();
            LogicalType ours = JsonSchemaToSql.toRowType(schema()).getLogicalType();
            return theirs.equals(ours) ? Optional.of(latest) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public byte[] encode(RowData row) {
        byte[] body;
        try {
            body = MAPPER.writeValueAsBytes(converter.apply(row));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a row as JSON", e);
        }
        return registryFactory == null
                ? body
                : ConfluentWireFormat.frame(schemaId, body, 0, body.length);
    }

    private interface Converter extends Function<Object, JsonNode>, Serializable {}

    private static Converter create(LogicalType type) {
        Converter nonNull = nonNull(type);
        return value -> value == null ? NODES.nullNode() : nonNull.apply(value);
    }

    private static Converter nonNull(LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return value -> NODES.textNode(value.toString());
            case BOOLEAN:
                return value -> NODES.booleanNode((Boolean) value);
            case TINYINT:
                return value -> NODES.numberNode((Byte) value);
            case SMALLINT:
                return value -> NODES.numberNode((Short) value);
            case INTEGER:
                return value -> NODES.numberNode((Integer) value);
            case BIGINT:
                return value -> NODES.numberNode((Long) value);
            case FLOAT:
                return value -> NODES.numberNode((Float) value);
            case DOUBLE:
                return value -> NODES.numberNode((Double) value);
            case DECIMAL:
                return value -> NODES.numberNode(((DecimalData) value).toBigDecimal());
            case BINARY:
            case VARBINARY:
                return value -> NODES.textNode(Base64.getEncoder().encodeToString((byte[]) value));
            case DATE:
                return value -> NODES.textNode(LocalDate.ofEpochDay((Integer) value).toString());
            case TIME_WITHOUT_TIME_ZONE:
                return value ->
                        NODES.textNode(
                                LocalTime.ofNanoOfDay((Integer) value * 1_000_000L).toString());
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return value ->
                        NODES.textNode(((TimestampData) value).toLocalDateTime().toString());
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return value -> NODES.textNode(((TimestampData) value).toInstant().toString());
            case ARRAY:
                LogicalType elementType = ((ArrayType) type).getElementType();
                Converter element = create(elementType);
                ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
                return value -> {
                    ArrayData array = (ArrayData) value;
                    ArrayNode node = NODES.arrayNode(array.size());
                    for (int i = 0; i < array.size(); i++) {
                        node.add(element.apply(getter.getElementOrNull(array, i)));
                    }
                    return node;
                };
            case MAP:
                MapType mapType = (MapType) type;
                Converter mapValue = create(mapType.getValueType());
                ArrayData.ElementGetter keys = ArrayData.createElementGetter(mapType.getKeyType());
                ArrayData.ElementGetter values =
                        ArrayData.createElementGetter(mapType.getValueType());
                return value -> {
                    MapData map = (MapData) value;
                    ObjectNode node = NODES.objectNode();
                    for (int i = 0; i < map.size(); i++) {
                        node.set(
                                String.valueOf(keys.getElementOrNull(map.keyArray(), i)),
                                mapValue.apply(values.getElementOrNull(map.valueArray(), i)));
                    }
                    return node;
                };
            case ROW:
                RowType rowType = (RowType) type;
                List<String> names = rowType.getFieldNames();
                Converter[] fields = new Converter[names.size()];
                RowData.FieldGetter[] getters = new RowData.FieldGetter[names.size()];
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = create(rowType.getTypeAt(i));
                    getters[i] = RowData.createFieldGetter(rowType.getTypeAt(i), i);
                }
                return value -> {
                    RowData row = (RowData) value;
                    ObjectNode node = NODES.objectNode();
                    for (int i = 0; i < fields.length; i++) {
                        node.set(names.get(i), fields[i].apply(getters[i].getFieldOrNull(row)));
                    }
                    return node;
                };
            default:
                throw new ValidationException(
                        "The JSON format cannot write the SQL type " + type.asSummaryString());
        }
    }
}
