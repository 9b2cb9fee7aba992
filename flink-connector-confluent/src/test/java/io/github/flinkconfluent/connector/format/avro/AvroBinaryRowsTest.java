package io.github.flinkconfluent.connector.format.avro;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.binary.BinaryRowData;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.ResolvingDecoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The binary rows of flat records hold the values the generic rows hold, field by field. */
class AvroBinaryRowsTest {

    private static final RowType FLAT =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                                    DataTypes.FIELD("qty", DataTypes.INT()),
                                    DataTypes.FIELD("tiny", DataTypes.TINYINT()),
                                    DataTypes.FIELD("small", DataTypes.SMALLINT()),
                                    DataTypes.FIELD("name", DataTypes.STRING()),
                                    DataTypes.FIELD("code", DataTypes.STRING().notNull()),
                                    DataTypes.FIELD("price", DataTypes.DOUBLE()),
                                    DataTypes.FIELD("ratio", DataTypes.FLOAT()),
                                    DataTypes.FIELD("ok", DataTypes.BOOLEAN()),
                                    DataTypes.FIELD("day", DataTypes.DATE()),
                                    DataTypes.FIELD("at", DataTypes.TIME(3)),
                                    DataTypes.FIELD("created", DataTypes.TIMESTAMP(3)),
                                    DataTypes.FIELD("fine", DataTypes.TIMESTAMP(6)),
                                    DataTypes.FIELD("seen", DataTypes.TIMESTAMP_LTZ(3)))
                            .getLogicalType();

    @Test
    void flatRowsAreBinaryWithTheGenericRowsValues() throws Exception {
        Schema schema = SqlToAvroSchema.convert(FLAT, "test.Flat");
        assertThat(AvroBinaryRows.forRow(schema, FLAT)).isNotNull();
        Random random = new Random(20);
        for (int n = 0; n < 2_000; n++) {
            byte[] bytes = encode(schema, randomRecord(schema, random));
            RowData binary = decode(schema, AvroRowReaders.forRow(schema, FLAT), bytes);
            RowData generic = decode(schema, AvroRowReaders.forGenericRow(schema, FLAT), bytes);
            assertThat(binary).isInstanceOf(BinaryRowData.class);
            assertThat(generic).isInstanceOf(GenericRowData.class);
            assertThat(fields(binary)).isEqualTo(fields(generic));
        }
    }

    @Test
    void anEnumColumnIsReadAsItsSymbol() throws Exception {
        Schema schema =
                SchemaBuilder.record("E")
                        .fields()
                        .name("status")
                        .type()
                        .enumeration("Status")
                        .symbols("NEW", "PAID", "SHIPPED")
                        .noDefault()
                        .endRecord();
        RowType type =
                (RowType)
                        DataTypes.ROW(DataTypes.FIELD("status", DataTypes.STRING().notNull()))
                                .getLogicalType();
        GenericRecord record = new GenericData.Record(schema);
        record.put(
                "status", new GenericData.EnumSymbol(schema.getField("status").schema(), "PAID"));
        RowData row = decode(schema, AvroRowReaders.forRow(schema, type), encode(schema, record));
        assertThat(row).isInstanceOf(BinaryRowData.class);
        assertThat(row.getString(0).toString()).isEqualTo("PAID");
    }

    @Test
    void rowsWithNestedColumnsStayGeneric() {
        RowType nested =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("id", DataTypes.BIGINT()),
                                        DataTypes.FIELD(
                                                "tags", DataTypes.ARRAY(DataTypes.STRING())))
                                .getLogicalType();
        assertThat(AvroBinaryRows.forRow(SqlToAvroSchema.convert(nested, "test.N"), nested))
                .isNull();
    }

    private static List<String> fields(RowData row) {
        List<String> values = new ArrayList<>();
        values.add(row.getRowKind().shortString());
        for (int i = 0; i < FLAT.getFieldCount(); i++) {
            Object value = RowData.createFieldGetter(FLAT.getTypeAt(i), i).getFieldOrNull(row);
            values.add(value == null ? "null" : value.getClass().getSimpleName() + ":" + value);
        }
        return values;
    }

    private static RowData decode(Schema schema, AvroRowReaders.ValueReader reader, byte[] bytes)
            throws Exception {
        ResolvingDecoder decoder = DecoderFactory.get().resolvingDecoder(schema, schema, null);
        decoder.configure(DecoderFactory.get().binaryDecoder(bytes, null));
        RowData row = (RowData) reader.read(decoder);
        decoder.drain();
        return row;
    }

    private static byte[] encode(Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** Random values, null in a third of the nullable fields; strings of any length and script. */
    private static GenericRecord randomRecord(Schema schema, Random random) {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            Schema type = field.schema();
            if (type.getType() == Schema.Type.UNION) {
                if (random.nextInt(3) == 0) {
                    continue; // null
                }
                type =
                        type.getTypes()
                                .get(type.getTypes().get(0).getType() == Schema.Type.NULL ? 1 : 0);
            }
            record.put(field.name(), value(type, random));
        }
        return record;
    }

    private static Object value(Schema type, Random random) {
        switch (type.getType()) {
            case STRING:
                StringBuilder text = new StringBuilder();
                String alphabet = "abcXYZ 09é日😀\"\\";
                for (int i = random.nextInt(20); i > 0; i--) {
                    text.appendCodePoint(
                            alphabet.codePointAt(
                                    alphabet.offsetByCodePoints(
                                            0,
                                            random.nextInt(
                                                    alphabet.codePointCount(
                                                            0, alphabet.length())))));
                }
                return text.toString();
            case INT:
                if (type.getLogicalType() instanceof LogicalTypes.Date) {
                    return random.nextInt(100_000) - 50_000;
                } else if (type.getLogicalType() instanceof LogicalTypes.TimeMillis) {
                    return random.nextInt(86_400_000);
                }
                return random.nextInt();
            case LONG:
                return random.nextLong() % 100_000_000_000_000L;
            case FLOAT:
                return random.nextFloat() * 1000;
            case DOUBLE:
                return random.nextDouble() * 1e9 - 5e8;
            case BOOLEAN:
                return random.nextBoolean();
            default:
                throw new IllegalArgumentException(type.toString());
        }
    }
}
