package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.LatestSchemas;
import io.github.flinkconfluent.connector.registry.RegisteredSchema;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import javax.annotation.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The {@code avro} format of a sink table: rows encoded as Avro binary with the schema derived from
 * the table's columns, Confluent-framed with that schema's registry id (registered, or found if
 * already there, when the task opens) or bare.
 */
@Internal
public final class AvroRowDataEncoder implements RowEncoder {

    private static final long serialVersionUID = 1L;

    private final RowType rowType;
    private final String recordName;
    @Nullable private final RegistryClientFactory registryFactory;
    private final String subject;

    private transient AvroRowWriters.ValueWriter writer;
    private transient ByteArrayOutputStream buffer;
    private transient BinaryEncoder encoder;
    private transient int schemaId;

    public AvroRowDataEncoder(
            RowType rowType,
            String recordName,
            @Nullable RegistryClientFactory registryFactory,
            String subject) {
        this.rowType = rowType;
        this.recordName = recordName;
        this.registryFactory = registryFactory;
        this.subject = subject;
        SqlToAvroSchema.convert(rowType, recordName); // unsupported column types fail at planning
    }

    /** The Avro schema this encoder writes. */
    public Schema schema() {
        return SqlToAvroSchema.convert(rowType, recordName);
    }

    @Override
    public void open() {
        Schema schema = schema();
        buffer = new ByteArrayOutputStream(256);
        if (registryFactory == null) {
            writer = AvroRowWriters.forRow(schema, rowType);
            return;
        }
        // Only needed here: the schema id is all that encoding needs afterwards.
        try (SchemaRegistryClient registry = registryFactory.create()) {
            RegisteredSchema fitting = fittingLatest(registry).orElse(null);
            if (fitting != null) {
                // The subject's latest schema already describes these columns: write with it, so
                // that no new version (with another record name or nullability) appears.
                Schema latest = RegistryAvroSchemas.parse(fitting.definition(), registry);
                writer = AvroRowWriters.forRow(latest, rowType);
                schemaId = fitting.id();
            } else {
                writer = AvroRowWriters.forRow(schema, rowType);
                schemaId = registry.register(subject, SchemaDefinition.avro(schema.toString()));
            }
        }
    }

    /**
     * The latest version of the subject, if the table's rows can be written with it unchanged: the
     * table's columns, aligned to its names, give exactly that schema.
     */
    public Optional<RegisteredSchema> fittingLatest(SchemaRegistryClient registry) {
        return LatestSchemas.fitting(
                registry,
                subject,
                SchemaType.AVRO,
                latest -> {
                    Schema theirs = RegistryAvroSchemas.parse(latest.definition(), registry);
                    Schema aligned = SqlToAvroSchema.alignedTo(rowType, theirs, recordName);
                    AvroRowWriters.forRow(theirs, rowType); // writable without JSON columns
                    return SchemaNormalization.toParsingForm(aligned)
                            .equals(SchemaNormalization.toParsingForm(theirs));
                });
    }

    @Override
    public byte[] encode(RowData row) {
        buffer.reset();
        if (registryFactory != null) {
            buffer.writeBytes(new byte[ConfluentWireFormat.HEADER_LENGTH]);
        }
        try {
            encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
            writer.write(row, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a row as Avro", e);
        }
        byte[] bytes = buffer.toByteArray();
        if (registryFactory != null) {
            ConfluentWireFormat.writeHeader(schemaId, bytes, 0);
        }
        return bytes;
    }
}
