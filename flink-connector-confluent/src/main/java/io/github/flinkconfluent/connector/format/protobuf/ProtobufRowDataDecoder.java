package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRowReaders.RowReader;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.ProtobufMessageIndexes;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.format.wire.WriterSchemaErrors;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code protobuf} format of a source table: Confluent-framed Protobuf (magic byte, schema id,
 * message indexes, message), decoded straight from the bytes into a row of the table's columns.
 *
 * <p>Each writer schema id costs one registry call and one descriptor build (the {@code .proto}
 * text parsed, its imports resolved) on its first record; each message index path of that schema
 * one {@link ProtobufRowReaders reader compile}. Both are cached, so the per-record path does no
 * registry call and no schema work. Writers the table cannot read are cached as errors, as in the
 * Avro decoder.
 *
 * <p>Evolution follows Protobuf's rules, by field number: the record's message is found in the
 * writer schema by its index path, then looked up by full name in the subject's latest schema as it
 * was when the query was planned (the reader schema, whose field names are the columns'); the bytes
 * are read with the reader's fields, so a renamed field or a message that moved in the file still
 * reads into its column, and fields either side lacks are skipped or read as absent. A message the
 * reader schema lacks is read with the writer's own fields.
 */
@Internal
public final class ProtobufRowDataDecoder implements RowDecoder {

    private static final long serialVersionUID = 1L;

    /** Writer ids remembered; a topic rarely sees more than a handful. */
    private static final int MAX_WRITERS = 1000;

    private final RowType rowType;
    private final RegistryClientFactory registryFactory;
    @Nullable private final SchemaDefinition latestSchema;
    @Nullable private final String messageName;

    private transient SchemaRegistryClient registry;
    private transient FileDescriptor latest;
    private transient Map<Integer, Writer> writers;

    public ProtobufRowDataDecoder(RowType rowType, RegistryClientFactory registryFactory) {
        this(rowType, registryFactory, null, null);
    }

    /**
     * A decoder of records of message {@code messageName} only (the {@code protobuf.message}
     * option): a record of another message of the schema is bad data; null reads every message.
     */
    public ProtobufRowDataDecoder(
            RowType rowType, RegistryClientFactory registryFactory, @Nullable String messageName) {
        this(rowType, registryFactory, null, messageName);
    }

    private ProtobufRowDataDecoder(
            RowType rowType,
            RegistryClientFactory registryFactory,
            @Nullable SchemaDefinition latestSchema,
            @Nullable String messageName) {
        this.rowType = Objects.requireNonNull(rowType, "rowType");
        this.registryFactory = Objects.requireNonNull(registryFactory, "registryFactory");
        this.latestSchema = latestSchema;
        this.messageName = messageName;
    }

    /**
     * This decoder, reading by the field numbers of the subject's schema as it was when the query
     * was planned (the columns' names are its field names); fixed for the life of the job.
     */
    public ProtobufRowDataDecoder withLatestSchema(SchemaDefinition schema) {
        return new ProtobufRowDataDecoder(rowType, registryFactory, schema, messageName);
    }

    /** One writer schema: its descriptors, and a reader (or error) per message index path. */
    private static final class Writer {
        final Object file; // FileDescriptor or WireFormatException
        Object first; // for the index path [0]: RowReader or WireFormatException
        final Map<String, Object> others = new HashMap<>();

        Writer(Object file) {
            this.file = file;
        }
    }

    @Override
    public void open() {
        writers = new HashMap<>();
        registry = registryFactory.create();
        latest =
                latestSchema == null ? null : RegistryProtobufSchemas.build(latestSchema, registry);
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
        int schemaId = ConfluentWireFormat.readSchemaId(message);
        // The schema first: a record of another schema type reports that, not its bytes.
        Writer writer = writer(schemaId);
        ProtobufMessageIndexes.Decoded indexes =
                ProtobufMessageIndexes.decode(message, ConfluentWireFormat.HEADER_LENGTH, schemaId);
        RowReader reader = readerFor(writer, schemaId, indexes.indexes());
        int offset = indexes.messageOffset();
        CodedInputStream in =
                CodedInputStream.newInstance(message, offset, message.length - offset);
        try {
            return reader.read(in, 0);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // Bad bytes become a bad record; a bug (a NullPointerException...) is rethrown.
            throw ProtobufDecodeErrors.badRecord(e, schemaId);
        }
    }

    private Writer writer(int schemaId) throws WireFormatException {
        Writer writer = writers.get(schemaId);
        if (writer == null) {
            Object file;
            try {
                file = ProtobufWriterSchemas.protobuf(registry, schemaId);
            } catch (WireFormatException e) {
                if (WriterSchemaErrors.isRegistryAnswer(e)) {
                    throw e; // not kept: the registry client remembers it, for a while
                }
                file = e;
            }
            if (writers.size() >= MAX_WRITERS) {
                writers.clear();
            }
            writer = new Writer(file);
            writers.put(schemaId, writer);
        }
        if (writer.file instanceof WireFormatException e) {
            throw again(e, schemaId);
        }
        return writer;
    }

    private RowReader readerFor(Writer writer, int schemaId, int[] indexes)
            throws WireFormatException {
        boolean first = indexes.length == 1 && indexes[0] == 0;
        Object cached = first ? writer.first : writer.others.get(Arrays.toString(indexes));
        if (cached == null) {
            cached = compile((FileDescriptor) writer.file, indexes, schemaId);
            if (first) {
                writer.first = cached;
            } else {
                writer.others.put(Arrays.toString(indexes), cached);
            }
        }
        if (cached instanceof WireFormatException e) {
            throw again(e, schemaId);
        }
        return (RowReader) cached;
    }

    private static WireFormatException again(WireFormatException e, int schemaId) {
        return new WireFormatException(e.reason(), schemaId, e.detail(), null);
    }

    /** A reader, or the {@link WireFormatException} every record of this message must get. */
    private Object compile(FileDescriptor file, int[] indexes, int schemaId) {
        Descriptor written;
        try {
            written = ProtobufWriterSchemas.message(file, indexes, schemaId);
        } catch (WireFormatException e) {
            return e;
        }
        if (messageName != null && !written.getFullName().equals(messageName)) {
            return new WireFormatException(
                    Reason.INCOMPATIBLE_SCHEMA,
                    schemaId,
                    "the record is message "
                            + written.getFullName()
                            + " (message indexes "
                            + Arrays.toString(indexes)
                            + "), but the table reads message "
                            + messageName
                            + " ('protobuf.message')");
        }
        Descriptor reading =
                latest == null
                        ? null
                        : ProtobufWriterSchemas.byFullName(latest, written.getFullName());
        try {
            return ProtobufRowReaders.forRow(reading == null ? written : reading, rowType);
        } catch (IllegalArgumentException e) {
            return new WireFormatException(
                    Reason.INCOMPATIBLE_SCHEMA,
                    schemaId,
                    "message "
                            + written.getFullName()
                            + " cannot be read as the table's columns: "
                            + e.getMessage());
        }
    }
}
