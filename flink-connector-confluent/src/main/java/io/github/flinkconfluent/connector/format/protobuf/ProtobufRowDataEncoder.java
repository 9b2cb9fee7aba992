package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRowWriters.RowWriter;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.RegisteredSchema;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;
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
 * with a schema id and the message index path {@code [0]} (the first message of the schema).
 *
 * <p>When the subject's latest schema is Protobuf and its first message has a field of the same
 * name and a fitting type for every column, rows are written with it, so that a table over an
 * existing topic adds no schema version; otherwise the schema derived from the columns ({@link
 * SqlToProtobufSchema}) is registered under the subject (or found, if already there) when the task
 * opens. Nothing remote happens per record.
 */
@Internal
public final class ProtobufRowDataEncoder implements RowEncoder {

    private static final long serialVersionUID = 1L;

    /** The index path of the first message: a single zero byte. */
    private static final byte[] FIRST_MESSAGE = {0};

    private final RowType rowType;
    private final String messageName;
    private final RegistryClientFactory registryFactory;
    private final String subject;

    private transient RowWriter writer;
    private transient int schemaId;

    public ProtobufRowDataEncoder(
            RowType rowType,
            String messageName,
            RegistryClientFactory registryFactory,
            String subject) {
        this.rowType = Objects.requireNonNull(rowType, "rowType");
        this.messageName = messageName;
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
            if (fitting.isPresent()) {
                writer =
                        ProtobufRowWriters.forRow(
                                first(fitting.get().definition(), registry), rowType);
                schemaId = fitting.get().id();
            } else {
                SchemaDefinition ours = schema();
                writer = ProtobufRowWriters.forRow(first(ours, registry), rowType);
                schemaId = registry.register(subject, ours);
            }
        }
    }

    /**
     * The latest version of the subject, if it is Protobuf and its first message can take every
     * column.
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
        if (latest.definition().type() != SchemaType.PROTOBUF) {
            return Optional.empty();
        }
        try {
            ProtobufRowWriters.forRow(first(latest.definition(), registry), rowType);
            return Optional.of(latest);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Descriptor first(SchemaDefinition definition, SchemaRegistryClient registry) {
        FileDescriptor file = RegistryProtobufSchemas.build(definition, registry);
        if (file.getMessageTypes().isEmpty()) {
            throw new IllegalArgumentException("the schema has no message type");
        }
        return file.getMessageTypes().get(0);
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
        byte[] bytes = new byte[header + FIRST_MESSAGE.length + message.length];
        ConfluentWireFormat.writeHeader(schemaId, bytes, 0);
        System.arraycopy(FIRST_MESSAGE, 0, bytes, header, FIRST_MESSAGE.length);
        System.arraycopy(message, 0, bytes, header + FIRST_MESSAGE.length, message.length);
        return bytes;
    }
}
