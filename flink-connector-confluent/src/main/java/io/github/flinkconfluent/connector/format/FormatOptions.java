package io.github.flinkconfluent.connector.format;

import io.github.flinkconfluent.connector.registry.RegistryClientFactory;

import org.apache.flink.annotation.Internal;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.Objects;

/**
 * Everything a row format needs besides the row type, resolved from the table options and the
 * connection profile at planning time. Built with {@link #builder()} (or changed with {@link
 * #toBuilder()}), so that a new setting is a new builder method rather than a new constructor
 * argument for every caller.
 */
@Internal
public final class FormatOptions implements Serializable {

    private static final long serialVersionUID = 1L;

    @Nullable private final RegistryClientFactory registry;
    private final boolean registryFraming;
    private final String subject;
    private final boolean validateJson;
    private final String avroRecordName;
    private final int avroMaxZeroByteItemsPerRecord;
    private final int jsonValidateMaxStepsPerRecord;
    @Nullable private final String protobufMessage;

    private FormatOptions(Builder b) {
        this.registry = b.registry;
        this.registryFraming = b.registryFraming;
        this.subject = b.subject;
        this.validateJson = b.validateJson;
        this.avroRecordName = b.avroRecordName;
        this.avroMaxZeroByteItemsPerRecord = b.avroMaxZeroByteItemsPerRecord;
        this.jsonValidateMaxStepsPerRecord = b.jsonValidateMaxStepsPerRecord;
        this.protobufMessage = b.protobufMessage;
    }

    /** A builder with every setting at its default. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.registry = registry;
        b.registryFraming = registryFraming;
        b.subject = subject;
        b.validateJson = validateJson;
        b.avroRecordName = avroRecordName;
        b.avroMaxZeroByteItemsPerRecord = avroMaxZeroByteItemsPerRecord;
        b.jsonValidateMaxStepsPerRecord = jsonValidateMaxStepsPerRecord;
        b.protobufMessage = protobufMessage;
        return b;
    }

    /** These options for another subject (one per topic of a multi-topic sink, say). */
    public FormatOptions withSubject(String subject) {
        return toBuilder().subject(subject).build();
    }

    /** These options reading and writing Protobuf message {@code fullName} (null: the first). */
    public FormatOptions withProtobufMessage(@Nullable String fullName) {
        return toBuilder().protobufMessage(fullName).build();
    }

    /** Options for a format without a registry (plain Avro binary, plain JSON, raw). */
    public static FormatOptions withoutRegistry() {
        return builder().build();
    }

    /** The Schema Registry, or null when the profile has none. */
    @Nullable
    public RegistryClientFactory registry() {
        return registry;
    }

    /**
     * True to read/write the Confluent framing (magic byte and schema id); requires {@code
     * registry} for Avro and JSON.
     */
    public boolean registryFraming() {
        return registryFraming;
    }

    /** The registry subject of this key or value, e.g. {@code orders-value}. */
    public String subject() {
        return subject;
    }

    /** Check JSON values against their JSON Schema. */
    public boolean validateJson() {
        return validateJson;
    }

    /** Full name of the top-level Avro record written by a sink. */
    public String avroRecordName() {
        return avroRecordName;
    }

    /**
     * Array items and map entries one Avro record may hold beyond one per byte ({@link
     * RecordLimits#AVRO_ZERO_BYTE_ITEMS_OPTION}).
     */
    public int avroMaxZeroByteItemsPerRecord() {
        return avroMaxZeroByteItemsPerRecord;
    }

    /**
     * Steps allowed to validate one JSON record ({@link
     * RecordLimits#JSON_VALIDATE_MAX_STEPS_OPTION}).
     */
    public int jsonValidateMaxStepsPerRecord() {
        return jsonValidateMaxStepsPerRecord;
    }

    /**
     * Full name of the Protobuf message a table reads and writes ({@code protobuf.message} / {@code
     * key.protobuf.message}); null: the schema's first message.
     */
    @Nullable
    public String protobufMessage() {
        return protobufMessage;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FormatOptions that)) {
            return false;
        }
        return Objects.equals(registry, that.registry)
                && registryFraming == that.registryFraming
                && Objects.equals(subject, that.subject)
                && validateJson == that.validateJson
                && Objects.equals(avroRecordName, that.avroRecordName)
                && avroMaxZeroByteItemsPerRecord == that.avroMaxZeroByteItemsPerRecord
                && jsonValidateMaxStepsPerRecord == that.jsonValidateMaxStepsPerRecord
                && Objects.equals(protobufMessage, that.protobufMessage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                registry,
                registryFraming,
                subject,
                validateJson,
                avroRecordName,
                avroMaxZeroByteItemsPerRecord,
                jsonValidateMaxStepsPerRecord,
                protobufMessage);
    }

    @Override
    public String toString() {
        return "FormatOptions{registryFraming="
                + registryFraming
                + ", subject="
                + subject
                + ", validateJson="
                + validateJson
                + ", avroRecordName="
                + avroRecordName
                + ", protobufMessage="
                + protobufMessage
                + "}";
    }

    /** Builds {@link FormatOptions}; every setting has a default. */
    public static final class Builder {
        @Nullable private RegistryClientFactory registry = null;
        private boolean registryFraming = false;
        private String subject = "";
        private boolean validateJson = false;
        private String avroRecordName = "record";
        private int avroMaxZeroByteItemsPerRecord = RecordLimits.DEFAULT_AVRO_ZERO_BYTE_ITEMS;
        private int jsonValidateMaxStepsPerRecord = RecordLimits.DEFAULT_JSON_VALIDATE_MAX_STEPS;
        @Nullable private String protobufMessage = null;

        private Builder() {}

        /** The Schema Registry, or null when the profile has none. Default: null. */
        public Builder registry(@Nullable RegistryClientFactory registry) {
            this.registry = registry;
            return this;
        }

        /**
         * True to read/write the Confluent framing (magic byte and schema id); requires {@code
         * registry} for Avro and JSON. Default: false.
         */
        public Builder registryFraming(boolean registryFraming) {
            this.registryFraming = registryFraming;
            return this;
        }

        /** The registry subject of this key or value, e.g. {@code orders-value}. Default: empty. */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        /** Check JSON values against their JSON Schema. Default: false. */
        public Builder validateJson(boolean validateJson) {
            this.validateJson = validateJson;
            return this;
        }

        /** Full name of the top-level Avro record written by a sink. Default: {@code record}. */
        public Builder avroRecordName(String avroRecordName) {
            this.avroRecordName = avroRecordName;
            return this;
        }

        /**
         * Array items and map entries one Avro record may hold beyond one per byte ({@link
         * RecordLimits#AVRO_ZERO_BYTE_ITEMS_OPTION}). Default: {@link
         * RecordLimits#DEFAULT_AVRO_ZERO_BYTE_ITEMS}.
         */
        public Builder avroMaxZeroByteItemsPerRecord(int avroMaxZeroByteItemsPerRecord) {
            this.avroMaxZeroByteItemsPerRecord = avroMaxZeroByteItemsPerRecord;
            return this;
        }

        /**
         * Steps allowed to validate one JSON record ({@link
         * RecordLimits#JSON_VALIDATE_MAX_STEPS_OPTION}). Default: {@link
         * RecordLimits#DEFAULT_JSON_VALIDATE_MAX_STEPS}.
         */
        public Builder jsonValidateMaxStepsPerRecord(int jsonValidateMaxStepsPerRecord) {
            this.jsonValidateMaxStepsPerRecord = jsonValidateMaxStepsPerRecord;
            return this;
        }

        /**
         * Full name of the Protobuf message a table reads and writes ({@code protobuf.message} /
         * {@code key.protobuf.message}); null: the schema's first message. Default: null.
         */
        public Builder protobufMessage(@Nullable String protobufMessage) {
            this.protobufMessage = protobufMessage;
            return this;
        }

        public FormatOptions build() {
            return new FormatOptions(this);
        }
    }
}
