package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.format.wire.WriterSchemaErrors;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.ResolvingDecoder;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code avro} format of a source table: Avro binary, Confluent-framed with a writer schema id
 * (with a registry) or bare (written with the table's own schema), decoded into a row of the
 * table's columns.
 *
 * <p>The columns are the reader schema. Each writer schema id costs one registry call and one
 * resolution, on its first record; the result (an Avro {@link ResolvingDecoder} and a compiled
 * {@link AvroRowReaders reader tree}) is cached, so the per-record path does no registry call and
 * no schema work. Writers the table cannot read are cached as errors, so every record of such a
 * writer is reported the same way (and dropped, with {@code bad_data = 'drop'}); ids the registry
 * does not know or refuses are not kept here but by the shared registry client, for a while (see
 * {@link WriterSchemaErrors}).
 */
@Internal
public final class AvroRowDataDecoder implements RowDecoder {

    private static final long serialVersionUID = 1L;

    /** Writer ids remembered; a topic rarely sees more than a handful. */
    private static final int MAX_WRITERS = 1000;

    private final RowType rowType;
    private final String recordName;
    @Nullable private final RegistryClientFactory registryFactory;
    @Nullable private final String latestSchema;
    private final int maxZeroByteItemsPerRecord;

    private transient SchemaRegistryClient registry;
    private transient Schema latest;
    private transient Map<Integer, Object> compiled;
    private transient Compiled unframed;
    private transient BoundedBinaryDecoder bytes;

    /**
     * @param registryFactory the registry for framed records, or null for bare Avro written with
     *     the table's own schema
     */
    public AvroRowDataDecoder(
            RowType rowType, String recordName, @Nullable RegistryClientFactory registryFactory) {
        this(rowType, recordName, registryFactory, RecordLimits.DEFAULT_AVRO_ZERO_BYTE_ITEMS);
    }

    /**
     * @param maxZeroByteItemsPerRecord array items and map entries one record may hold, read or
     *     skipped, beyond one per byte of the record ({@link
     *     RecordLimits#AVRO_ZERO_BYTE_ITEMS_OPTION}); a record with more is bad data
     */
    public AvroRowDataDecoder(
            RowType rowType,
            String recordName,
            @Nullable RegistryClientFactory registryFactory,
            int maxZeroByteItemsPerRecord) {
        this(rowType, recordName, registryFactory, null, maxZeroByteItemsPerRecord);
    }

    private AvroRowDataDecoder(
            RowType rowType,
            String recordName,
            @Nullable RegistryClientFactory registryFactory,
            @Nullable String latestSchema,
            int maxZeroByteItemsPerRecord) {
        this.rowType = rowType;
        this.recordName = recordName;
        this.registryFactory = registryFactory;
        this.latestSchema = latestSchema;
        this.maxZeroByteItemsPerRecord =
                RecordLimits.requireAtLeast(
                        RecordLimits.AVRO_ZERO_BYTE_ITEMS_OPTION, maxZeroByteItemsPerRecord, 0);
        SqlToAvroSchema.convert(rowType, recordName); // unsupported column types fail at planning
    }

    /**
     * This decoder, also following the field renames (aliases) of the subject's schema as it was
     * when the query was planned; fixed for the life of the job.
     */
    public AvroRowDataDecoder withLatestSchema(String schema) {
        return new AvroRowDataDecoder(
                rowType, recordName, registryFactory, schema, maxZeroByteItemsPerRecord);
    }

    /** The decoder state for one writer schema. */
    private record Compiled(ResolvingDecoder decoder, AvroRowReaders.ValueReader reader) {}

    @Override
    public void open() {
        bytes = new BoundedBinaryDecoder(maxZeroByteItemsPerRecord);
        compiled = new HashMap<>();
        if (registryFactory != null) {
            registry = registryFactory.create();
            latest = latestSchema == null ? null : new Schema.Parser().parse(latestSchema);
        } else {
            Schema schema = SqlToAvroSchema.convert(rowType, recordName);
            unframed = compile(schema, schema);
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
        int schemaId = -1;
        int offset = 0;
        Compiled state = unframed;
        if (registryFactory != null) {
            schemaId = ConfluentWireFormat.readSchemaId(message);
            offset = ConfluentWireFormat.HEADER_LENGTH;
            state = forWriter(schemaId);
        } else if (message.length == 0) {
            throw new WireFormatException(Reason.EMPTY_PAYLOAD, -1, "the value has no bytes");
        }
        bytes.reset(message, offset, message.length - offset);
        try {
            state.decoder.configure(bytes);
            RowData row = (RowData) state.reader.read(state.decoder);
            state.decoder.drain();
            return row;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // Bad bytes become a bad record; a bug (a NullPointerException...) is rethrown.
            throw AvroDecodeErrors.badRecord(e, schemaId);
        }
    }

    private Compiled forWriter(int schemaId) throws WireFormatException {
        Object cached = compiled.get(schemaId);
        if (cached == null) {
            try {
                cached = compileForWriter(schemaId);
            } catch (WireFormatException e) {
                if (WriterSchemaErrors.isRegistryAnswer(e)) {
                    throw e; // not kept: the registry client remembers it, for a while
                }
                cached = e;
            }
            if (compiled.size() >= MAX_WRITERS) {
                compiled.clear();
            }
            compiled.put(schemaId, cached);
        }
        if (cached instanceof WireFormatException e) {
            throw new WireFormatException(e.reason(), schemaId, e.detail(), null);
        }
        return (Compiled) cached;
    }

    private Compiled compileForWriter(int schemaId) throws WireFormatException {
        Schema writer = WriterSchemas.avro(registry, schemaId);
        Schema reader;
        try {
            reader = SqlToAvroSchema.alignedTo(rowType, writer, recordName, latest);
        } catch (RuntimeException e) {
            throw new WireFormatException(
                    Reason.INCOMPATIBLE_SCHEMA,
                    schemaId,
                    "the writer schema does not fit the table's columns: " + e.getMessage());
        }
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new WireFormatException(
                    Reason.INCOMPATIBLE_SCHEMA,
                    schemaId,
                    "the writer schema cannot be read as the table's columns: "
                            + compatibility.getResult().getIncompatibilities().stream()
                                    .map(i -> i.getMessage() + " at " + i.getLocation())
                                    .toList());
        }
        return compile(writer, reader);
    }

    private Compiled compile(Schema writer, Schema reader) {
        try {
            ResolvingDecoder decoder = DecoderFactory.get().resolvingDecoder(writer, reader, null);
            return new Compiled(decoder, AvroRowReaders.forRow(reader, rowType));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot resolve " + writer + " to " + reader, e);
        }
    }
}
