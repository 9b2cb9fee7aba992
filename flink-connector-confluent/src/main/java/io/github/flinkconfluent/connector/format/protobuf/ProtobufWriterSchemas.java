package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.format.wire.WriterSchemaErrors;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

import java.util.Arrays;
import java.util.List;

/**
 * Fetches the Protobuf writer schema a record's id names and finds the message its index path
 * selects. What is wrong with the record (an id the registry does not know or refuses, a reference
 * that is gone, a schema of another language or that does not parse, an index path the schema
 * lacks) is a {@link WireFormatException}, which {@code bad_data} governs (see {@link
 * WriterSchemaErrors}); a registry that cannot be reached is a {@link SchemaRegistryException} and
 * fails the task.
 */
@Internal
final class ProtobufWriterSchemas {

    private ProtobufWriterSchemas() {}

    static FileDescriptor protobuf(SchemaRegistryClient registry, int schemaId)
            throws WireFormatException {
        SchemaDefinition definition;
        try {
            definition = registry.getById(schemaId);
        } catch (SchemaRegistryException e) {
            throw WriterSchemaErrors.forId(e, schemaId);
        }
        if (definition.type() != SchemaType.PROTOBUF) {
            throw new WireFormatException(
                    Reason.WRONG_SCHEMA_TYPE,
                    schemaId,
                    "the record was written with a "
                            + definition.type()
                            + " schema, but this table reads Protobuf");
        }
        try {
            return RegistryProtobufSchemas.build(definition, registry);
        } catch (SchemaRegistryException e) {
            throw WriterSchemaErrors.forReference(e, schemaId);
        } catch (IllegalArgumentException | StackOverflowError e) {
            throw new WireFormatException(
                    Reason.INCOMPATIBLE_SCHEMA,
                    schemaId,
                    "the registry's schema is not a Protobuf schema this connector reads: "
                            + (e instanceof StackOverflowError
                                    ? "nested too deep"
                                    : e.getMessage()));
        }
    }

    /**
     * The message that {@code indexes} selects: the first index among the file's top-level
     * messages, each further one among the previous message's nested messages.
     */
    static Descriptor message(FileDescriptor file, int[] indexes, int schemaId)
            throws WireFormatException {
        List<Descriptor> candidates = file.getMessageTypes();
        Descriptor message = null;
        for (int index : indexes) {
            if (index >= candidates.size()) {
                throw new WireFormatException(
                        Reason.MALFORMED_BODY,
                        schemaId,
                        "the record's message indexes "
                                + Arrays.toString(indexes)
                                + " name no message of the schema"
                                + (message == null
                                        ? ""
                                        : " (within " + message.getFullName() + ")"));
            }
            message = candidates.get(index);
            candidates = message.getNestedTypes();
        }
        if (message == null) {
            throw new WireFormatException(
                    Reason.MALFORMED_BODY, schemaId, "the schema has no message type");
        }
        return message;
    }

    /** The message of {@code file} (top level or nested) named {@code fullName}, or null. */
    static Descriptor byFullName(FileDescriptor file, String fullName) {
        for (Descriptor message : file.getMessageTypes()) {
            Descriptor found = byFullName(message, fullName);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Descriptor byFullName(Descriptor message, String fullName) {
        if (message.getFullName().equals(fullName)) {
            return message;
        }
        if (!fullName.startsWith(message.getFullName() + ".")) {
            return null;
        }
        for (Descriptor nested : message.getNestedTypes()) {
            Descriptor found = byFullName(nested, fullName);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
