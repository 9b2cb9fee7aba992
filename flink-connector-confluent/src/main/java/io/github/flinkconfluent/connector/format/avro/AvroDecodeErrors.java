package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.flink.annotation.Internal;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

import java.io.IOException;

/**
 * The one mapping, for both Avro decoding paths (rows and Avro records), from what went wrong while
 * decoding a record's body to a bad record ({@link WireFormatException}), which {@code bad_data}
 * may drop.
 *
 * <p>Only what malformed bytes make Avro (or our checking readers) raise is a bad record: {@link
 * IOException}s (our bounded decoder's {@link BoundedBinaryDecoder.BadAvroDataException}, our
 * readers' {@link BadAvroValueException}, Avro's {@code EOFException}), {@link
 * AvroRuntimeException}s (Avro's {@code AvroTypeException} for a union branch or enum symbol the
 * reader lacks) unless they wrap something that is not bad input, a stack overflow (nesting deeper
 * than the stack), and the few unchecked exceptions that Avro's own code raises for an index or
 * number read from the bytes — a union branch or enum index beyond its table ({@link
 * IndexOutOfBoundsException}), a logical-type value it cannot convert ({@link
 * IllegalArgumentException}, {@link ArithmeticException}) — when the first frame outside the JDK is
 * Avro's.
 *
 * <p>Everything else is thrown as it is: a {@link NullPointerException} or {@link
 * ClassCastException} anywhere, and any exception raised by our own or the user's code (a
 * conversion, a record class), is a bug to surface, not a record to drop.
 *
 * <p>One blind spot is deliberate: a JIT-compiled throw site may raise a preallocated index or
 * arithmetic exception without a stack trace ({@code -XX:+OmitStackTraceInFastThrow}), so where it
 * happened is unknown. Hostile bytes reach Avro's index lookups thousands of times, so these count
 * as bad bytes; a bug in our readers shows with its stack trace on its first occurrences, which
 * fail the job.
 */
@Internal
final class AvroDecodeErrors {

    /** The package of Avro's classes (relocated with them when the connector jar is shaded). */
    private static final String AVRO_PACKAGE = Schema.class.getPackageName() + ".";

    private AvroDecodeErrors() {}

    /**
     * The bad record {@code failure} means, for a record of writer {@code schemaId} (-1 for bare
     * Avro).
     *
     * @throws RuntimeException {@code failure} itself, when it is not what bad bytes raise
     * @throws Error {@code failure} itself, likewise
     */
    static WireFormatException badRecord(Throwable failure, int schemaId) {
        if (!isBadInput(failure)) {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException("Unexpected checked exception decoding Avro", failure);
        }
        if (failure instanceof BoundedBinaryDecoder.BadAvroDataException e) {
            // TRUNCATED_BODY, MALFORMED_BODY, or LIMIT_EXCEEDED for the item budget.
            return new WireFormatException(e.reason(), schemaId, e.getMessage(), e);
        }
        if (failure instanceof BadAvroValueException e) {
            return new WireFormatException(e.reason(), schemaId, e.getMessage(), e);
        }
        if (failure instanceof StackOverflowError) {
            return new WireFormatException(
                    Reason.MALFORMED_BODY, schemaId, "nesting too deep to decode", null);
        }
        return new WireFormatException(
                Reason.MALFORMED_BODY, schemaId, failure.toString(), failure);
    }

    private static boolean isBadInput(Throwable failure) {
        if (failure instanceof IOException || failure instanceof StackOverflowError) {
            return true;
        }
        if (failure instanceof AvroRuntimeException) {
            // Avro wraps what it calls (e.g. a conversion's ClassCastException): the wrapped
            // exception decides.
            Throwable cause = failure.getCause();
            return cause == null || cause == failure || isBadInput(cause);
        }
        return isIndexOrNumberError(failure) && raisedByAvro(failure);
    }

    private static boolean isIndexOrNumberError(Throwable failure) {
        return failure instanceof IndexOutOfBoundsException
                || failure instanceof IllegalArgumentException
                || failure instanceof ArithmeticException;
    }

    /**
     * Whether the first frame outside the JDK is in Avro's code; an index or arithmetic exception
     * without any frame is taken as Avro's (see the class comment). An {@link
     * IllegalArgumentException} is never thrown by the JVM itself, so it always has its frames.
     */
    private static boolean raisedByAvro(Throwable failure) {
        StackTraceElement[] trace = failure.getStackTrace();
        if (trace.length == 0) {
            return !(failure instanceof IllegalArgumentException);
        }
        for (StackTraceElement frame : trace) {
            String type = frame.getClassName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")) {
                continue;
            }
            return type.startsWith(AVRO_PACKAGE);
        }
        return false;
    }
}
