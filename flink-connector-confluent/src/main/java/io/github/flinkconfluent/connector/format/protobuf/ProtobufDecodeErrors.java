package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.flink.annotation.Internal;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * The one mapping from what went wrong while decoding a Protobuf record body to a bad record
 * ({@link WireFormatException}), which {@code bad_data} may drop.
 *
 * <p>Only what malformed bytes raise is a bad record: protobuf-java's {@link
 * InvalidProtocolBufferException} (a truncated body is {@link Reason#TRUNCATED_BODY}, anything else
 * — a bad varint, a bad tag, a length beyond the body — {@link Reason#MALFORMED_BODY}), our
 * readers' {@link BadProtobufException}, and a stack overflow. Everything else (a {@link
 * NullPointerException}, a {@link ClassCastException}) is a bug in the reader code and is thrown as
 * it is, so that dropping bad records never hides it.
 */
@Internal
final class ProtobufDecodeErrors {

    private ProtobufDecodeErrors() {}

    /**
     * The bad record {@code failure} means, for a record of writer {@code schemaId}.
     *
     * @throws RuntimeException {@code failure} itself, when it is not what bad bytes raise
     * @throws Error {@code failure} itself, likewise
     */
    static WireFormatException badRecord(Throwable failure, int schemaId) {
        if (failure instanceof BadProtobufException e) {
            return new WireFormatException(e.reason(), schemaId, e.getMessage(), e);
        }
        if (failure instanceof InvalidProtocolBufferException e) {
            String message = String.valueOf(e.getMessage());
            Reason reason =
                    message.contains("ended unexpectedly")
                            ? Reason.TRUNCATED_BODY
                            : Reason.MALFORMED_BODY;
            return new WireFormatException(reason, schemaId, "Protobuf: " + message, e);
        }
        if (failure instanceof StackOverflowError) {
            return new WireFormatException(
                    Reason.MALFORMED_BODY, schemaId, "nesting too deep to decode", null);
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("Unexpected checked exception decoding Protobuf", failure);
    }
}
