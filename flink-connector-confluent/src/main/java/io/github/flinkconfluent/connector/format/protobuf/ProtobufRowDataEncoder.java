package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRowWriters.RowWriter;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.ProtobufMessageIndexes;
import io.github.flinkconfluent.connector.registry.LatestSchemas;
import io.github.flinkconfluent.connector.registry.RegisteredSchema;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code protobuf} format of a sink table: rows encoded as Protobuf messages, Confluent-framed
 * with a schema id and the message index path of the message written: {@code [0]}, the first
 * message of the schema, or the message the table names ({@code protobuf.message}).
 *
 * <p>When the subject's latest schema is Protobuf and its message (the first, or the named one) has
 * a field of the same name and a fitting type for every column, rows are written with it, so that a
 * table over an existing topic adds no schema version; otherwise the schema derived from the
 * columns ({@link SqlToProtobufSchema}, the message named as the table names it) is registered
 * under the subject (or found, if already there) when the task opens. Nothing remote happens per
 * record.
 */
@Internal
public final class ProtobufRowDataEncoder implements RowEncoder {

    private static final long serialVersionUID = 1L;

    private final RowType rowType;
    private final String messageName;
    private final boolean named;
    private final RegistryClientFactory registryFactory;
    private final String subject;

    private transient RowWriter writer;
    private transient int schemaId;
    private transient byte[] indexPath;

    /** An encoder writing the first message of the schema; {@code messageName} if it registers. */
    public ProtobufRowDataEncoder(
            RowType rowType,
            String messageName,
            RegistryClientFactory registryFactory,
            String subject) {
        this(rowType, messageName, false, registryFactory, subject);
    }

    /**
     * An encoder of message {@code messageName}: when {@code named}, the message of that full name
     * in the subject's schema (the {@code protobuf.message} option); otherwise the schema's first
     * message, and {@code messageName} only names the message of a schema it registers.
     */
    public ProtobufRowDataEncoder(
            RowType rowType,
            String messageName,
            boolean named,
            RegistryClientFactory registryFactory,
            String subject) {
        this.rowType = Objects.requireNonNull(rowType, "rowType");
        this.messageName = Objects.requireNonNull(messageName, "messageName");
        this.named = named;
        this.registryFactory = Objects.requireNonNull(registryFactory, "registryFactory");
        this.subject = subject;
        SqlToProtobufSchema.convert(rowType, messageName); // unsupported types fail at planning
    }

    /** The schema this encoder registers when the subject has none that fits. */
    public SchemaDefinition schema() {
        return SchemaDefinition.protobuf(SqlToProtobufSchema.convert(rowType, messageName));
    }

    @Override
    public void open() {
        try (SchemaRegistryClient registry = registryFactory.create()) {
            Optional<RegisteredSchema> fitting = fittingLatest(registry);
            Descriptor message;
            if (fitting.isPresent()) {
                message = message(fitting.get().definition(), registry);
                schemaId = fitting.get().id();
            } else {
                SchemaDefinition ours = schema();
                message = message(ours, registry);
                schemaId = registry.register(subject, ours);
            }
            writer = ProtobufRowWriters.forRow(message, rowType);
            indexPath = ProtobufMessageIndexes.encode(indexesOf(message));
        }
    }

    /**
     * The latest version of the subject, if it is Protobuf and its message (the first, or the named
     * one) can take every column.
     */
    public Optional<RegisteredSchema> fittingLatest(SchemaRegistryClient registry) {
        return LatestSchemas.fitting(
                registry,
                subject,
                SchemaType.PROTOBUF,
                latest -> {
                    ProtobufRowWriters.forRow(message(latest.definition(), registry), rowType);
                    return true;
                });
    }

    private Descriptor message(SchemaDefinition definition, SchemaRegistryClient registry) {
        FileDescriptor file = RegistryProtobufSchemas.build(definition, registry);
        if (!named) {
            if (file.getMessageTypes().isEmpty()) {
                throw new IllegalArgumentException("the schema has no message type");
            }
            return file.getMessageTypes().get(0);
        }
        Descriptor message = ProtobufWriterSchemas.byFullName(file, messageName);
        if (message == null) {
            throw new IllegalArgumentException("the schema has no message " + messageName);
        }
        return message;
    }

    /**
     * The message index path of {@code message}: its index in its file or parent, outermost first.
     */
    static int[] indexesOf(Descriptor message) {
        int depth = 0;
        for (Descriptor d = message; d != null; d = d.getContainingType()) {
            depth++;
        }
        int[] indexes = new int[depth];
        for (Descriptor d = message; d != null; d = d.getContainingType()) {
            indexes[--depth] = d.getIndex();
        }
        return indexes;
    }

    @Override
    public byte[] encode(RowData row) {
        byte[] message;
        try {
            message = writer.write(row);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a row as Protobuf", e);
        }
        int header = ConfluentWireFormat.HEADER_LENGTH;
        byte[] bytes = new byte[header + indexPath.length + message.length];
        ConfluentWireFormat.writeHeader(schemaId, bytes, 0);
        System.arraycopy(indexPath, 0, bytes, header, indexPath.length);
        System.arraycopy(message, 0, bytes, header + indexPath.length, message.length);
        return bytes;
    }
}
