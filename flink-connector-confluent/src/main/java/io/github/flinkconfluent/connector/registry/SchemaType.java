package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.PublicEvolving;

/** The schema languages of the Confluent Schema Registry, as named in its {@code schemaType}. */
@PublicEvolving
public enum SchemaType {
    AVRO,
    JSON,
    PROTOBUF;

    /** Parses the registry's {@code schemaType}; absent means AVRO, as in the REST API. */
    public static SchemaType fromRegistry(String schemaType) {
        if (schemaType == null || schemaType.isEmpty()) {
            return AVRO;
        }
        return valueOf(schemaType.toUpperCase(java.util.Locale.ROOT));
    }
}
