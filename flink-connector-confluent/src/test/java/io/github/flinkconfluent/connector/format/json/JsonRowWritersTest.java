package io.github.flinkconfluent.connector.format.json;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming JSON writers produce exactly the bytes of the former tree encoding ({@link
 * JsonTreeEncoding}) for random rows of every type the format writes, nulls, extreme numbers and
 * nesting included.
 */
class JsonRowWritersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final RowType TYPE =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("s", DataTypes.STRING()),
                                    DataTypes.FIELD("b", DataTypes.BOOLEAN()),
                                    DataTypes.FIELD("t", DataTypes.TINYINT()),
                                    DataTypes.FIELD("sm", DataTypes.SMALLINT()),
                                    DataTypes.FIELD("i", DataTypes.INT()),
                                    DataTypes.FIELD("l", DataTypes.BIGINT().notNull()),
                                    DataTypes.FIELD("f", DataTypes.FLOAT()),
                                    DataTypes.FIELD("d", DataTypes.DOUBLE()),
                                    DataTypes.FIELD("dec", DataTypes.DECIMAL(12, 4)),
                                    DataTypes.FIELD("bytes", DataTypes.BYTES()),
                                    DataTypes.FIELD("date", DataTypes.DATE()),
                                    DataTypes.FIELD("time", DataTypes.TIME(3)),
                                    DataTypes.FIELD("ts", DataTypes.TIMESTAMP(6)),
                                    DataTypes.FIELD("ltz", DataTypes.TIMESTAMP_LTZ(3)),
                                    DataTypes.FIELD("arr", DataTypes.ARRAY(DataTypes.INT())),
                                    DataTypes.FIELD(
                                            "map",
                                            DataTypes.MAP(DataTypes.STRING(), DataTypes.DOUBLE())),
                                    DataTypes.FIELD(
                                            "nested",
                                            DataTypes.ROW(
                                                    DataTypes.FIELD("x", DataTypes.DECIMAL(5, 0)),
                                                    DataTypes.FIELD(
                                                            "y",
                                                            DataTypes.ARRAY(DataTypes.STRING())))))
                            .getLogicalType();

    @Test
    void streamingWritesTheTreesBytesForRandomRows() throws Exception {
        JsonRowWriters.Writer writer = JsonRowWriters.create(TYPE);
        java.util.function.Function<Object, ?> tree = JsonTreeEncoding.of(TYPE);
        Random random = new Random(20261130);
        for (int n = 0; n < 5_000; n++) {
            RowData row = randomRow(random);
            // As the former encoder: bytes through Jackson's UTF-8 generator.
            String expected =
                    new String(MAPPER.writeValueAsBytes(tree.apply(row)), StandardCharsets.UTF_8);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (JsonGenerator out = MAPPER.getFactory().createGenerator(bytes)) {
                writer.write(out, row);
            }
            assertThat(bytes.toString(StandardCharsets.UTF_8)).as("row %s", n).isEqualTo(expected);
        }
    }

    @Test
    void theEncoderFramesWhatTheWritersWrite() {
        JsonRowDataEncoder bare = new JsonRowDataEncoder(TYPE, null, "t-value");
        bare.open();
        RowData row = randomRow(new Random(7));
        String expected;
        try {
            expected =
                    new String(
                            MAPPER.writeValueAsBytes(JsonTreeEncoding.of(TYPE).apply(row)),
                            StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(new String(bare.encode(row), StandardCharsets.UTF_8)).isEqualTo(expected);
        // Twice: the encoder reuses its buffer.
        assertThat(new String(bare.encode(row), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    private static RowData randomRow(Random random) {
        GenericRowData row = new GenericRowData(TYPE.getFieldCount());
        for (int i = 0; i < TYPE.getFieldCount(); i++) {
            LogicalType type = TYPE.getTypeAt(i);
            row.setField(i, type.isNullable() && random.nextInt(6) == 0 ? null : value(i, random));
        }
        return row;
    }

    private static Object value(int field, Random random) {
        switch (field) {
            case 0:
                return StringData.fromString(text(random));
            case 1:
                return random.nextBoolean();
            case 2:
                return (byte) random.nextInt();
            case 3:
                return (short) random.nextInt();
            case 4:
                return random.nextInt();
            case 5:
                return random.nextLong();
            case 6:
                float[] floats = {Float.NaN, Float.MAX_VALUE, -0.0f, 1e-40f, random.nextFloat()};
                return floats[random.nextInt(floats.length)];
            case 7:
                double[] doubles = {
                    Double.POSITIVE_INFINITY, Double.MIN_VALUE, 0.0, 1e300, random.nextGaussian()
                };
                return doubles[random.nextInt(doubles.length)];
            case 8:
                String[] decimals = {"0.0000", "100.0000", "12.5000", "-0.0100", "99999999.9999"};
                return DecimalData.fromBigDecimal(
                        random.nextBoolean()
                                ? new BigDecimal(decimals[random.nextInt(decimals.length)])
                                : BigDecimal.valueOf(random.nextInt(), 4),
                        12,
                        4);
            case 9:
                byte[] bytes = new byte[random.nextInt(12)];
                random.nextBytes(bytes);
                return bytes;
            case 10:
                return random.nextInt(100_000) - 50_000;
            case 11:
                return random.nextInt(86_400_000);
            case 12:
                return TimestampData.fromEpochMillis(
                        random.nextLong() % 4_000_000_000_000L, random.nextInt(1_000_000));
            case 13:
                return TimestampData.fromEpochMillis(random.nextLong() % 4_000_000_000_000L);
            case 14:
                Integer[] ints = new Integer[random.nextInt(4)];
                for (int i = 0; i < ints.length; i++) {
                    ints[i] = random.nextInt(5) == 0 ? null : random.nextInt();
                }
                return new GenericArrayData(ints);
            case 15:
                Map<StringData, Double> map = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(
                            StringData.fromString(text(random)),
                            random.nextInt(5) == 0 ? null : random.nextDouble());
                }
                return new GenericMapData(map);
            default:
                return GenericRowData.of(
                        random.nextBoolean()
                                ? null
                                : DecimalData.fromBigDecimal(
                                        BigDecimal.valueOf(random.nextInt(99_999)), 5, 0),
                        new GenericArrayData(
                                new StringData[] {StringData.fromString(text(random)), null}));
        }
    }

    /** Text with quotes, control characters, non-ASCII and surrogate pairs. */
    private static String text(Random random) {
        String[] parts = {"a", "\"", "\\", "\n", "\u0001", "é", "日本", "\uD83D\uDE00", "</", " "};
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            text.append(parts[random.nextInt(parts.length)]);
        }
        return text.toString();
    }
}
