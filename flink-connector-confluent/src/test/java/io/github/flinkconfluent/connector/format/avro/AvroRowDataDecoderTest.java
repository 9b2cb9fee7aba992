package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Avro records decoded straight into rows of the table's columns, with schema evolution. */
class AvroRowDataDecoderTest {

    private static final Schema ORDER_V1 =
            SchemaBuilder.record("Order")
                    .namespace("shop")
                    .fields()
                    .requiredInt("customer_id")
                    .requiredInt("order_id")
                    .endRecord();

    private static final Schema ORDER_V2 =
            SchemaBuilder.record("Order")
                    .namespace("shop")
                    .fields()
                    .requiredInt("customer_id")
                    .requiredLong("order_id")
                    .optionalString("note")
                    .endRecord();

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    private static RowType rowType(org.apache.flink.table.types.DataType type) {
        return (RowType) type.getLogicalType();
    }

    private AvroRowDataDecoder decoder(RowType rowType) {
        AvroRowDataDecoder decoder = new AvroRowDataDecoder(rowType, "record", () -> registry);
        decoder.open();
        return decoder;
    }

    private byte[] framed(Schema schema, GenericRecord record) {
        return new AvroRegistrySerializer(registry, "orders-value", schema, true).serialize(record);
    }

    @Test
    void oldAndNewWritersReadAsTheTablesColumns() throws Exception {
        AvroRowDataDecoder decoder =
                decoder(
                        rowType(
                                DataTypes.ROW(
                                        DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                        DataTypes.FIELD("order_id", DataTypes.BIGINT().notNull()),
                                        DataTypes.FIELD("note", DataTypes.STRING()))));
        GenericRecord v1 = new GenericData.Record(ORDER_V1);
        v1.put("customer_id", 7);
        v1.put("order_id", 70);
        GenericRecord v2 = new GenericData.Record(ORDER_V2);
        v2.put("customer_id", 8);
        v2.put("order_id", 80L);
        v2.put("note", "gift");

        RowData first = decoder.decode(framed(ORDER_V1, v1));
        RowData second = decoder.decode(framed(ORDER_V2, v2));

        assertThat(first.getInt(0)).isEqualTo(7);
        assertThat(first.getLong(1)).isEqualTo(70L);
        assertThat(first.isNullAt(2)).as("a column the old writer lacks is null").isTrue();
        assertThat(second.getLong(1)).isEqualTo(80L);
        assertThat(second.getString(2).toString()).isEqualTo("gift");
    }

    @Test
    void eachWriterSchemaIsFetchedOnce() throws Exception {
        AvroRowDataDecoder decoder =
                decoder(
                        rowType(
                                DataTypes.ROW(
                                        DataTypes.FIELD("order_id", DataTypes.INT().notNull()))));
        GenericRecord v1 = new GenericData.Record(ORDER_V1);
        v1.put("customer_id", 1);
        for (int i = 0; i < 100; i++) {
            v1.put("order_id", i);
            assertThat(decoder.decode(framed(ORDER_V1, v1)).getInt(0)).isEqualTo(i);
        }
        assertThat(registry.getByIdCalls).hasValue(1);
    }

    @Test
    void aNullableStringColumnOverARequiredWriterRecordHoldsItAsJson() throws Exception {
        // The writer's field is a record, not a union with null (Debezium's 'source' block).
        Schema address =
                SchemaBuilder.record("Address")
                        .fields()
                        .requiredString("street")
                        .requiredInt("zip")
                        .endRecord();
        Schema writer =
                SchemaBuilder.record("Customer")
                        .namespace("shop")
                        .fields()
                        .requiredInt("id")
                        .name("address")
                        .type(address)
                        .noDefault()
                        .endRecord();
        AvroRowDataDecoder decoder =
                decoder(
                        rowType(
                                DataTypes.ROW(
                                        DataTypes.FIELD("id", DataTypes.INT().notNull()),
                                        DataTypes.FIELD("address", DataTypes.STRING()))));
        GenericRecord value = new GenericData.Record(address);
        value.put("street", "Main St 1");
        value.put("zip", 12345);
        GenericRecord customer = new GenericData.Record(writer);
        customer.put("id", 3);
        customer.put("address", value);

        RowData row = decoder.decode(framed(writer, customer));

        assertThat(row.getString(1).toString())
                .isEqualTo("{\"street\": \"Main St 1\", \"zip\": 12345}");
    }

    @Test
    void aNotNullColumnTheWriterLacksIsAnIncompatibleRecord() {
        AvroRowDataDecoder decoder =
                decoder(
                        rowType(
                                DataTypes.ROW(
                                        DataTypes.FIELD("order_id", DataTypes.INT().notNull()),
                                        DataTypes.FIELD("note", DataTypes.STRING().notNull()))));
        GenericRecord v1 = new GenericData.Record(ORDER_V1);
        v1.put("customer_id", 1);
        v1.put("order_id", 2);
        byte[] message = framed(ORDER_V1, v1);

        assertThatThrownBy(() -> decoder.decode(message))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("note")
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.INCOMPATIBLE_SCHEMA));
    }

    @Test
    void unknownIdsAndGarbageAreBadRecords() {
        AvroRowDataDecoder decoder =
                decoder(
                        rowType(
                                DataTypes.ROW(
                                        DataTypes.FIELD("order_id", DataTypes.INT().notNull()))));
        assertThatThrownBy(() -> decoder.decode(new byte[] {0, 0, 0, 0x7f, 1, 2}))
                .isInstanceOf(WireFormatException.class)
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.UNKNOWN_SCHEMA_ID));
        assertThatThrownBy(() -> decoder.decode("not avro".getBytes()))
                .isInstanceOf(WireFormatException.class)
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.BAD_MAGIC_BYTE));
        GenericRecord v1 = new GenericData.Record(ORDER_V1);
        v1.put("customer_id", 1);
        v1.put("order_id", 2);
        byte[] good = framed(ORDER_V1, v1);
        byte[] truncated = java.util.Arrays.copyOf(good, 6);
        assertThatThrownBy(() -> decoder.decode(truncated))
                .isInstanceOf(WireFormatException.class)
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.TRUNCATED_BODY));
    }

    @Test
    void everyMappedTypeDecodes() throws Exception {
        Schema decimal = LogicalTypes.decimal(10, 2).addToSchema(Schema.create(Schema.Type.BYTES));
        Schema date = LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
        Schema tsMicros =
                LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
        Schema item = SchemaBuilder.record("Item").fields().requiredString("sku").endRecord();
        Schema writer =
                SchemaBuilder.record("Everything")
                        .namespace("test")
                        .fields()
                        .requiredBoolean("flag")
                        .requiredDouble("price")
                        .requiredFloat("ratio")
                        .name("status")
                        .type()
                        .enumeration("Status")
                        .symbols("NEW", "PAID")
                        .noDefault()
                        .name("amount")
                        .type(decimal)
                        .noDefault()
                        .name("day")
                        .type(date)
                        .noDefault()
                        .name("at")
                        .type(tsMicros)
                        .noDefault()
                        .requiredBytes("blob")
                        .name("tags")
                        .type()
                        .array()
                        .items()
                        .stringType()
                        .noDefault()
                        .name("counts")
                        .type()
                        .map()
                        .values()
                        .longType()
                        .noDefault()
                        .name("items")
                        .type()
                        .array()
                        .items(item)
                        .noDefault()
                        .endRecord();
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        GenericRecord sku = new GenericData.Record(item);
        sku.put("sku", "A-1");
        GenericRecord record = new GenericData.Record(writer);
        record.put("flag", true);
        record.put("price", 9.5);
        record.put("ratio", 0.25f);
        record.put(
                "status", new GenericData.EnumSymbol(writer.getField("status").schema(), "PAID"));
        record.put(
                "amount",
                new Conversions.DecimalConversion()
                        .toBytes(new BigDecimal("12.34"), decimal, decimal.getLogicalType()));
        record.put("day", (int) LocalDate.of(2026, 11, 26).toEpochDay());
        record.put("at", 1_700_000_000_123_456L);
        record.put("blob", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        record.put("tags", List.of("a", "b"));
        record.put("counts", Map.of("x", 3L));
        record.put("items", List.of(sku));

        AvroRowDataDecoder decoder =
                decoder(
                        rowType(
                                DataTypes.ROW(
                                        DataTypes.FIELD("flag", DataTypes.BOOLEAN().notNull()),
                                        DataTypes.FIELD("price", DataTypes.DOUBLE().notNull()),
                                        DataTypes.FIELD("ratio", DataTypes.FLOAT().notNull()),
                                        DataTypes.FIELD("status", DataTypes.STRING().notNull()),
                                        DataTypes.FIELD(
                                                "amount", DataTypes.DECIMAL(10, 2).notNull()),
                                        DataTypes.FIELD("day", DataTypes.DATE().notNull()),
                                        DataTypes.FIELD("at", DataTypes.TIMESTAMP_LTZ(6).notNull()),
                                        DataTypes.FIELD("blob", DataTypes.BYTES().notNull()),
                                        DataTypes.FIELD(
                                                "tags",
                                                DataTypes.ARRAY(DataTypes.STRING().notNull())
                                                        .notNull()),
                                        DataTypes.FIELD(
                                                "counts",
                                                DataTypes.MAP(
                                                                DataTypes.STRING().notNull(),
                                                                DataTypes.BIGINT().notNull())
                                                        .notNull()),
                                        DataTypes.FIELD(
                                                "items",
                                                DataTypes.ARRAY(
                                                                DataTypes.ROW(
                                                                                DataTypes.FIELD(
                                                                                        "sku",
                                                                                        DataTypes
                                                                                                .STRING()
                                                                                                .notNull()))
                                                                        .notNull())
                                                        .notNull()))));

        RowData row = decoder.decode(framed(writer, record));

        assertThat(row.getBoolean(0)).isTrue();
        assertThat(row.getDouble(1)).isEqualTo(9.5);
        assertThat(row.getFloat(2)).isEqualTo(0.25f);
        assertThat(row.getString(3).toString()).isEqualTo("PAID");
        assertThat(row.getDecimal(4, 10, 2).toBigDecimal()).isEqualByComparingTo("12.34");
        assertThat(row.getInt(5)).isEqualTo((int) LocalDate.of(2026, 11, 26).toEpochDay());
        assertThat(row.getTimestamp(6, 6).getMillisecond()).isEqualTo(1_700_000_000_123L);
        assertThat(row.getTimestamp(6, 6).getNanoOfMillisecond()).isEqualTo(456_000);
        assertThat(row.getBinary(7)).containsExactly(1, 2, 3);
        assertThat(row.getArray(8).getString(1).toString()).isEqualTo("b");
        assertThat(row.getMap(9).keyArray().getString(0).toString()).isEqualTo("x");
        assertThat(row.getMap(9).valueArray().getLong(0)).isEqualTo(3L);
        assertThat(row.getArray(10).getRow(0, 1).getString(0).toString()).isEqualTo("A-1");
    }

    @Test
    void writerOnlyStringAndBytesFieldsBeforeTheColumnsAreSkippedWhole() throws Exception {
        Schema writer =
                SchemaBuilder.record("Order")
                        .namespace("shop")
                        .fields()
                        .requiredString("note")
                        .requiredBytes("blob")
                        .requiredInt("order_id")
                        .requiredString("tail")
                        .endRecord();
        GenericRecord record = new GenericData.Record(writer);
        record.put(
                "note", "a note longer than a byte's worth of length prefix: " + "x".repeat(200));
        record.put("blob", ByteBuffer.wrap(new byte[300]));
        record.put("order_id", 42);
        record.put("tail", "end");
        AvroRowDataDecoder decoder =
                decoder(
                        rowType(
                                DataTypes.ROW(
                                        DataTypes.FIELD("order_id", DataTypes.INT().notNull()))));

        RowData row = decoder.decode(framed(writer, record));

        assertThat(row.getInt(0)).isEqualTo(42);
    }

    @Test
    void bareAvroIsReadWithTheTablesOwnSchema() throws Exception {
        RowType rowType =
                rowType(
                        DataTypes.ROW(
                                DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                DataTypes.FIELD("note", DataTypes.STRING())));
        Schema schema = SqlToAvroSchema.convert(rowType, "record");
        GenericRecord record = new GenericData.Record(schema);
        record.put("customer_id", 3);
        record.put("note", null);
        byte[] framedBytes =
                new AvroRegistrySerializer(schema, 1, GenericData.get()).serialize(record);
        byte[] bare = java.util.Arrays.copyOfRange(framedBytes, 5, framedBytes.length);

        AvroRowDataDecoder decoder = new AvroRowDataDecoder(rowType, "record", null);
        decoder.open();
        RowData row = decoder.decode(bare);

        assertThat(row.getInt(0)).isEqualTo(3);
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(registry.getByIdCalls).hasValue(0);
        assertThat(SchemaDefinition.avro(schema.toString()).text()).contains("\"default\":null");
    }

    @Test
    void aColumnMatchesAWriterFieldThatListsItAsAnAlias() throws Exception {
        Schema renamed =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\","
                                        + "\"fields\":[{\"name\":\"buyer_id\",\"type\":\"int\","
                                        + "\"aliases\":[\"customer_id\"]}]}");
        GenericRecord record = new GenericData.Record(renamed);
        record.put("buyer_id", 12);
        AvroRowDataDecoder decoder =
                decoder(
                        rowType(
                                DataTypes.ROW(
                                        DataTypes.FIELD(
                                                "customer_id", DataTypes.INT().notNull()))));

        assertThat(decoder.decode(framed(renamed, record)).getInt(0)).isEqualTo(12);
    }
}
