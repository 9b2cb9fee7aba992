package io.github.flinkconfluent.connector.format.wire;

import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;

import org.apache.flink.annotation.Internal;

/**
 * Tells whether a registry failure while fetching a record's writer schema is that record's fault
 * (a bad record, which {@code bad_data} governs) or the registry's (an outage, which fails the task
 * and is retried from a checkpoint, so that dropping bad records never drops good ones).
 *
 * <p>The record's fault: the registry has no schema with its id, refuses it to these credentials
 * while accepting them otherwise, or a schema it references (subject and version) is gone or
 * refused. These are the registry's current answers about one id; the shared registry client
 * remembers them for a while (bounded, with expiry), so a flood of such records costs one request
 * per id, and decoders do not keep them ({@link #isRegistryAnswer}) so that an id a lagging replica
 * learns later is read once the client forgets the miss. Everything else (connection refused,
 * timeouts, 5xx, rejected credentials) is thrown as it is.
 */
@Internal
public final class WriterSchemaErrors {

    private WriterSchemaErrors() {}

    /**
     * The bad record for a failure fetching writer schema {@code schemaId} itself.
     *
     * @throws SchemaRegistryException {@code e}, when it is not about this id
     */
    public static WireFormatException forId(SchemaRegistryException e, int schemaId) {
        switch (e.kind()) {
            case SCHEMA_NOT_FOUND:
                return new WireFormatException(
                        Reason.UNKNOWN_SCHEMA_ID,
                        schemaId,
                        "the Schema Registry has no schema with this id; the record was written"
                                + " against another registry, or the schema was deleted");
            case ACCESS_DENIED:
                return new WireFormatException(
                        Reason.UNREADABLE_SCHEMA,
                        schemaId,
                        "the Schema Registry denies these credentials read access to this"
                                + " schema: "
                                + e.getMessage());
            default:
                throw e;
        }
    }

    /**
     * The bad record for a failure fetching a schema that writer schema {@code schemaId}
     * references.
     *
     * @throws SchemaRegistryException {@code e}, when it is not about that reference
     */
    public static WireFormatException forReference(SchemaRegistryException e, int schemaId) {
        switch (e.kind()) {
            case SCHEMA_NOT_FOUND:
            case SUBJECT_NOT_FOUND:
            case VERSION_NOT_FOUND:
            case ACCESS_DENIED:
                return new WireFormatException(
                        Reason.UNREADABLE_SCHEMA,
                        schemaId,
                        "a schema it references cannot be read: " + e.getMessage());
            default:
                throw e;
        }
    }

    /**
     * Whether {@code e} is the registry's answer about an id (which may change: remembered by the
     * registry client for a while), rather than a verdict on the schema's immutable content.
     */
    public static boolean isRegistryAnswer(WireFormatException e) {
        return e.reason() == Reason.UNKNOWN_SCHEMA_ID || e.reason() == Reason.UNREADABLE_SCHEMA;
    }
}
