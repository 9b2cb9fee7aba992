package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A schema as the registry stores it: language, text and references. Two definitions are equal when
 * the registry would treat them as the same schema text.
 */
@PublicEvolving
public record SchemaDefinition(SchemaType type, String text, List<SchemaReference> references)
        implements Serializable {

    public SchemaDefinition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(text, "text");
        references = references == null ? List.of() : List.copyOf(references);
    }

    public static SchemaDefinition avro(String text) {
        return new SchemaDefinition(SchemaType.AVRO, text, List.of());
    }

    public static SchemaDefinition json(String text) {
        return new SchemaDefinition(SchemaType.JSON, text, List.of());
    }

    public static SchemaDefinition protobuf(String text) {
        return new SchemaDefinition(SchemaType.PROTOBUF, text, List.of());
    }
}
