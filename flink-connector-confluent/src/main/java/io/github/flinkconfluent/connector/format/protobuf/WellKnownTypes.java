package io.github.flinkconfluent.connector.format.protobuf;

import org.apache.flink.annotation.Internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;

import java.util.Set;

/**
 * The {@code google.protobuf} message types that map to SQL scalars instead of rows: {@code
 * Timestamp} and the wrappers ({@code Int32Value}, {@code StringValue}, ...), which exist to give a
 * scalar presence. Recognised by full name, so that a schema that imports them from the registry
 * rather than from protobuf-java's descriptors is treated the same.
 */
@Internal
final class WellKnownTypes {

    static final String TIMESTAMP = "google.protobuf.Timestamp";

    private static final Set<String> WRAPPERS =
            Set.of(
                    "google.protobuf.DoubleValue",
                    "google.protobuf.FloatValue",
                    "google.protobuf.Int64Value",
                    "google.protobuf.UInt64Value",
                    "google.protobuf.Int32Value",
                    "google.protobuf.UInt32Value",
                    "google.protobuf.BoolValue",
                    "google.protobuf.StringValue",
                    "google.protobuf.BytesValue");

    private WellKnownTypes() {}

    static boolean isTimestamp(Descriptor message) {
        return message.getFullName().equals(TIMESTAMP);
    }

    /** The {@code value} field of a wrapper type, or null when {@code message} is not one. */
    static FieldDescriptor wrappedValue(Descriptor message) {
        return WRAPPERS.contains(message.getFullName()) ? message.findFieldByNumber(1) : null;
    }
}
