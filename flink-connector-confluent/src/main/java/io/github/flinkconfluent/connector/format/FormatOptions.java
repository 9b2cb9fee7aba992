package io.github.flinkconfluent.connector.format;

import io.github.flinkconfluent.connector.registry.RegistryClientFactory;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Everything a row format needs besides the row type, resolved from the table options and the
 * connection profile at planning time.
 *
 * @param registry the Schema Registry, or null when the profile has none
 * @param registryFraming true to read/write the Confluent framing (magic byte and schema id);
 *     requires {@code registry} for Avro and JSON
 * @param subject the registry subject of this key or value, e.g. {@code orders-value}
 * @param validateJson check JSON values against their JSON Schema
 * @param avroRecordName full name of the top-level Avro record written by a sink
 * @param avroMaxZeroByteItemsPerRecord array items and map entries one Avro record may hold beyond
 *     one per byte ({@link RecordLimits#AVRO_ZERO_BYTE_ITEMS_OPTION})
 * @param jsonValidateMaxStepsPerRecord steps allowed to validate one JSON record ({@link
 *     RecordLimits#JSON_VALIDATE_MAX_STEPS_OPTION})
 * @param protobufMessage full name of the Protobuf message a table reads and writes ({@code
 *     protobuf.message} / {@code key.protobuf.message}); null: the schema's first message
 */
@Internal
public record FormatOptions(
        @Nullable RegistryClientFactory registry,
        boolean registryFraming,
        String subject,
        boolean validateJson,
        String avroRecordName,
        int avroMaxZeroByteItemsPerRecord,
        int jsonValidateMaxStepsPerRecord,
        @Nullable String protobufMessage)
        implements Serializable {

    /** Options with the default {@link RecordLimits}. */
    public FormatOptions(
            @Nullable RegistryClientFactory registry,
            boolean registryFraming,
            String subject,
            boolean validateJson,
            String avroRecordName) {
        this(
                registry,
                registryFraming,
                subject,
                validateJson,
                avroRecordName,
                RecordLimits.DEFAULT_AVRO_ZERO_BYTE_ITEMS,
                RecordLimits.DEFAULT_JSON_VALIDATE_MAX_STEPS,
                null);
    }

    /** These options for another subject (one per topic of a multi-topic sink, say). */
    public FormatOptions withSubject(String subject) {
        return new FormatOptions(
                registry,
                registryFraming,
                subject,
                validateJson,
                avroRecordName,
                avroMaxZeroByteItemsPerRecord,
                jsonValidateMaxStepsPerRecord,
                protobufMessage);
    }

    /** These options reading and writing Protobuf message {@code fullName} (null: the first). */
    public FormatOptions withProtobufMessage(@Nullable String fullName) {
        return new FormatOptions(
                registry,
                registryFraming,
                subject,
                validateJson,
                avroRecordName,
                avroMaxZeroByteItemsPerRecord,
                jsonValidateMaxStepsPerRecord,
                fullName);
    }

    /** Options for a format without a registry (plain Avro binary, plain JSON, raw). */
    public static FormatOptions withoutRegistry() {
        return new FormatOptions(null, false, "", false, "record");
    }
}
