package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rows encoded as Confluent-framed Protobuf: the generated schema, and bytes protobuf-java reads.
 */
class ProtobufRowDataEncoderTest {

    private static final RowType COLUMNS =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                                    DataTypes.FIELD("name", DataTypes.STRING()),
                                    DataTypes.FIELD(
                                            "tags", DataTypes.ARRAY(DataTypes.INT().notNull())),
                                    DataTypes.FIELD(
                                            "attributes",
                                            DataTypes.MAP(
                                                    DataTypes.STRING().notNull(),
                                                    DataTypes.STRING())),
                                    DataTypes.FIELD(
                                            "shipping_address",
                                            DataTypes.ROW(
                                                    DataTypes.FIELD("city", DataTypes.STRING()))),
                                    DataTypes.FIELD("at", DataTypes.TIMESTAMP_LTZ(9)),
                                    DataTypes.FIELD("blob", DataTypes.BYTES().notNull()))
                            .getLogicalType();

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void theGeneratedSchemaIsProto3WithOptionalForNullableScalars() {
        assertThat(SqlToProtobufSchema.convert(COLUMNS, "Record"))
                .isEqualTo(
                        """
                        syntax = "proto3";
                        import "google/protobuf/timestamp.proto";

                        message Record {
                          int64 id = 1;
                          optional string name = 2;
                          repeated int32 tags = 3;
                          map<string, string> attributes = 4;
                          ShippingAddress shipping_address = 5;
                          google.protobuf.Timestamp at = 6;
                          bytes blob = 7;
                          message ShippingAddress {
                            optional string city = 1;
                          }
                        }
                        """);
        assertThatThrownBy(
                        () ->
                                SqlToProtobufSchema.convert(
                                        (RowType)
                                                DataTypes.ROW(
                                                                DataTypes.FIELD(
                                                                        "d",
                                                                        DataTypes.DECIMAL(5, 2)))
                                                        .getLogicalType(),
                                        "Record"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Record.d");
    }

    @Test
    @SuppressWarnings("unchecked")
    void rowsRoundTripThroughProtobufJavaAndOurDecoder() throws Exception {
        ProtobufRowDataEncoder encoder =
                new ProtobufRowDataEncoder(COLUMNS, "Record", () -> registry, "t-value");
        encoder.open();
        GenericRowData row =
                GenericRowData.of(
                        5L,
                        StringData.fromString("ada"),
                        new GenericArrayData(new int[] {1, 2, 3}),
                        new GenericMapData(
                                Map.of(StringData.fromString("k"), StringData.fromString("v"))),
                        GenericRowData.of(StringData.fromString("Paris")),
                        TimestampData.fromEpochMillis(1_700_000_000_123L, 456_789),
                        new byte[] {9});
        byte[] framed = encoder.encode(row);
        int id = ConfluentWireFormat.readSchemaId(framed);
        assertThat(framed[5]).isZero(); // message indexes [0]

        Descriptor record =
                RegistryProtobufSchemas.build(registry.getById(id), registry)
                        .findMessageTypeByName("Record");
        DynamicMessage parsed =
                DynamicMessage.parseFrom(record, Arrays.copyOfRange(framed, 6, framed.length));
        assertThat(parsed.getField(record.findFieldByName("id"))).isEqualTo(5L);
        assertThat(parsed.getField(record.findFieldByName("name"))).isEqualTo("ada");
        assertThat((List<Object>) parsed.getField(record.findFieldByName("tags")))
                .containsExactly(1, 2, 3);
        Timestamp at = (Timestamp) toTimestamp(parsed.getField(record.findFieldByName("at")));
        assertThat(at.getSeconds()).isEqualTo(1_700_000_000L);
        assertThat(at.getNanos()).isEqualTo(123_456_789);

        ProtobufRowDataDecoder decoder = new ProtobufRowDataDecoder(COLUMNS, () -> registry);
        decoder.open();
        RowData back = decoder.decode(framed);
        assertThat(back.getLong(0)).isEqualTo(5L);
        assertThat(back.getString(1).toString()).isEqualTo("ada");
        assertThat(back.getArray(2).toIntArray()).containsExactly(1, 2, 3);
        assertThat(back.getMap(3).valueArray().getString(0).toString()).isEqualTo("v");
        assertThat(back.getRow(4, 1).getString(0).toString()).isEqualTo("Paris");
        assertThat(back.getTimestamp(5, 9)).isEqualTo(row.getTimestamp(5, 9));
        assertThat(back.getBinary(6)).containsExactly(9);

        GenericRowData nulls = GenericRowData.of(6L, null, null, null, null, null, new byte[0]);
        RowData nullsBack = decoder.decode(encoder.encode(nulls));
        assertThat(nullsBack.isNullAt(1)).isTrue();
        assertThat(nullsBack.isNullAt(4)).isTrue();
        assertThat(nullsBack.isNullAt(5)).isTrue();
        assertThat(nullsBack.getArray(2).size()).isZero(); // NULL arrays are written empty
    }

    @Test
    void aFittingLatestSchemaIsReusedNotReRegistered() throws Exception {
        int theirs =
                registry.register(
                        "t-value",
                        SchemaDefinition.protobuf(
                                "syntax = \"proto3\"; package x; message Theirs {"
                                        + " sint64 id = 3; string name = 7; string extra = 9; }"));
        RowType columns =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                                        DataTypes.FIELD("name", DataTypes.STRING()))
                                .getLogicalType();
        ProtobufRowDataEncoder encoder =
                new ProtobufRowDataEncoder(columns, "Record", () -> registry, "t-value");
        encoder.open();
        byte[] framed = encoder.encode(GenericRowData.of(-1L, StringData.fromString("n")));
        assertThat(ConfluentWireFormat.readSchemaId(framed)).isEqualTo(theirs);
        assertThat(registry.getVersions("t-value")).hasSize(1);
        // sint64 -1 is zig-zag 1 under field 3: tag 0x18.
        assertThat(Arrays.copyOfRange(framed, 6, 8)).containsExactly(0x18, 1);
    }

    private static Object toTimestamp(Object message) throws Exception {
        return message instanceof Timestamp
                ? message
                : Timestamp.parseFrom(((com.google.protobuf.Message) message).toByteArray());
    }
}
