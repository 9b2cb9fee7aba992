package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.LatestSchemas;
import io.github.flinkconfluent.connector.registry.RegisteredSchema;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.util.ByteArrayBuilder;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.Optional;

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

    private transient JsonRowWriters.Writer writer;
    private transient ByteArrayBuilder buffer;
    private transient int schemaId;

    public JsonRowDataEncoder(
            RowType rowType, @Nullable RegistryClientFactory registryFactory, String subject) {
        this.rowType = rowType;
        this.registryFactory = registryFactory;
        this.subject = subject;
        JsonRowWriters.create(rowType); // unsupported column types fail at planning
    }

    @Override
    public void open() {
        writer = JsonRowWriters.create(rowType);
        buffer = new ByteArrayBuilder(256);
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
        return LatestSchemas.fitting(
                registry,
                subject,
                SchemaType.JSON,
                latest -> {
                    LogicalType theirs =
                            JsonSchemaToSql.toRowType(MAPPER.readTree(latest.definition().text()))
                                    .getLogicalType();
                    LogicalType ours = JsonSchemaToSql.toRowType(schema()).getLogicalType();
                    return theirs.equals(ours);
                });
    }

    @Override
    public byte[] encode(RowData row) {
        buffer.reset();
        if (registryFactory != null) {
            byte[] header = new byte[ConfluentWireFormat.HEADER_LENGTH];
            ConfluentWireFormat.writeHeader(schemaId, header, 0);
            buffer.write(header);
        }
        try (JsonGenerator out = MAPPER.getFactory().createGenerator(buffer)) {
            writer.write(out, row);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write a row as JSON", e);
        }
        return buffer.toByteArray();
    }
}
