package io.github.flinkconfluent.connector.format.wire;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A record whose bytes cannot be decoded: the one exception every registry-aware decoder throws for
 * bad input, so that {@code bad_data = 'drop'} can skip exactly these and nothing else.
 *
 * <p>A registry outage or rejected credentials are not bad input and are never reported with this
 * type (they surface as {@link
 * io.github.flinkconfluent.connector.registry.SchemaRegistryException}), so that dropping bad
 * records can never drop good ones.
 */
@PublicEvolving
public final class WireFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the bytes were rejected. */
    @PublicEvolving
    public enum Reason {
        /** Zero bytes (and not a tombstone the caller handles as null). */
        EMPTY_PAYLOAD,
        /** The first byte is not the Confluent magic byte 0. */
        BAD_MAGIC_BYTE,
        /** Fewer than the 5 header bytes (magic byte and schema id). */
        TRUNCATED_HEADER,
        /** The registry has no schema with the id in the header. */
        UNKNOWN_SCHEMA_ID,
        /**
         * The registry refuses these credentials the schema with this id, or a schema it references
         * (subject and version) is gone or refused.
         */
        UNREADABLE_SCHEMA,
        /** The id names a schema of another language (e.g. JSON for an Avro decoder). */
        WRONG_SCHEMA_TYPE,
        /** The writer schema cannot be read with the reader schema. */
        INCOMPATIBLE_SCHEMA,
        /** The body ends before the schema says it should. */
        TRUNCATED_BODY,
        /** The body does not match the writer schema (bad lengths, indexes, encoding). */
        MALFORMED_BODY,
        /** The value decodes but violates its schema (JSON Schema validation). */
        SCHEMA_VIOLATION,
        /**
         * Decoding the record would cost more than a per-record limit allows (see {@link
         * io.github.flinkconfluent.connector.format.RecordLimits}); the message names the limit and
         * the option that raises it.
         */
        LIMIT_EXCEEDED,
        /**
         * A record without a key in a table whose rows are identified by the key ({@code
         * 'changelog' = 'upsert'}): it belongs to no row.
         */
        MISSING_KEY,
        /**
         * A value of a Debezium table ({@code 'changelog' = 'debezium'}) that decodes but is not a
         * change event the table can apply: no or an unknown {@code op}, no {@code after} image for
         * an insert or update, no {@code before} image for a delete (or, without a PRIMARY KEY, for
         * an update).
         */
        BAD_CHANGE_EVENT
    }

    private final Reason reason;
    private final int schemaId;
    private final String detail;

    public WireFormatException(Reason reason, int schemaId, String detail) {
        this(reason, schemaId, detail, null);
    }

    public WireFormatException(Reason reason, int schemaId, String detail, Throwable cause) {
        super(
                reason + (schemaId >= 0 ? " (schema id " + schemaId + ")" : "") + ": " + detail,
                cause);
        this.reason = reason;
        this.schemaId = schemaId;
        this.detail = detail;
    }

    /**
     * What was wrong, without the reason and schema id the message starts with: for a cached
     * verdict rethrown for the next record of the same writer.
     */
    public String detail() {
        return detail;
    }

    public Reason reason() {
        return reason;
    }

    /** The schema id from the header, or -1 when the header could not be read. */
    public int schemaId() {
        return schemaId;
    }
}
