package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.ProtobufMessageIndexes;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WriterSchemaErrors;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;

import org.apache.flink.annotation.PublicEvolving;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes Confluent-framed Protobuf records into protobuf-java {@link DynamicMessage}s of their
 * writer's message type: for the DataStream API and tools that want the message itself rather than
 * a row (the {@code validate} command prints one).
 *
 * <p>Each writer schema id costs one registry call and one descriptor build, cached; bad bytes end
 * in a {@link WireFormatException} (protobuf-java's own parser bounds nesting at 100), a registry
 * that cannot be reached is a {@link SchemaRegistryException}. The connector's shaded jar relocates
 * protobuf-java, so the message classes there are the relocated ones. Not thread-safe: one instance
 * per parallel task.
 */
@PublicEvolving
public final class ProtobufRegistryDeserializer {

    /** Writer ids remembered; a topic rarely sees more than a handful. */
    private static final int MAX_WRITERS = 1000;

    private final SchemaRegistryClient registry;
    private final Map<Integer, Object> files = new HashMap<>();

    public ProtobufRegistryDeserializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    /** Decodes one framed record into a message of the type its index path names. */
    public DynamicMessage deserialize(byte[] message) throws WireFormatException {
        int schemaId = ConfluentWireFormat.readSchemaId(message);
        // The schema first: a record of another schema type reports that, not its bytes.
        FileDescriptor file = file(schemaId);
        ProtobufMessageIndexes.Decoded indexes =
                ProtobufMessageIndexes.decode(message, ConfluentWireFormat.HEADER_LENGTH, schemaId);
        Descriptor type = ProtobufWriterSchemas.message(file, indexes.indexes(), schemaId);
        int offset = indexes.messageOffset();
        try {
            return DynamicMessage.parseFrom(
                    type, CodedInputStream.newInstance(message, offset, message.length - offset));
        } catch (IOException | StackOverflowError e) {
            throw ProtobufDecodeErrors.badRecord(e, schemaId);
        }
    }

    private FileDescriptor file(int schemaId) throws WireFormatException {
        Object cached = files.get(schemaId);
        if (cached == null) {
            try {
                cached = ProtobufWriterSchemas.protobuf(registry, schemaId);
            } catch (WireFormatException e) {
                if (WriterSchemaErrors.isRegistryAnswer(e)) {
                    throw e; // not kept: the registry client remembers it, for a while
                }
                cached = e;
            }
            if (files.size() >= MAX_WRITERS) {
                files.clear();
            }
            files.put(schemaId, cached);
        }
        if (cached instanceof WireFormatException e) {
            throw new WireFormatException(e.reason(), schemaId, e.detail(), null);
        }
        return (FileDescriptor) cached;
    }
}
