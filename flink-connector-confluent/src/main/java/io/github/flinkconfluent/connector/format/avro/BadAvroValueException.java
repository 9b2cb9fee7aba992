package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.flink.annotation.Internal;

import java.io.IOException;

/**
 * A value that Avro decoded but that cannot be a value of its column or field: a decimal that does
 * not fit the reader's precision, an enum index beyond the symbols, a null for a NOT NULL column.
 *
 * <p>A type of its own, thrown only where our readers check a decoded value, so that the one error
 * mapping ({@link AvroDecodeErrors}) can tell a bad record from a bug in the reader code. An {@link
 * IOException} so that it passes through Avro's reading methods unwrapped.
 */
@Internal
final class BadAvroValueException extends IOException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    BadAvroValueException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * {@link Reason#SCHEMA_VIOLATION} for a value the reader cannot hold, else the bytes' fault.
     */
    Reason reason() {
        return reason;
    }
}
