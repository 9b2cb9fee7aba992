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

    /**
     * The referenced schema, read from {@code client}; a failure keeps its kind (so callers still
     * tell a missing version from an outage) and names this reference.
     */
    public SchemaDefinition readFrom(SchemaRegistryClient client) {
        try {
            return client.getVersion(subject, version).definition();
        } catch (SchemaRegistryException e) {
            throw new SchemaRegistryException(
                    e.kind(),
                    e.httpStatus(),
                    e.errorCode(),
                    "The schema's reference '"
                            + name
                            + "' (subject '"
                            + subject
                            + "' version "
                            + version
                            + ") cannot be read: "
                            + e.getMessage(),
                    e);
        }
    }
}
