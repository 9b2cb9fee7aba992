package io.github.flinkconfluent.connector.format.factory;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.FormatOptions;
import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataDecoder;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataEncoder;
import io.github.flinkconfluent.connector.format.json.JsonRowDataDecoder;
import io.github.flinkconfluent.connector.format.json.JsonRowDataEncoder;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRowDataDecoder;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRowDataEncoder;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;

/**
 * Chooses the row decoder for a table's {@code format}, and checks at planning time that the
 * table's columns fit it (a raw format needs exactly one column of the right type; Avro, JSON and
 * Protobuf need types they can hold; Protobuf needs the registry), so that mistakes fail the {@code
 * CREATE}/{@code SELECT}, not the job.
 */
@Internal
public final class RowFormats {

    private RowFormats() {}

    public static RowDecoder decoder(DataFormat format, RowType rowType, FormatOptions options) {
        switch (format) {
            case AVRO:
                return new AvroRowDataDecoder(
                        rowType,
                        options.avroRecordName(),
                        options.registryFraming() ? options.registry() : null,
                        options.avroMaxZeroByteItemsPerRecord());
            case JSON:
                return new JsonRowDataDecoder(
                        rowType,
                        options.registryFraming() ? options.registry() : null,
                        options.validateJson(),
                        options.jsonValidateMaxStepsPerRecord());
            case PROTOBUF:
                return new ProtobufRowDataDecoder(
                        rowType, requireRegistry(options), options.protobufMessage());
            case RAW_STRING:
                checkSingleColumn(format, rowType, LogicalTypeFamily.CHARACTER_STRING, "STRING");
                return new RawRowDecoder(true);
            case RAW_BYTES:
                checkSingleColumn(format, rowType, LogicalTypeFamily.BINARY_STRING, "BYTES");
                return new RawRowDecoder(false);
            default:
                throw new ValidationException("Unsupported format " + format);
        }
    }

    public static RowEncoder encoder(DataFormat format, RowType rowType, FormatOptions options) {
        switch (format) {
            case AVRO:
                return new AvroRowDataEncoder(
                        rowType,
                        options.avroRecordName(),
                        options.registryFraming() ? options.registry() : null,
                        options.subject());
            case JSON:
                return new JsonRowDataEncoder(
                        rowType,
                        options.registryFraming() ? options.registry() : null,
                        options.subject());
            case PROTOBUF:
                return new ProtobufRowDataEncoder(
                        rowType,
                        options.protobufMessage() == null
                                ? PROTOBUF_MESSAGE_NAME
                                : options.protobufMessage(),
                        options.protobufMessage() != null,
                        requireRegistry(options),
                        options.subject());
            case RAW_STRING:
                checkSingleColumn(format, rowType, LogicalTypeFamily.CHARACTER_STRING, "STRING");
                return new RawRowEncoder(true);
            case RAW_BYTES:
                checkSingleColumn(format, rowType, LogicalTypeFamily.BINARY_STRING, "BYTES");
                return new RawRowEncoder(false);
            default:
                throw new ValidationException("Unsupported format " + format);
        }
    }

    /** The message name of the {@code .proto} schema a protobuf sink registers. */
    public static final String PROTOBUF_MESSAGE_NAME = "Record";

    /** Protobuf is only read and written in the Confluent framing: it needs the schema. */
    private static RegistryClientFactory requireRegistry(FormatOptions options) {
        if (!options.registryFraming() || options.registry() == null) {
            throw new ValidationException(
                    "'format' = 'protobuf' reads and writes the Confluent framing and needs the"
                            + " Schema Registry (subject '"
                            + options.subject()
                            + "'): add schema-registry.endpoint to the connection profile and do"
                            + " not set 'schema_registry' = 'false'.");
        }
        return options.registry();
    }

    private static void checkSingleColumn(
            DataFormat format, RowType rowType, LogicalTypeFamily family, String sqlType) {
        if (rowType.getFieldCount() != 1
                || !rowType.getTypeAt(0).is(family)
                || rowType.getTypeAt(0).is(LogicalTypeRoot.CHAR)) {
            throw new ValidationException(
                    "'format' = '"
                            + format
                            + "' holds the whole value in one "
                            + sqlType
                            + " column, but the table's physical columns are "
                            + rowType.asSummaryString()
                            + ". Declare a single "
                            + sqlType
                            + " column (metadata columns may be added).");
        }
    }
}
