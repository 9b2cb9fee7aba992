package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.flink.annotation.Internal;

import java.io.IOException;

/**
 * A record body our Protobuf readers reject although protobuf-java's wire reader accepted the
 * bytes: nesting deeper than {@link ProtobufRowReaders#MAX_DEPTH}, a decimal that does not fit its
 * column, an absent field in a NOT NULL column.
 *
 * <p>A type of its own, thrown only where our readers check what they read, so that {@link
 * ProtobufDecodeErrors} can tell a bad record from a bug in the reader code.
 */
@Internal
final class BadProtobufException extends IOException {

    private static final long serialVersionUID = 1L;

    private final Reason reason;

    BadProtobufException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    Reason reason() {
        return reason;
    }
}
