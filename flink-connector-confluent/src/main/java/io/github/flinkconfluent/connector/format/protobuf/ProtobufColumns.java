package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.RowType;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;

import javax.annotation.Nullable;

import java.util.List;

/**
 * The planning-time check that a table's columns can read a subject's Protobuf schema, so that a
 * mismatch fails the {@code CREATE}/{@code SELECT} with the column named instead of turning every
 * record into a bad record. Uses the same reader compile as the decoder, so the two cannot
 * disagree.
 */
@Internal
public final class ProtobufColumns {

    private ProtobufColumns() {}

    /**
     * What keeps {@code rowType} from reading the first message of {@code latest}; empty when
     * nothing does.
     */
    public static List<String> problems(
            RowType rowType, SchemaDefinition latest, SchemaRegistryClient registry) {
        return problems(rowType, latest, registry, null);
    }

    /**
     * What keeps {@code rowType} from reading message {@code messageName} (full name; null: the
     * first message) of {@code latest}; empty when nothing does.
     */
    public static List<String> problems(
            RowType rowType,
            SchemaDefinition latest,
            SchemaRegistryClient registry,
            @Nullable String messageName) {
        if (latest.type() != SchemaType.PROTOBUF) {
            return List.of("it holds a " + latest.type() + " schema, not Protobuf");
        }
        try {
            FileDescriptor file = RegistryProtobufSchemas.build(latest, registry);
            if (file.getMessageTypes().isEmpty()) {
                return List.of("its schema has no message type");
            }
            Descriptor message =
                    messageName == null
                            ? file.getMessageTypes().get(0)
                            : ProtobufWriterSchemas.byFullName(file, messageName);
            if (message == null) {
                return List.of(
                        "its schema has no message "
                                + messageName
                                + " ('protobuf.message'); its messages: "
                                + allMessages(file));
            }
            ProtobufRowReaders.forRow(message, rowType);
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(e.getMessage());
        }
    }

    private static String allMessages(FileDescriptor file) {
        List<String> names = new java.util.ArrayList<>();
        java.util.ArrayDeque<Descriptor> todo = new java.util.ArrayDeque<>(file.getMessageTypes());
        while (!todo.isEmpty()) {
            Descriptor message = todo.poll();
            if (!message.getOptions().getMapEntry()) {
                names.add(message.getFullName());
            }
            todo.addAll(message.getNestedTypes());
        }
        return String.join(", ", names);
    }
}
