package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.format.wire.WriterSchemaErrors;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes Confluent-framed Avro records: the writer schema comes from the registry by the id in
 * each record, and the value is resolved to a fixed reader schema (Avro schema resolution), so
 * records written by older or newer compatible schemas all read as the same type. Decimals written
 * at another scale than the reader schema's are rescaled to it ({@code DecimalRescalingReader}),
 * which Avro's resolution alone does not do.
 *
 * <p>Per writer id, the schema is fetched and the reader/writer resolution is computed once and
 * cached; the per-record path does no registry call and no schema work. Bad bytes always end in a
 * {@link WireFormatException}, after work bounded by the record's size (see {@link
 * BoundedBinaryDecoder}); a registry that cannot be reached is a {@link SchemaRegistryException}
 * (retried by the client), never a bad record.
 *
 * <p>Not thread-safe: one instance per parallel task.
 */
@PublicEvolving
public final class AvroRegistryDeserializer {

    /** Writer ids remembered; a topic rarely sees more than a handful. */
    private static final int MAX_WRITERS = 1000;

    private final SchemaRegistryClient registry;
    private final Schema readerSchema;
    private final GenericData data;
    private final Map<Integer, Object> readers = new HashMap<>();
    private final BoundedBinaryDecoder decoder;

    /**
     * @param readerSchema the schema every record is resolved to; null to read each record with its
     *     own writer schema
     */
    public AvroRegistryDeserializer(SchemaRegistryClient registry, Schema readerSchema) {
        this(registry, readerSchema, GenericData.get());
    }

    /** As above, decoding with {@code data} (e.g. one with logical-type conversions). */
    public AvroRegistryDeserializer(
            SchemaRegistryClient registry, Schema readerSchema, GenericData data) {
        this(registry, readerSchema, data, RecordLimits.DEFAULT_AVRO_ZERO_BYTE_ITEMS);
    }

    /**
     * As above, with an item allowance other than {@link
     * RecordLimits#DEFAULT_AVRO_ZERO_BYTE_ITEMS}.
     *
     * @param maxZeroByteItemsPerRecord array items and map entries one record may hold, read or
     *     skipped, beyond one per byte of the record; a record with more is a {@link
     *     Reason#LIMIT_EXCEEDED} error
     */
    public AvroRegistryDeserializer(
            SchemaRegistryClient registry,
            Schema readerSchema,
            GenericData data,
            int maxZeroByteItemsPerRecord) {
        this.registry = registry;
        this.readerSchema = readerSchema;
        this.data = data;
        this.decoder = new BoundedBinaryDecoder(maxZeroByteItemsPerRecord);
    }

    /** Decodes one framed record. */
    public Object deserialize(byte[] message) throws WireFormatException {
        int schemaId = ConfluentWireFormat.readSchemaId(message);
        GenericDatumReader<Object> reader = readerFor(schemaId);
        decoder.reset(
                message,
                ConfluentWireFormat.HEADER_LENGTH,
                message.length - ConfluentWireFormat.HEADER_LENGTH);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // Bad bytes become a bad record; a bug (a NullPointerException...) is rethrown.
            throw AvroDecodeErrors.badRecord(e, schemaId);
        }
    }

    /** The schema registered under {@code schemaId}; cached. */
    public Schema writerSchema(int schemaId) throws WireFormatException {
        return readerFor(schemaId).getSchema();
    }

    @SuppressWarnings("unchecked")
    private GenericDatumReader<Object> readerFor(int schemaId) throws WireFormatException {
        Object cached = readers.get(schemaId);
        if (cached == null) {
            cached = createReader(schemaId);
            if (cached instanceof WireFormatException e && WriterSchemaErrors.isRegistryAnswer(e)) {
                throw e; // not kept: the registry client remembers it, for a while
            }
            if (readers.size() >= MAX_WRITERS) {
                readers.clear();
            }
            readers.put(schemaId, cached);
        }
        if (cached instanceof WireFormatException e) {
            throw new WireFormatException(e.reason(), schemaId, e.detail(), null);
        }
        return (GenericDatumReader<Object>) cached;
    }

    /** A reader, or the {@link WireFormatException} every record with this id must get. */
    private Object createReader(int schemaId) {
        Schema writer;
        try {
            writer = WriterSchemas.avro(registry, schemaId);
        } catch (WireFormatException e) {
            return e;
        }
        Schema reader = readerSchema == null ? writer : readerSchema;
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            return new WireFormatException(
                    Reason.INCOMPATIBLE_SCHEMA,
                    schemaId,
                    "the writer schema cannot be read as the table's schema: "
                            + compatibility.getDescription());
        }
        try {
            return DecimalRescalingReader.create(writer, reader, data);
        } catch (IllegalArgumentException e) {
            return new WireFormatException(
                    Reason.INCOMPATIBLE_SCHEMA,
                    schemaId,
                    "the writer schema cannot be read as the table's schema: " + e.getMessage());
        }
    }
}
