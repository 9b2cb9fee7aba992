package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.format.wire.WriterSchemaErrors;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * Fetches the Avro writer schema a record's id names. What is wrong with the record (an id the
 * registry does not know or refuses, a reference that is gone, a schema of another language or that
 * is not valid Avro) is a {@link WireFormatException}, which {@code bad_data} governs (see {@link
 * WriterSchemaErrors}); a registry that cannot be reached is a {@link SchemaRegistryException} and
 * fails the task, so that dropping bad records never drops good ones.
 */
@Internal
final class WriterSchemas {

    private WriterSchemas() {}

    static Schema avro(SchemaRegistryClient registry, int schemaId) throws WireFormatException {
        SchemaDefinition definition;
        try {
            definition = registry.getById(schemaId);
        } catch (SchemaRegistryException e) {
            throw WriterSchemaErrors.forId(e, schemaId);
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
        } catch (SchemaRegistryException e) {
            throw WriterSchemaErrors.forReference(e, schemaId);
        } catch (AvroRuntimeException | StackOverflowError e) {
            throw new WireFormatException(
                    Reason.INCOMPATIBLE_SCHEMA,
                    schemaId,
                    "the registry's schema is not valid Avro: "
                            + (e instanceof StackOverflowError
                                    ? "nested too deep"
                                    : e.getMessage()));
        }
    }
}
