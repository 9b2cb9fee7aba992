package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A Schema Registry call that failed, with what failed and what to do in the message.
 *
 * <p>One exception type with a {@link Kind} (rather than one class per error code) lets callers
 * switch on the cause while messages stay written in one place. Messages name the registry
 * endpoint, subject, version or id; they never contain credentials.
 */
@PublicEvolving
public class SchemaRegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, independent of the registry implementation's wording. */
    @PublicEvolving
    public enum Kind {
        /** 40401: the subject does not exist (or was deleted). */
        SUBJECT_NOT_FOUND,
        /** 40402: the subject has no such version. */
        VERSION_NOT_FOUND,
        /** 40403: no schema has this id. */
        SCHEMA_NOT_FOUND,
        /** 409: the schema breaks the subject's compatibility rule. */
        INCOMPATIBLE,
        /** 422 / 42201: the schema text is not a valid schema. */
        INVALID_SCHEMA,
        /** 401 / 403: credentials missing, wrong or without permission. */
        AUTHENTICATION,
        /**
         * 403 for one schema id or subject version while the registry accepts the credentials
         * otherwise: these credentials may not read that schema.
         */
        ACCESS_DENIED,
        /** Connection refused, timeout or 5xx after every retry. */
        UNAVAILABLE,
        /** Any other rejected request (other 4xx). */
        REQUEST_REJECTED,
        /** The registry answered with something that is not the Confluent REST API. */
        PROTOCOL
    }

    private final Kind kind;
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(
            Kind kind, int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, or -1 when no response was received. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code} (e.g. 40401), or -1 when it gave none. */
    public int errorCode() {
        return errorCode;
    }
}
