package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaReference;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;

import com.google.protobuf.AnyProto;
import com.google.protobuf.ApiProto;
import com.google.protobuf.DescriptorProtos;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DurationProto;
import com.google.protobuf.EmptyProto;
import com.google.protobuf.FieldMaskProto;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.SourceContextProto;
import com.google.protobuf.StructProto;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.TypeProto;
import com.google.protobuf.WrappersProto;

import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns a registry's Protobuf schema (the text of a {@code .proto} file, or a base64 {@code
 * FileDescriptorProto}, and its references) into a protobuf-java {@link FileDescriptor}, once per
 * schema, so that records are decoded against descriptors built in advance.
 *
 * <p>Each {@code import} is resolved through the schema's {@code references} (the reference whose
 * name is the imported path, fetched by subject and version, depth first), or, for the files every
 * Confluent registry provides without a reference, from protobuf-java's own compiled descriptors
 * ({@code google/protobuf/*.proto}) or from small built-in copies ({@code confluent/meta.proto},
 * {@code confluent/type/decimal.proto}).
 */
@Internal
public final class RegistryProtobufSchemas {

    /** The name given to the schema's own file; it is imported by nobody. */
    static final String ROOT_FILE = "registry-schema.proto";

    private static final Map<String, FileDescriptor> WELL_KNOWN = new HashMap<>();

    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    static {
        Stream.of(
                        AnyProto.getDescriptor(),
                        ApiProto.getDescriptor(),
                        DescriptorProtos.getDescriptor(),
                        DurationProto.getDescriptor(),
                        EmptyProto.getDescriptor(),
                        FieldMaskProto.getDescriptor(),
                        SourceContextProto.getDescriptor(),
                        StructProto.getDescriptor(),
                        TimestampProto.getDescriptor(),
                        TypeProto.getDescriptor(),
                        WrappersProto.getDescriptor())
                .forEach(file -> WELL_KNOWN.put(file.getName(), file));
    }

    /** Files a Confluent registry knows without a reference, as text. */
    private static final Map<String, String> CONFLUENT_BUILT_INS =
            Map.of(
                    "confluent/meta.proto",
                    "syntax = \"proto3\"; package confluent;",
                    "confluent/type/decimal.proto",
                    "syntax = \"proto3\"; package confluent.type;"
                            + " message Decimal { bytes value = 1; uint32 precision = 2;"
                            + " int32 scale = 3; }");

    private RegistryProtobufSchemas() {}

    /**
     * Parses {@code definition} and builds its descriptors, fetching its references through {@code
     * client}.
     *
     * @throws SchemaRegistryException when a reference cannot be fetched (its kind tells a missing
     *     version from an outage)
     * @throws IllegalArgumentException when the text, or a referenced text, is not a {@code .proto}
     *     file this connector reads, or does not build (an unknown type, a missing import)
     */
    public static FileDescriptor build(SchemaDefinition definition, SchemaRegistryClient client) {
        if (definition.type() != SchemaType.PROTOBUF) {
            throw new IllegalArgumentException(
                    "Expected a Protobuf schema but the registry holds a "
                            + definition.type()
                            + " schema");
        }
        return build(ROOT_FILE, definition, client, new HashMap<>(), 0);
    }

    /**
     * The first top-level message of {@code definition}: the one a protobuf sink writes (index path
     * {@code [0]}) and whose fields a table's columns are checked against.
     *
     * @throws IllegalArgumentException as {@link #build}, or when the file has no message
     */
    public static Descriptor firstMessage(
            SchemaDefinition definition, SchemaRegistryClient client) {
        FileDescriptor file = build(definition, client);
        if (file.getMessageTypes().isEmpty()) {
            throw new IllegalArgumentException("the Protobuf schema has no message type");
        }
        return file.getMessageTypes().get(0);
    }

    private static FileDescriptor build(
            String fileName,
            SchemaDefinition definition,
            SchemaRegistryClient client,
            Map<String, FileDescriptor> built,
            int depth) {
        if (depth > 64) {
            throw new IllegalArgumentException(
                    "The schema's imports are nested more than 64 deep (or import each other)");
        }
        FileDescriptorProto file;
        try {
            file = parse(fileName, definition.text());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    (fileName.equals(ROOT_FILE) ? "" : "In imported file '" + fileName + "', ")
                            + e.getMessage(),
                    e);
        }
        List<String> imports = file.getDependencyList();
        FileDescriptor[] dependencies = new FileDescriptor[imports.size()];
        for (int i = 0; i < imports.size(); i++) {
            dependencies[i] = dependency(imports.get(i), definition, client, built, depth);
        }
        try {
            return FileDescriptor.buildFrom(file, dependencies);
        } catch (DescriptorValidationException e) {
            throw new IllegalArgumentException(
                    (fileName.equals(ROOT_FILE) ? "" : "In imported file '" + fileName + "', ")
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * The file a registry schema string holds: {@code .proto} text, or the base64 of a serialized
     * {@code FileDescriptorProto}, which is what Confluent's Node.js serializer registers (and what
     * a Confluent registry returns with {@code format=serialized}). Base64 has no {@code ;} and
     * {@code .proto} text with a message always has one, so the two cannot be confused.
     */
    static FileDescriptorProto parse(String fileName, String text) {
        String trimmed = text.strip();
        if (!trimmed.isEmpty() && trimmed.indexOf(';') < 0 && BASE64.matcher(trimmed).matches()) {
            try {
                return FileDescriptorProto.parseFrom(Base64.getDecoder().decode(trimmed))
                        .toBuilder()
                        .setName(fileName)
                        .build();
            } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "the schema is neither .proto text nor a base64 FileDescriptorProto: "
                                + e.getMessage(),
                        e);
            }
        }
        return ProtoSchemaParser.parse(fileName, text);
    }

    private static FileDescriptor dependency(
            String path,
            SchemaDefinition importer,
            SchemaRegistryClient client,
            Map<String, FileDescriptor> built,
            int depth) {
        FileDescriptor done = built.get(path);
        if (done != null) {
            return done;
        }
        SchemaReference reference =
                importer.references().stream()
                        .filter(r -> r.name().equals(path))
                        .findFirst()
                        .orElse(null);
        FileDescriptor result;
        if (reference != null) {
            SchemaDefinition referenced = reference.readFrom(client);
            if (referenced.type() != SchemaType.PROTOBUF) {
                throw new IllegalArgumentException(
                        "The import '"
                                + path
                                + "' (subject '"
                                + reference.subject()
                                + "' version "
                                + reference.version()
                                + ") is a "
                                + referenced.type()
                                + " schema, not Protobuf");
            }
            result = build(path, referenced, client, built, depth + 1);
        } else if (WELL_KNOWN.containsKey(path)) {
            result = WELL_KNOWN.get(path);
        } else if (CONFLUENT_BUILT_INS.containsKey(path)) {
            result =
                    build(
                            path,
                            SchemaDefinition.protobuf(CONFLUENT_BUILT_INS.get(path)),
                            client,
                            built,
                            depth + 1);
        } else {
            throw new IllegalArgumentException(
                    "The schema imports '"
                            + path
                            + "', but has no reference of that name (its references: "
                            + importer.references().stream().map(SchemaReference::name).toList()
                            + "). Register the schema with a reference named '"
                            + path
                            + "'.");
        }
        built.put(path, result);
        return result;
    }
}
