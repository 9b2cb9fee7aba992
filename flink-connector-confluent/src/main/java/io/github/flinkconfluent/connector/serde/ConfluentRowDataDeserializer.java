package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataDecoder;
import io.github.flinkconfluent.connector.format.json.JsonRowDataDecoder;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRowDataDecoder;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;

import java.util.Objects;

/**
 * Reads Confluent-framed Avro, JSON Schema or Protobuf values into Flink's {@link RowData} of a
 * {@link RowType}, with the decoders SQL tables use: the same type mapping (see {@code
 * docs/formats.md}), writer-schema evolution, limits and bad-data errors. For a DataStream job that
 * continues in the Table API, or that wants rows without generated classes.
 *
 * <pre>{@code
 * RowType columns = (RowType) DataTypes.ROW(
 *         DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
 *         DataTypes.FIELD("order_id", DataTypes.INT().notNull())).getLogicalType();
 * ConfluentRowDataDeserializer.of(DataFormat.AVRO, columns, profile)
 * }</pre>
 *
 * <p>Rows are produced with Flink's internal row type information ({@code flink-table-runtime},
 * which Flink distributions have in {@code lib/}).
 */
@PublicEvolving
public final class ConfluentRowDataDeserializer extends RegistryRecordDeserializer<RowData> {

    private static final long serialVersionUID = 1L;

    private final RowType rowType;
    private final RowDecoder decoder;

    private ConfluentRowDataDeserializer(
            RegistryClientFactory registry, RowType rowType, RowDecoder decoder) {
        super(registry);
        this.rowType = rowType;
        this.decoder = decoder;
    }

    /** Values of {@code format} ({@code AVRO}, {@code JSON} or {@code PROTOBUF}) as rows. */
    public static ConfluentRowDataDeserializer of(
            DataFormat format, RowType rowType, ConnectionProfile profile) {
        return of(format, rowType, RegistryProfiles.registryOf(profile, "Reading " + format));
    }

    /** As {@link #of(DataFormat, RowType, ConnectionProfile)}, with a client factory. */
    public static ConfluentRowDataDeserializer of(
            DataFormat format, RowType rowType, RegistryClientFactory registry) {
        Objects.requireNonNull(rowType, "rowType");
        RowDecoder decoder;
        switch (format) {
            case AVRO:
                decoder =
                        new AvroRowDataDecoder(
                                rowType,
                                ConfluentRowDataSerializer.DEFAULT_RECORD_NAME,
                                registry,
                                RecordLimits.DEFAULT_AVRO_ZERO_BYTE_ITEMS);
                break;
            case JSON:
                decoder = new JsonRowDataDecoder(rowType, registry, true);
                break;
            case PROTOBUF:
                decoder = new ProtobufRowDataDecoder(rowType, registry);
                break;
            default:
                throw new IllegalArgumentException(
                        "Rows are read from the registry's formats AVRO, JSON or PROTOBUF, not "
                                + format
                                + "; for raw values use ConfluentRecordDeserializer.valueOnly"
                                + " with a Flink DeserializationSchema.");
        }
        return new ConfluentRowDataDeserializer(registry, rowType, decoder);
    }

    @Override
    protected void open(SchemaRegistryClient registry) throws Exception {
        decoder.open();
    }

    @Override
    public RowData decode(byte[] message) throws WireFormatException {
        return decoder.decode(message);
    }

    @Override
    public void close() throws Exception {
        try {
            decoder.close();
        } finally {
            super.close();
        }
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return InternalTypeInfo.of(rowType);
    }
}
