package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Avro decimals written at one scale and read at another: the value is rescaled from the writer's
 * scale to the reader's (rounding half up), and a value that does not fit the reader's precision is
 * a bad record, never a wrong number or a silent NULL. Both decoding paths: rows ({@link
 * AvroRowDataDecoder}) and Avro records ({@link AvroRegistryDeserializer}).
 */
class AvroDecimalScaleTest {

    private static final Conversions.DecimalConversion DECIMALS =
            new Conversions.DecimalConversion();

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    private static Schema bytesDecimal(int precision, int scale) {
        return LogicalTypes.decimal(precision, scale).addToSchema(Schema.create(Schema.Type.BYTES));
    }

    private static Schema fixedDecimal(String name, int size, int precision, int scale) {
        return LogicalTypes.decimal(precision, scale)
                .addToSchema(Schema.createFixed(name, null, "shop", size));
    }

    private static Schema order(Schema amount) {
        return SchemaBuilder.record("Order")
                .namespace("shop")
                .fields()
                .name("amount")
                .type(amount)
                .noDefault()
                .endRecord();
    }

    /** The Avro value of {@code value} in {@code schema} (bytes or fixed decimal, or a union). */
    private static Object avroDecimal(String value, Schema schema) {
        Schema decimal = schema;
        if (schema.getType() == Schema.Type.UNION) {
            if (value == null) {
                return null;
            }
            decimal = schema.getTypes().get(1);
        }
        LogicalTypes.Decimal type = (LogicalTypes.Decimal) decimal.getLogicalType();
        BigDecimal number = new BigDecimal(value).setScale(type.getScale());
        return decimal.getType() == Schema.Type.FIXED
                ? DECIMALS.toFixed(number, decimal, type)
                : DECIMALS.toBytes(number, decimal, type);
    }

    private byte[] framed(Schema writer, Object amount) {
        GenericRecord record = new GenericData.Record(writer);
        record.put("amount", amount);
        return new AvroRegistrySerializer(registry, "orders-value", writer, true).serialize(record);
    }

    private RowData decodeRow(DataType column, byte[] message) throws WireFormatException {
        RowType rowType =
                (RowType) DataTypes.ROW(DataTypes.FIELD("amount", column)).getLogicalType();
        AvroRowDataDecoder decoder = new AvroRowDataDecoder(rowType, "record", () -> registry);
        decoder.open();
        return decoder.decode(message);
    }

    private static BigDecimal amount(RowData row, DataType column) {
        org.apache.flink.table.types.logical.DecimalType type =
                (org.apache.flink.table.types.logical.DecimalType) column.getLogicalType();
        return row.isNullAt(0)
                ? null
                : row.getDecimal(0, type.getPrecision(), type.getScale()).toBigDecimal();
    }

    @ParameterizedTest(name = "{0} decimal({1},{2}) {3} read as DECIMAL({4},{5}) = {6}")
    @CsvSource({
        // The case: a smaller scale rounds half up (12.3456 -> 12.35), never 1234.56.
        "bytes, 10, 4, 12.3456, 10, 2, 12.35",
        "fixed, 10, 4, 12.3456, 10, 2, 12.35",
        // A larger scale pads with zeros (12.34 -> 12.3400), never 0.1234.
        "bytes, 10, 2, 12.34, 10, 4, 12.3400",
        "fixed, 10, 2, 12.34, 10, 4, 12.3400",
        // Equal scales, other precisions.
        "bytes, 10, 2, 12.34, 10, 2, 12.34",
        "bytes, 20, 2, 12345678.91, 10, 2, 12345678.91",
        "fixed, 5, 2, 123.45, 38, 2, 123.45",
        // Half up is away from zero for negative values.
        "bytes, 10, 3, -12.345, 10, 2, -12.35",
        "fixed, 10, 3, -0.005, 10, 2, -0.01",
        "bytes, 10, 3, 0.004, 10, 2, 0.00",
        // A writer with a negative unscaled value needing sign extension in a wider fixed.
        "fixed, 30, 10, -1.0000000001, 38, 12, -1.000000000100",
    })
    void rowsHoldTheWritersValueAtTheColumnsScale(
            String encoding,
            int writerPrecision,
            int writerScale,
            String written,
            int precision,
            int scale,
            String expected)
            throws Exception {
        Schema amountSchema =
                encoding.equals("fixed")
                        ? fixedDecimal("Amount", 16, writerPrecision, writerScale)
                        : bytesDecimal(writerPrecision, writerScale);
        Schema writer = order(amountSchema);
        DataType column = DataTypes.DECIMAL(precision, scale).notNull();

        RowData row = decodeRow(column, framed(writer, avroDecimal(written, amountSchema)));

        assertThat(amount(row, column)).isEqualTo(new BigDecimal(expected));
    }

    @Test
    void nullableDecimalsAreRescaledAndNullStaysNull() throws Exception {
        Schema amountSchema =
                Schema.createUnion(Schema.create(Schema.Type.NULL), bytesDecimal(10, 4));
        Schema writer = order(amountSchema);
        DataType column = DataTypes.DECIMAL(10, 2);

        assertThat(
                        amount(
                                decodeRow(
                                        column,
                                        framed(writer, avroDecimal("1.2345", amountSchema))),
                                column))
                .isEqualTo(new BigDecimal("1.23"));
        assertThat(amount(decodeRow(column, framed(writer, null)), column)).isNull();
    }

    @Test
    void decimalsInsideArraysAndRowsAreRescaled() throws Exception {
        Schema decimal = bytesDecimal(10, 4);
        Schema line =
                SchemaBuilder.record("Line")
                        .namespace("shop")
                        .fields()
                        .name("price")
                        .type(decimal)
                        .noDefault()
                        .endRecord();
        Schema writer =
                SchemaBuilder.record("Order")
                        .namespace("shop")
                        .fields()
                        .name("amount")
                        .type()
                        .array()
                        .items(decimal)
                        .noDefault()
                        .name("line")
                        .type(line)
                        .noDefault()
                        .endRecord();
        GenericRecord lineRecord = new GenericData.Record(line);
        lineRecord.put("price", avroDecimal("0.5050", decimal));
        GenericRecord record = new GenericData.Record(writer);
        record.put(
                "amount", List.of(avroDecimal("1.2345", decimal), avroDecimal("9.9999", decimal)));
        record.put("line", lineRecord);
        byte[] message =
                new AvroRegistrySerializer(registry, "orders-value", writer, true)
                        .serialize(record);
        RowType rowType =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD(
                                                "amount",
                                                DataTypes.ARRAY(DataTypes.DECIMAL(6, 2).notNull())
                                                        .notNull()),
                                        DataTypes.FIELD(
                                                "line",
                                                DataTypes.ROW(
                                                                DataTypes.FIELD(
                                                                        "price",
                                                                        DataTypes.DECIMAL(4, 1)
                                                                                .notNull()))
                                                        .notNull()))
                                .getLogicalType();
        AvroRowDataDecoder decoder = new AvroRowDataDecoder(rowType, "record", () -> registry);
        decoder.open();

        RowData row = decoder.decode(message);

        assertThat(row.getArray(0).getDecimal(0, 6, 2).toBigDecimal()).isEqualTo("1.23");
        assertThat(row.getArray(0).getDecimal(1, 6, 2).toBigDecimal()).isEqualTo("10.00");
        assertThat(row.getRow(1, 1).getDecimal(0, 4, 1).toBigDecimal()).isEqualTo("0.5");
    }

    @ParameterizedTest(name = "{0} decimal({1},{2}) {3} into DECIMAL({4},{5})")
    @CsvSource({
        // More integer digits than the column holds.
        "bytes, 12, 2, 1234567890.12, 10, 2",
        "fixed, 12, 2, 1234567890.12, 10, 2",
        // Fits the digits, but not once padded to the larger scale.
        "bytes, 10, 2, 12345678.91, 10, 4",
        // Rounding carries into one digit too many.
        "bytes, 11, 3, 99999999.995, 10, 2",
        "fixed, 11, 3, -99999999.995, 10, 2",
    })
    void aValueTooLargeForTheColumnIsABadRecordNamingTheColumn(
            String encoding,
            int writerPrecision,
            int writerScale,
            String written,
            int precision,
            int scale) {
        Schema amountSchema =
                encoding.equals("fixed")
                        ? fixedDecimal("Amount", 16, writerPrecision, writerScale)
                        : bytesDecimal(writerPrecision, writerScale);
        byte[] message = framed(order(amountSchema), avroDecimal(written, amountSchema));

        for (DataType column :
                List.of(
                        DataTypes.DECIMAL(precision, scale).notNull(),
                        DataTypes.DECIMAL(precision, scale))) {
            assertThatThrownBy(() -> decodeRow(column, message))
                    .as("never NULL, never a wrong number (%s)", column)
                    .isInstanceOf(WireFormatException.class)
                    .hasMessageContaining("amount")
                    .hasMessageContaining(written)
                    .hasMessageContaining("DECIMAL(" + precision + ", " + scale + ")")
                    .satisfies(
                            e ->
                                    assertThat(((WireFormatException) e).reason())
                                            .isEqualTo(Reason.SCHEMA_VIOLATION));
        }
    }

    @Test
    void unscaledBytesFarBeyondAnyPrecisionAreRejectedWithoutArithmetic() {
        // A hostile writer: the schema says decimal(10, 2) but the value has 100 000 bytes.
        Schema amountSchema = bytesDecimal(10, 2);
        byte[] huge = new byte[100_000];
        huge[0] = 0x40;
        byte[] message = framed(order(amountSchema), ByteBuffer.wrap(huge));

        assertThatThrownBy(() -> decodeRow(DataTypes.DECIMAL(10, 2).notNull(), message))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("amount")
                .hasMessageContaining("100000 bytes");
    }

    @Test
    void aDecimalWithNoBytesIsMalformed() {
        byte[] message = framed(order(bytesDecimal(10, 2)), ByteBuffer.wrap(new byte[0]));

        assertThatThrownBy(() -> decodeRow(DataTypes.DECIMAL(10, 2).notNull(), message))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("amount")
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.MALFORMED_BODY));
    }

    @Test
    void aDecimalColumnOverAWriterStringIsRefusedNotReadAsTheTextsBytes() {
        // Avro resolution promotes string to bytes, so without a check the UTF-8 bytes of "12.34"
        // (0x31322e3334) would be read as an unscaled number: 2109894604.04, silently.
        byte[] message = framed(order(Schema.create(Schema.Type.STRING)), "12.34");

        assertThatThrownBy(() -> decodeRow(DataTypes.DECIMAL(12, 2).notNull(), message))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("amount")
                .hasMessageContaining("DECIMAL")
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.INCOMPATIBLE_SCHEMA));
    }

    // ---------------------------------------------------------------- the GenericRecord path

    private Object deserialize(Schema reader, GenericData data, byte[] message)
            throws WireFormatException {
        GenericRecord record =
                (GenericRecord)
                        new AvroRegistryDeserializer(registry, reader, data).deserialize(message);
        return record.get("amount");
    }

    private static GenericData withDecimals() {
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new Conversions.DecimalConversion());
        return data;
    }

    @ParameterizedTest(name = "{0} decimal({1},{2}) {3} read as decimal({4},{5}) = {6}")
    @CsvSource({
        "bytes, 10, 4, 12.3456, 10, 2, 12.35",
        "fixed, 10, 4, 12.3456, 10, 2, 12.35",
        "bytes, 10, 2, 12.34, 12, 4, 12.3400",
        "fixed, 10, 2, -12.34, 12, 4, -12.3400",
        "bytes, 10, 2, 12.34, 10, 2, 12.34",
    })
    void recordsHoldTheWritersValueAtTheReadersScale(
            String encoding,
            int writerPrecision,
            int writerScale,
            String written,
            int precision,
            int scale,
            String expected)
            throws Exception {
        boolean fixed = encoding.equals("fixed");
        Schema writerAmount =
                fixed
                        ? fixedDecimal("Amount", 8, writerPrecision, writerScale)
                        : bytesDecimal(writerPrecision, writerScale);
        Schema readerAmount =
                fixed
                        ? fixedDecimal("Amount", 8, precision, scale)
                        : bytesDecimal(precision, scale);
        byte[] message = framed(order(writerAmount), avroDecimal(written, writerAmount));

        // With Avro's decimal conversion: a BigDecimal at the reader's scale.
        assertThat(deserialize(order(readerAmount), withDecimals(), message))
                .isEqualTo(new BigDecimal(expected));
        // Without conversions: the reader's own encoding of that value, at the reader's scale.
        Object raw = deserialize(order(readerAmount), GenericData.get(), message);
        byte[] unscaled;
        if (fixed) {
            unscaled = ((GenericFixed) raw).bytes();
            assertThat(unscaled).hasSize(8);
        } else {
            ByteBuffer buffer = (ByteBuffer) raw;
            unscaled = new byte[buffer.remaining()];
            buffer.get(unscaled);
        }
        assertThat(new BigDecimal(new BigInteger(unscaled), scale))
                .isEqualTo(new BigDecimal(expected));
    }

    @Test
    void recordsWithAValueTooLargeForTheReaderAreBadRecords() {
        byte[] message =
                framed(
                        order(bytesDecimal(12, 4)),
                        avroDecimal("12345678.1234", bytesDecimal(12, 4)));

        assertThatThrownBy(() -> deserialize(order(bytesDecimal(8, 2)), withDecimals(), message))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("amount")
                .hasMessageContaining("12345678.1234")
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.SCHEMA_VIOLATION));
    }

    @Test
    void recordsReadWithTheirOwnSchemaKeepTheirScale() throws Exception {
        byte[] message =
                framed(order(bytesDecimal(10, 4)), avroDecimal("12.3456", bytesDecimal(10, 4)));

        assertThat(deserialize(null, withDecimals(), message)).isEqualTo(new BigDecimal("12.3456"));
    }
}
