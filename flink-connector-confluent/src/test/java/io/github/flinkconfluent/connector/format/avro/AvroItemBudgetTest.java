package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static io.github.flinkconfluent.connector.format.avro.HostileAvro.EMPTY_RECORD;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.FIXED_0;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.NULL;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.ORDER;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.arrayOf;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.orderWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every path that decodes Avro keeps the per-record item budget: the table's row decoder (a
 * writer-only field skipped, an array column read, a JSON column) and the GenericRecord
 * deserializer (the DataStream API and the {@code validate} command). A 3 KiB record that claims
 * 10^9 items is the per-record error {@link Reason#LIMIT_EXCEEDED}, which {@code bad_data} handles,
 * after at most the budget's items (see {@link BoundedBinaryDecoderTest} for the count and {@code
 * AvroItemBudgetSmallHeapTest} for the memory).
 */
class AvroItemBudgetTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    static List<Schema> zeroByteItems() {
        return List.of(NULL, EMPTY_RECORD, FIXED_0);
    }

    private byte[] hostile(Schema item) {
        return framed(orderWith(arrayOf(item)), HostileAvro.orderWithZeroByteItems(1, 2));
    }

    private byte[] framed(Schema writer, byte[] body) {
        int id = registry.register("orders-value", SchemaDefinition.avro(writer.toString()));
        return ConfluentWireFormat.frame(id, body, 0, body.length);
    }

    private AvroRowDataDecoder rowDecoder(DataType... junk) {
        List<DataTypes.Field> fields = new ArrayList<>();
        fields.add(DataTypes.FIELD("customer_id", DataTypes.INT().notNull()));
        fields.add(DataTypes.FIELD("order_id", DataTypes.INT().notNull()));
        for (DataType type : junk) {
            fields.add(DataTypes.FIELD("junk", type));
        }
        RowType rowType =
                (RowType) DataTypes.ROW(fields.toArray(new DataTypes.Field[0])).getLogicalType();
        AvroRowDataDecoder decoder = new AvroRowDataDecoder(rowType, "record", () -> registry);
        decoder.open();
        return decoder;
    }

    @ParameterizedTest
    @MethodSource("zeroByteItems")
    void theRowDecoderStopsSkippingAWriterOnlyField(Schema item) {
        AvroRowDataDecoder decoder = rowDecoder();

        assertLimitExceeded(() -> decoder.decode(hostile(item)));
    }

    @ParameterizedTest
    @MethodSource("zeroByteItems")
    void theRowDecoderStopsReadingAJsonColumn(Schema item) {
        // NOT NULL: a nullable JSON column over a non-union writer field is refused today (the
        // reader field gets a null default its writer type cannot hold); not this test's subject.
        AvroRowDataDecoder decoder = rowDecoder(DataTypes.STRING().notNull());

        assertLimitExceeded(() -> decoder.decode(hostile(item)));
    }

    @Test
    void theRowDecoderStopsReadingAnArrayColumn() {
        assertLimitExceeded(
                () -> rowDecoder(DataTypes.ARRAY(DataTypes.INT())).decode(hostile(NULL)));
        assertLimitExceeded(
                () -> rowDecoder(DataTypes.ARRAY(DataTypes.BYTES())).decode(hostile(FIXED_0)));
    }

    @ParameterizedTest
    @MethodSource("zeroByteItems")
    void theGenericRecordDeserializerStops(Schema item) {
        byte[] message = hostile(item);

        // The validate command reads with the writer's own schema; DataStream jobs with theirs.
        assertLimitExceeded(
                () -> new AvroRegistryDeserializer(registry, null).deserialize(message));
        assertLimitExceeded(
                () -> new AvroRegistryDeserializer(registry, ORDER).deserialize(message));
    }

    @Test
    void theAllowanceIsConfigurableAndRefilledForEachRecord() throws Exception {
        Schema writer = orderWith(arrayOf(NULL));
        GenericRecord record = new GenericData.Record(writer);
        record.put("customer_id", 1);
        record.put("order_id", 2);
        record.put("junk", java.util.Collections.nCopies(100, null));
        byte[] message =
                new AvroRegistrySerializer(registry, "orders-value", writer, true)
                        .serialize(record);
        int bodyBytes = message.length - ConfluentWireFormat.HEADER_LENGTH;
        int enough = 100 - bodyBytes;
        RowType rowType =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("order_id", DataTypes.INT().notNull()),
                                        DataTypes.FIELD("junk", DataTypes.ARRAY(DataTypes.INT())))
                                .getLogicalType();
        AvroRowDataDecoder allowed =
                new AvroRowDataDecoder(rowType, "record", () -> registry, enough);
        allowed.open();
        AvroRowDataDecoder oneShort =
                new AvroRowDataDecoder(rowType, "record", () -> registry, enough - 1);
        oneShort.open();

        for (int i = 0; i < 3; i++) {
            RowData row = allowed.decode(message);
            assertThat(row.getArray(1).size()).isEqualTo(100);
        }
        assertThatThrownBy(() -> oneShort.decode(message))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
                            assertThat(e).hasMessageContaining("more than 99 array items");
                        });
        assertThat(
                        new AvroRegistryDeserializer(registry, null, GenericData.get(), enough)
                                .deserialize(message))
                .isEqualTo(record);
        assertThatThrownBy(
                        () ->
                                new AvroRegistryDeserializer(
                                                registry, null, GenericData.get(), enough - 1)
                                        .deserialize(message))
                .isInstanceOf(WireFormatException.class);
    }

    @Test
    void aNegativeAllowanceIsRefusedNamingTheOption() {
        RowType rowType =
                (RowType)
                        DataTypes.ROW(DataTypes.FIELD("order_id", DataTypes.INT()))
                                .getLogicalType();

        assertThatThrownBy(() -> new AvroRowDataDecoder(rowType, "record", null, -1))
                .hasMessageContaining("'" + RecordLimits.AVRO_ZERO_BYTE_ITEMS_OPTION + "'");
    }

    private static void assertLimitExceeded(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable decoding) {
        assertThatThrownBy(decoding)
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> {
                            assertThat(e.reason())
                                    .as(e.getMessage())
                                    .isEqualTo(Reason.LIMIT_EXCEEDED);
                            assertThat(e.schemaId()).isPositive();
                            assertThat(e)
                                    .hasMessageContaining(
                                            "plus "
                                                    + RecordLimits.DEFAULT_AVRO_ZERO_BYTE_ITEMS
                                                    + " that take no bytes")
                                    .hasMessageContaining(
                                            "'" + RecordLimits.AVRO_ZERO_BYTE_ITEMS_OPTION + "'");
                        });
    }
}
