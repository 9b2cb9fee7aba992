package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataEncoder;
import io.github.flinkconfluent.connector.format.factory.RowFormats;
import io.github.flinkconfluent.connector.format.json.JsonRowDataEncoder;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRowDataEncoder;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes Flink {@link RowData} of a {@link RowType} as Confluent-framed Avro, JSON Schema or
 * Protobuf, with the encoders SQL sink tables use: the schema is derived from the columns, and the
 * subject's latest version is reused when it describes exactly these columns, else the derived
 * schema is registered (see {@code docs/schema-registry.md}).
 *
 * <p>The subject is {@code <topic>-value} (or {@code -key}) by default; {@link #withSubject} fixes
 * it, and {@link #withSubjectNameStrategy} names it by the Avro record name or the Protobuf message
 * name ({@value #DEFAULT_RECORD_NAME} unless {@link #withRecordName} says otherwise; JSON Schemas
 * derived from columns have no name). One encoder per subject, opened at its first row.
 */
@PublicEvolving
public final class ConfluentRowDataSerializer extends RegistryRecordSerializer<RowData> {

    private static final long serialVersionUID = 1L;

    /** The name of the Avro record (and Protobuf message) written when none is given. */
    public static final String DEFAULT_RECORD_NAME = "Record";

    private final DataFormat format;
    private final RowType rowType;
    private final String recordName;
    private final SubjectNameStrategy strategy;
    @Nullable private final String subject;

    private transient Map<String, RowEncoder> encoders;

    private ConfluentRowDataSerializer(
            RegistryClientFactory registry,
            DataFormat format,
            RowType rowType,
            String recordName,
            SubjectNameStrategy strategy,
            @Nullable String subject) {
        super(registry);
        this.format = format;
        this.rowType = Objects.requireNonNull(rowType, "rowType");
        this.recordName = Objects.requireNonNull(recordName, "recordName");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.subject = subject;
        create("check-only"); // unsupported column types fail when the job is built
    }

    /** Rows written in {@code format} ({@code AVRO}, {@code JSON} or {@code PROTOBUF}). */
    public static ConfluentRowDataSerializer of(
            DataFormat format, RowType rowType, ConnectionProfile profile) {
        return of(format, rowType, RegistryProfiles.registryOf(profile, "Writing " + format));
    }

    /** As {@link #of(DataFormat, RowType, ConnectionProfile)}, with a client factory. */
    public static ConfluentRowDataSerializer of(
            DataFormat format, RowType rowType, RegistryClientFactory registry) {
        return new ConfluentRowDataSerializer(
                registry,
                format,
                rowType,
                DEFAULT_RECORD_NAME,
                SubjectNameStrategy.TOPIC_NAME,
                null);
    }

    /** This serializer writing Avro records (or Protobuf messages) of full name {@code name}. */
    public ConfluentRowDataSerializer withRecordName(String name) {
        return new ConfluentRowDataSerializer(
                registryFactory(), format, rowType, name, strategy, subject);
    }

    /** This serializer with subjects named by {@code strategy} (default {@code TOPIC_NAME}). */
    public ConfluentRowDataSerializer withSubjectNameStrategy(SubjectNameStrategy strategy) {
        return new ConfluentRowDataSerializer(
                registryFactory(), format, rowType, recordName, strategy, null);
    }

    /** This serializer with every schema under {@code subject}, whatever the topic. */
    public ConfluentRowDataSerializer withSubject(String subject) {
        return new ConfluentRowDataSerializer(
                registryFactory(),
                format,
                rowType,
                recordName,
                strategy,
                Objects.requireNonNull(subject, "subject"));
    }

    private RowEncoder create(String subjectName) {
        switch (format) {
            case AVRO:
                return new AvroRowDataEncoder(rowType, recordName, registryFactory(), subjectName);
            case JSON:
                return new JsonRowDataEncoder(rowType, registryFactory(), subjectName);
            case PROTOBUF:
                return new ProtobufRowDataEncoder(
                        rowType,
                        recordName.equals(DEFAULT_RECORD_NAME)
                                ? RowFormats.PROTOBUF_MESSAGE_NAME
                                : recordName,
                        registryFactory(),
                        subjectName);
            default:
                throw new IllegalArgumentException(
                        "Rows are written in the registry's formats AVRO, JSON or PROTOBUF, not "
                                + format
                                + "; for raw values use ConfluentRecordSerializer.valueOnly with a"
                                + " Flink SerializationSchema.");
        }
    }

    @Override
    protected void open(SchemaRegistryClient registry) {
        encoders = new HashMap<>();
    }

    @Override
    @Nullable
    public byte[] encode(@Nullable RowData row, String topic, boolean isKey) {
        if (row == null) {
            return null;
        }
        String subjectName =
                subject != null
                        ? subject
                        : strategy.subject(
                                topic, isKey, format == DataFormat.JSON ? null : recordName);
        RowEncoder encoder = encoders.get(subjectName);
        if (encoder == null) {
            encoder = create(subjectName);
            try {
                encoder.open();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(
                        "Cannot prepare the "
                                + format
                                + " encoder of subject '"
                                + subjectName
                                + "'",
                        e);
            }
            encoders.put(subjectName, encoder);
        }
        return encoder.encode(row);
    }
}
