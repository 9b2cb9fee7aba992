package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.util.Objects;

/**
 * A schema's dependency on another registered schema: the {@code name} used in the schema text (an
 * Avro full name, a JSON Schema {@code $ref}, a Protobuf import) and where it is registered.
 */
@PublicEvolving
public record SchemaReference(String name, String subject, int version) implements Serializable {
    public SchemaReference {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(subject, "subject");
    }
}
