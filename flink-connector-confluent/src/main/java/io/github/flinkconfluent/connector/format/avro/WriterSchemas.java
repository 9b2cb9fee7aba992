package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * Fetches the Avro writer schema a record's id names. What is wrong with the record (an id the
 * registry does not know, a schema of another language) is a {@link WireFormatException}, which
 * {@code bad_data} governs; a registry that cannot be reached is a {@link SchemaRegistryException}
 * and fails the task, so that dropping bad records never drops good ones.
 */
@Internal
final class WriterSchemas {

    private WriterSchemas() {}

    static Schema avro(SchemaRegistryClient registry, int schemaId) throws WireFormatException {
        SchemaDefinition definition;
        try {
            definition = registry.getById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.SCHEMA_NOT_FOUND) {
                throw new WireFormatException(
                        Reason.UNKNOWN_SCHEMA_ID,
                        schemaId,
                        "the Schema Registry has no schema with this id; the record was written"
                                + " against another registry, or the schema was deleted");
            }
            throw e;
        }
        if (definition.type() != SchemaType.AVRO) {
            throw new WireFormatException(
                    Reason.WRONG_SCHEMA_TYPE,
                    schemaId,
                    "the record was written with a "
                            + definition.type()
                            + " schema, but this table reads Avro");
        }
        try {
            return RegistryAvroSchemas.parse(definition, registry);
        } catch (AvroRuntimeException e) {
            throw new WireFormatException(
                    Reason.INCOMPATIBLE_SCHEMA,
                    schemaId,
                    "the registry's schema is not valid Avro: " + e.getMessage());
        }
    }
}
