package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming path of the {@code json} source ({@link JsonStreamReaders}) against the tree path
 * ({@link JsonRowConverters}), which defines what a record means: for every record both give the
 * same row, or the same bad-data reason and message; and ordinary records do take the streaming
 * path.
 */
class JsonStreamReadersTest {

    private static final RowType TABLE =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("b", DataTypes.BOOLEAN()),
                                    DataTypes.FIELD("ti", DataTypes.TINYINT()),
                                    DataTypes.FIELD("si", DataTypes.SMALLINT()),
                                    DataTypes.FIELD("i", DataTypes.INT().notNull()),
                                    DataTypes.FIELD("l", DataTypes.BIGINT()),
                                    DataTypes.FIELD("f", DataTypes.FLOAT()),
                                    DataTypes.FIELD("d", DataTypes.DOUBLE()),
                                    DataTypes.FIELD("dec", DataTypes.DECIMAL(8, 2)),
                                    DataTypes.FIELD("wide", DataTypes.DECIMAL(38, 10)),
                                    DataTypes.FIELD("s", DataTypes.STRING()),
                                    DataTypes.FIELD("c", DataTypes.CHAR(3)),
                                    DataTypes.FIELD("bin", DataTypes.BYTES()),
                                    DataTypes.FIELD("day", DataTypes.DATE()),
                                    DataTypes.FIELD("t", DataTypes.TIME(3)),
                                    DataTypes.FIELD("ts", DataTypes.TIMESTAMP(3)),
                                    DataTypes.FIELD("ltz", DataTypes.TIMESTAMP_LTZ(9)),
                                    DataTypes.FIELD(
                                            "ints", DataTypes.ARRAY(DataTypes.INT().notNull())),
                                    DataTypes.FIELD("tags", DataTypes.ARRAY(DataTypes.STRING())),
                                    DataTypes.FIELD(
                                            "m",
                                            DataTypes.MAP(DataTypes.STRING(), DataTypes.INT())),
                                    DataTypes.FIELD(
                                            "addr",
                                            DataTypes.ROW(
                                                    DataTypes.FIELD(
                                                            "city", DataTypes.STRING().notNull()),
                                                    DataTypes.FIELD("zip", DataTypes.INT()),
                                                    DataTypes.FIELD(
                                                            "geo",
                                                            DataTypes.ROW(
                                                                    DataTypes.FIELD(
                                                                            "lat",
                                                                            DataTypes.DOUBLE()))))),
                                    DataTypes.FIELD(
                                            "lines",
                                            DataTypes.ARRAY(
                                                    DataTypes.ROW(
                                                            DataTypes.FIELD(
                                                                    "k", DataTypes.STRING()),
                                                            DataTypes.FIELD(
                                                                    "v",
                                                                    DataTypes.BIGINT()
                                                                            .notNull())))))
                            .getLogicalType();

    private static final String[] TIMESTAMPS = {
        "2026-11-26T10:15:30.250Z",
        "2026-11-26 10:15:30.25",
        "2026-11-26T10:15:30",
        "2026-11-26 10:15:30",
        "2026-11-26T10:15",
        "2026-02-29T00:00:00",
        "2024-02-29T23:59:59.999999999+05:30",
        "2024-02-29T23:59:59.1-08:00",
        "2024-02-29t23:59:59Z",
        "2024-02-29T23:59:59z",
        "2026-11-26T24:00:00",
        "2026-11-26T23:60:00",
        "2026-11-26T23:59:60",
        "2026-11-26T10:15:30.1234567890",
        "2026-11-26T10:15:30.",
        "2026-11-26 10:15:30Z",
        "2026-11-26 10:15:30+01:00",
        "2026-11-26T10:15:30+18:00",
        "2026-11-26T10:15:30-18:00",
        "2026-11-26T10:15:30+17:59",
        "2026-11-26T10:15:30+01:60",
        "2026-11-26T10:15:30-00:00",
        "2026-11-26T10:15:30+01:00:00",
        "2026-11-26T10:15:30+0100",
        "2026-11-26T10:15:30Z[UTC]",
        "+2026-11-26T10:15:30",
        "0000-01-01T00:00:00",
        "9999-12-31T23:59:59.999Z",
        "2026-13-01T00:00:00",
        "2026-00-10T00:00:00",
        "2026-11-26T10:15:3a",
        "2026-11-26X10:15:30",
        "2026-1-26T10:15:30",
        "2026-11-26T10:15:30.123 ",
        " 2026-11-26T10:15:30",
        "2026-11-26  10:15:30",
        "",
    };

    @Test
    void ordinaryRecordsTakeTheStreamingPathAndReadTheSameRowAsTheTree() throws Exception {
        JsonRowDataDecoder decoder = bare();
        String record =
                "{\"b\":true,\"ti\":-128,\"si\":32767,\"i\":5,\"l\":-9223372036854775808,"
                        + "\"f\":1.5,\"d\":-2.25e-3,\"dec\":12.345,\"wide\":\"-1234.5678901234\","
                        + "\"s\":{\"k\":[1,2.50,\"x\"]},\"c\":\"abc\",\"bin\":\"AAEC\","
                        + "\"day\":\"2026-11-26\",\"t\":\"12:30:00.5\",\"ts\":\"2026-11-26"
                        + " 10:15:30.25\",\"ltz\":\"2026-11-26T10:15:30.123456789+01:00\","
                        + "\"ints\":[1,2,3],\"tags\":[\"a\",null],\"m\":{\"x\":1,\"y\":null},"
                        + "\"unknown\":[{\"deep\":[1,{\"a\":null}]}],"
                        + "\"addr\":{\"zip\":1234,\"city\":\"Oslo\",\"geo\":{\"lat\":59.9}},"
                        + "\"lines\":[{\"v\":1},{\"k\":\"two\",\"v\":2,\"extra\":true}]}";
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);

        RowData streamed = decoder.decodeStreamedOnly(bytes);

        assertThat(streamed).as("an ordinary record is read by the streaming path").isNotNull();
        assertThat(describe(streamed)).isEqualTo(describe(decoder.decodeThroughTree(bytes)));
        assertThat(streamed.getTimestamp(14, 3))
                .isEqualTo(
                        TimestampData.fromLocalDateTime(
                                LocalDateTime.parse("2026-11-26T10:15:30.25")));
        assertThat(streamed.getString(9).toString()).isEqualTo("{\"k\":[1,2.5,\"x\"]}");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"i\":1,\"i\":2}", // a duplicate: the tree keeps the last one
                "{\"i\":1,\"addr\":{\"city\":\"a\",\"city\":\"b\"}}",
                "{\"i\":\"1\"}",
                "{\"i\":1,\"ti\":128}",
                "{\"i\":1,\"addr\":{\"zip\":1}}", // NOT NULL city absent
                "{\"i\":1,\"ints\":[1,null]}",
                "{\"i\":1,\"ts\":\"yesterday\"}",
                "[1]",
                "",
                "{\"i\":1"
            })
    void recordsTheStreamingPathIsNotCertainOfGoThroughTheTree(String record) throws Exception {
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        JsonRowDataDecoder decoder = bare();

        assertThat(decoder.decodeStreamedOnly(bytes)).isNull();
        assertThat(outcome(decoder, bytes, false)).isEqualTo(outcome(decoder, bytes, true));
    }

    @Test
    void randomRecordsReadTheSameAsThroughTheTree() {
        JsonRowDataDecoder decoder = bare();
        Random random = new Random(16);
        int streamed = 0;
        for (int n = 0; n < 10_000; n++) {
            String record = record(random);
            byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
            assertThat(outcome(decoder, bytes, false))
                    .as(record)
                    .isEqualTo(outcome(decoder, bytes, true));
            if (decoder.decodeStreamedOnly(bytes) != null) {
                streamed++;
            }
        }
        assertThat(streamed).as("records read by the streaming path").isGreaterThan(1_000);
    }

    /**
     * {@link #TABLE} without the columns the byte path leaves to Jackson (BYTES, DATE, TIME, MAP).
     */
    private static final RowType SIMPLE =
            new RowType(
                    TABLE.getFields().stream()
                            .filter(f -> !List.of("bin", "day", "t", "m").contains(f.getName()))
                            .collect(Collectors.toList()));

    @Test
    void recordsReadFromTheirBytesReadAsThroughTheTree() throws Exception {
        JsonRowDataDecoder decoder = new JsonRowDataDecoder(SIMPLE, null, false);
        decoder.open();
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        int id = registry.register("t-value", SchemaDefinition.json("{\"type\":\"object\"}"));
        JsonRowDataDecoder framedDecoder = new JsonRowDataDecoder(SIMPLE, () -> registry, false);
        framedDecoder.open();
        Random random = new Random(19);
        int fromBytes = 0;
        int framedFromBytes = 0;
        for (int n = 0; n < 20_000; n++) {
            String record = simpleRecord(random);
            byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
            assertThat(outcome(decoder, bytes, false))
                    .as(record)
                    .isEqualTo(outcome(decoder, bytes, true));
            if (decoder.decodeBytesOnly(bytes) != null) {
                fromBytes++;
            }
            byte[] framed = ConfluentWireFormat.frame(id, bytes, 0, bytes.length);
            assertThat(outcome(framedDecoder, framed, false))
                    .as(record)
                    .isEqualTo(outcome(framedDecoder, framed, true));
            if (framedDecoder.decodeBytesOnly(framed) != null) {
                framedFromBytes++;
            }
        }
        assertThat(fromBytes).as("records read from their bytes").isGreaterThan(1_500);
        assertThat(framedFromBytes).isEqualTo(fromBytes);
        // 2^54 + 2^30 + 1: as a double it is a tie between two floats, as a long it is not.
        byte[] big = "{\"i\":0,\"f\":18014399583223809}".getBytes(StandardCharsets.UTF_8);
        assertThat(decoder.decodeBytesOnly(big)).isNotNull();
        assertThat(outcome(decoder, big, false)).isEqualTo(outcome(decoder, big, true));
        // A table with a column the byte path does not read leaves every record to Jackson.
        assertThat(bare().decodeBytesOnly("{\"i\":1}".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void framedRecordsWithoutValidationAreStreamedWithTheSameErrors() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        int id = registry.register("t-value", SchemaDefinition.json("{\"type\":\"object\"}"));
        int avro =
                registry.register(
                        "u-value",
                        SchemaDefinition.avro(
                                "{\"type\":\"record\",\"name\":\"r\"," + "\"fields\":[]}"));
        JsonRowDataDecoder decoder = new JsonRowDataDecoder(TABLE, () -> registry, false);
        decoder.open();
        Random random = new Random(17);
        int streamed = 0;
        for (int n = 0; n < 2_000; n++) {
            byte[] body = record(random).getBytes(StandardCharsets.UTF_8);
            byte[] framed =
                    ConfluentWireFormat.frame(n % 50 == 0 ? avro : id, body, 0, body.length);
            assertThat(outcome(decoder, framed, false)).isEqualTo(outcome(decoder, framed, true));
            if (decoder.decodeStreamedOnly(framed) != null) {
                streamed++;
            }
        }
        assertThat(streamed).isGreaterThan(100);
        byte[] shortHeader = {0, 0, 0};
        assertThat(outcome(decoder, shortHeader, false))
                .isEqualTo(outcome(decoder, shortHeader, true))
                .startsWith("error");
    }

    @Test
    void decimalNumbersReadTheSameAsTheTextOfTheirDouble() {
        RowType decimals =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("a", DataTypes.DECIMAL(10, 2)),
                                        DataTypes.FIELD("b", DataTypes.DECIMAL(5, 0)),
                                        DataTypes.FIELD("c", DataTypes.DECIMAL(38, 10)),
                                        DataTypes.FIELD("d", DataTypes.DECIMAL(38, 0)),
                                        DataTypes.FIELD("e", DataTypes.DECIMAL(20, 3)))
                                .getLogicalType();
        JsonRowDataDecoder decoder = new JsonRowDataDecoder(decimals, null, false);
        decoder.open();
        Random random = new Random(18);
        int streamed = 0;
        for (int n = 0; n < 20_000; n++) {
            List<String> fields = new ArrayList<>();
            for (String name : decimals.getFieldNames()) {
                fields.add(quote(name) + ":" + decimal(random));
            }
            String record = "{" + String.join(",", fields) + "}";
            byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
            assertThat(outcome(decoder, bytes, false))
                    .as(record)
                    .isEqualTo(outcome(decoder, bytes, true));
            if (decoder.decodeStreamedOnly(bytes) != null) {
                streamed++;
            }
        }
        assertThat(streamed).isGreaterThan(1_000);
    }

    /** A JSON number with a fraction: on and off a column's grid, near halves and powers of 10. */
    private static String decimal(Random random) {
        String sign = random.nextInt(4) == 0 ? "-" : "";
        String integer =
                random.nextInt(5) == 0
                        ? "9".repeat(1 + random.nextInt(20))
                        : String.valueOf(
                                Math.abs(
                                        random.nextLong()
                                                % (long) Math.pow(10, random.nextInt(19))));
        int decimals = 1 + random.nextInt(random.nextBoolean() ? 3 : 16);
        StringBuilder fraction = new StringBuilder();
        for (int i = 0; i < decimals; i++) {
            fraction.append(random.nextInt(3) == 0 ? '5' : (char) ('0' + random.nextInt(10)));
        }
        return sign + integer + "." + fraction;
    }

    @Test
    void commonTimestampLayoutsAreReadAsJavaTimeReadsThem() {
        for (String text : TIMESTAMPS) {
            char[] chars = ("xx" + text + "yy").toCharArray();
            TimestampData fast = JsonStreamReaders.IsoTimestamps.parse(chars, 2, text.length());
            TimestampData reference = javaTime(text);
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(reference);
            }
        }
        assertThat(
                        JsonStreamReaders.IsoTimestamps.parse(
                                "2026-11-26T10:15:30Z".toCharArray(), 0, 20))
                .isEqualTo(TimestampData.fromInstant(Instant.parse("2026-11-26T10:15:30Z")));
        assertThat(
                        JsonStreamReaders.IsoTimestamps.parse(
                                "2026-11-26 10:15:30.5".toCharArray(), 0, 21))
                .isEqualTo(
                        TimestampData.fromLocalDateTime(
                                LocalDateTime.parse("2026-11-26T10:15:30.5")));
    }

    /** What the tree path's timestamp parse gives, or null where it rejects the text. */
    private static TimestampData javaTime(String text) {
        try {
            return TimestampData.fromInstant(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return TimestampData.fromLocalDateTime(LocalDateTime.parse(text.replace(' ', 'T')));
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static JsonRowDataDecoder bare() {
        JsonRowDataDecoder decoder = new JsonRowDataDecoder(TABLE, null, false);
        decoder.open();
        return decoder;
    }

    /** The row, or the error's reason and message. */
    static String outcome(JsonRowDataDecoder decoder, byte[] bytes, boolean tree) {
        try {
            return "row "
                    + describe(tree ? decoder.decodeThroughTree(bytes) : decoder.decode(bytes));
        } catch (WireFormatException e) {
            return "error " + e.reason() + ": " + e.getMessage();
        }
    }

    /** Every value, nested ones included (Flink's arrays and maps print no elements). */
    private static String describe(Object value) {
        if (value instanceof GenericRowData row) {
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < row.getArity(); i++) {
                fields.add(describe(row.getField(i)));
            }
            return row.getRowKind().shortString() + fields;
        } else if (value instanceof GenericArrayData array) {
            List<String> elements = new ArrayList<>();
            for (Object element : array.toObjectArray()) {
                elements.add(describe(element));
            }
            return elements.toString();
        } else if (value instanceof GenericMapData map) {
            Map<String, String> entries = new TreeMap<>();
            ArrayData keys = map.keyArray();
            for (int i = 0; i < map.size(); i++) {
                Object key = ((GenericArrayData) keys).toObjectArray()[i];
                entries.put(describe(key), describe(map.get(key)));
            }
            return entries.toString();
        } else if (value instanceof byte[] bytes) {
            return Arrays.toString(bytes);
        } else if (value == null) {
            return "null";
        }
        return value.getClass().getSimpleName() + ":" + value;
    }

    // ---- random records: right and wrong values, nulls, absent and repeated fields ----

    /**
     * A record of {@link #SIMPLE} in the shape the byte path reads (plain text, numbers without
     * exponent, common timestamps, any whitespace between tokens), half of the time with one flaw
     * of {@link #record}'s kinds in one place: a value of another kind, a repeated or unknown
     * field, a cut.
     */
    private static String simpleRecord(Random random) {
        boolean flawed = random.nextBoolean();
        int flawAt = random.nextInt(SIMPLE.getFieldCount() + 2);
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < SIMPLE.getFieldCount(); i++) {
            String name = SIMPLE.getFieldNames().get(i);
            if (!name.equals("i") && random.nextInt(10) == 0) {
                continue; // absent
            }
            String value =
                    flawed && flawAt == i
                            ? (random.nextBoolean()
                                    ? fitting(random, name, false)
                                    : value(random, 2))
                            : plain(random, name);
            fields.add(space(random) + quote(name) + space(random) + ":" + space(random) + value);
            if (flawed && flawAt == i && random.nextInt(4) == 0) {
                fields.add(quote(name) + ":" + plain(random, name)); // repeated
            }
        }
        if (flawed && flawAt == SIMPLE.getFieldCount()) {
            fields.add(quote("unknown") + ":" + value(random, 1));
        }
        String record = space(random) + "{" + String.join("," + space(random), fields) + "}";
        if (flawed && flawAt == SIMPLE.getFieldCount() + 1) {
            return record.substring(0, random.nextInt(record.length()));
        }
        return record;
    }

    /** A value of column {@code field} in a shape the byte path reads. */
    private static String plain(Random random, String field) {
        if (random.nextInt(12) == 0 && !List.of("i", "city", "v").contains(field)) {
            return "null";
        }
        switch (field) {
            case "b":
                return String.valueOf(random.nextBoolean());
            case "ti":
                return String.valueOf(random.nextInt(256) - 128);
            case "si":
                return String.valueOf(random.nextInt(65_536) - 32_768);
            case "i":
            case "zip":
                return String.valueOf(random.nextInt());
            case "l":
            case "v":
                return String.valueOf(random.nextLong() % 1_000_000_000_000_000_000L);
            case "f":
            case "d":
            case "lat":
                return random.nextInt(4) == 0
                        ? String.valueOf(random.nextLong() % 10_000_000_000L)
                        : String.format(
                                "%d.%0" + (1 + random.nextInt(8)) + "d",
                                random.nextInt(20_000_000) - 10_000_000,
                                random.nextInt(10_000_000));
            case "dec":
                return String.format(
                        "%d.%0" + (1 + random.nextInt(2)) + "d",
                        random.nextInt(2_000_000) - 1_000_000,
                        random.nextInt(10));
            case "wide":
                return String.format(
                        "%d.%0" + (1 + random.nextInt(9)) + "d",
                        random.nextInt(2_000_000) - 1_000_000,
                        random.nextInt(100_000));
            case "s":
            case "c":
            case "k":
            case "city":
                return quote("text" + random.nextInt());
            case "ts":
            case "ltz":
                return random.nextInt(5) == 0
                        ? String.valueOf(random.nextLong() % 4_000_000_000_000L)
                        : quote(timestamp(random, false));
            case "ints":
                return "["
                        + String.join(
                                "," + space(random),
                                values(random, false, () -> plain(random, "i")))
                        + "]";
            case "tags":
                return "[" + String.join(",", values(random, true, () -> plain(random, "s"))) + "]";
            case "addr":
                return "{\"city\":"
                        + plain(random, "city")
                        + ", \"zip\":"
                        + plain(random, "zip")
                        + ",\"geo\":{\"lat\":"
                        + plain(random, "lat")
                        + "}}";
            case "lines":
                return "["
                        + String.join(
                                ",",
                                values(
                                        random,
                                        false,
                                        () ->
                                                "{\"k\":"
                                                        + plain(random, "k")
                                                        + ",\"v\":"
                                                        + plain(random, "v")
                                                        + "}"))
                        + "]";
            default:
                throw new IllegalArgumentException(field);
        }
    }

    /** JSON whitespace, usually none. */
    private static String space(Random random) {
        return random.nextInt(8) == 0 ? " \n\t\r".substring(random.nextInt(4)) : "";
    }

    /** A record of {@link #TABLE}. */
    private static String record(Random random) {
        return record(random, TABLE);
    }

    /**
     * A record of {@code table} (whose columns are some of {@link #TABLE}'s): clean (all values
     * fit) half of the time, else with any kind of flaw.
     */
    private static String record(Random random, RowType table) {
        boolean clean = random.nextBoolean();
        if (!clean && random.nextInt(20) == 0) {
            return value(random, 2);
        }
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < table.getFieldCount(); i++) {
            String name = table.getFieldNames().get(i);
            int choice = clean ? 4 + random.nextInt(16) : random.nextInt(20);
            if (choice == 0 || (clean && random.nextInt(10) == 0 && !name.equals("i"))) {
                continue; // absent
            }
            String value =
                    choice == 1
                            ? "null"
                            : choice <= 3 ? value(random, 2) : fitting(random, name, clean);
            fields.add(quote(name) + ":" + value);
            if (!clean && random.nextInt(20) == 0) {
                fields.add(quote(name) + ":" + fitting(random, name, false)); // repeated
            }
        }
        if (random.nextInt(3) == 0) {
            fields.add(quote("unknown" + random.nextInt(3)) + ":" + value(random, 3));
        }
        if (random.nextInt(4) == 0) {
            Collections.shuffle(fields, random);
        }
        String record = "{" + String.join(",", fields) + "}";
        switch (clean ? 3 : random.nextInt(10)) {
            case 0:
                return record.substring(0, random.nextInt(record.length())); // truncated
            case 1:
                return record + " trailing";
            case 2:
                return "  " + record + "}";
            default:
                return record;
        }
    }

    /** A value for {@code field}; when {@code clean}, one its column takes. */
    private static String fitting(Random random, String field, boolean clean) {
        boolean flawed = !clean && random.nextInt(3) == 0;
        switch (field) {
            case "b":
                return String.valueOf(random.nextBoolean());
            case "ti":
                return String.valueOf(random.nextInt(flawed ? 300 : 256) - (flawed ? 150 : 128));
            case "si":
                return String.valueOf(random.nextInt(65_536) - (flawed ? 0 : 32_768));
            case "i":
            case "zip":
                return flawed
                        ? String.valueOf(random.nextLong())
                        : String.valueOf(random.nextInt());
            case "l":
            case "v":
                return flawed ? "9223372036854775808" : String.valueOf(random.nextLong());
            case "f":
            case "d":
            case "lat":
                return number(random);
            case "dec":
            case "wide":
                String number =
                        flawed
                                ? number(random)
                                : String.format(
                                        "%d.%0" + (1 + random.nextInt(4)) + "d",
                                        random.nextInt(2_000_000) - 1_000_000,
                                        random.nextInt(1000));
                return random.nextInt(4) == 0 ? quote(number) : number;
            case "s":
            case "c":
            case "k":
                return random.nextInt(3) == 0 ? value(random, 2) : quote(text(random, clean));
            case "city":
                return flawed ? value(random, 2) : quote("city" + random.nextInt());
            case "bin":
                return quote(flawed ? "not base64!" : "AAEC");
            case "day":
                return quote(flawed ? "2026-02-30" : "2026-11-26");
            case "t":
                return quote(flawed ? "25:00" : "12:30:00");
            case "ts":
            case "ltz":
                if (random.nextInt(5) == 0) {
                    return String.valueOf(random.nextLong() % 4_000_000_000_000L);
                }
                return quote(
                        flawed || random.nextInt(4) == 0
                                ? pick(random)
                                : timestamp(random, !clean));
            case "ints":
                return "["
                        + String.join(",", values(random, clean, () -> fitting(random, "i", clean)))
                        + "]";
            case "tags":
                return "["
                        + String.join(",", values(random, true, () -> fitting(random, "s", clean)))
                        + "]";
            case "m":
                return "{\"x\":" + fitting(random, "i", clean) + ",\"y\":null}";
            case "addr":
                return "{\"city\":"
                        + fitting(random, "city", clean)
                        + (random.nextBoolean() ? ",\"zip\":" + fitting(random, "zip", clean) : "")
                        + ",\"geo\":{\"lat\":"
                        + fitting(random, "lat", clean)
                        + "}}";
            case "lines":
                return "["
                        + String.join(
                                ",",
                                values(
                                        random,
                                        true,
                                        () ->
                                                "{\"k\":"
                                                        + fitting(random, "k", clean)
                                                        + ",\"v\":"
                                                        + fitting(random, "v", clean)
                                                        + "}"))
                        + "]";
            default:
                throw new IllegalArgumentException(field);
        }
    }

    private static String pick(Random random) {
        return TIMESTAMPS[random.nextInt(TIMESTAMPS.length)];
    }

    /** A timestamp in a common layout, its parts out of range if {@code flawed}. */
    private static String timestamp(Random random, boolean flawed) {
        return String.format(
                "%04d-%02d-%02d%s%02d:%02d:%02d%s%s",
                random.nextInt(10_000),
                flawed ? random.nextInt(14) : 1 + random.nextInt(12),
                flawed ? random.nextInt(33) : 1 + random.nextInt(28),
                random.nextBoolean() ? "T" : " ",
                random.nextInt(flawed ? 25 : 24),
                random.nextInt(flawed ? 61 : 60),
                random.nextInt(flawed ? 61 : 60),
                random.nextBoolean() ? "" : "." + "123456789".substring(0, 1 + random.nextInt(9)),
                new String[] {"", "", "Z", "+05:30", "-18:00", "+18:00"}[random.nextInt(6)]);
    }

    private static final String[] ODD_NUMBERS = {
        "1.",
        ".5",
        "-",
        "+1",
        "1E5",
        "-0",
        "1.5e-3",
        "00",
        "12x",
        "-01",
        "0.5.5",
        "1-2",
        "9007199254740993"
    };

    private static String number(Random random) {
        switch (random.nextInt(15)) {
            case 12:
                return "0" + random.nextInt(100); // a leading zero
            case 13:
                return ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)];
            case 14:
                return String.valueOf(random.nextLong() % 1_000_000_000_000_000_000L);
            case 0:
                return String.valueOf(random.nextInt(2_000_000) - 1_000_000);
            case 1:
                return "1e" + random.nextInt(400);
            case 2:
                return "-0.0";
            case 3:
                return "123456789012345678901234567890";
            case 4:
                return "0." + "0".repeat(random.nextInt(20)) + "5";
            case 5:
                return String.valueOf(random.nextDouble() * 1e8);
            case 6:
                return "12345678901234567.89";
            case 7:
                return "999999.995";
            default:
                return String.format(
                        "%d.%0" + (1 + random.nextInt(4)) + "d",
                        random.nextInt(2_000_000) - 1_000_000,
                        random.nextInt(1000));
        }
    }

    /** Any JSON value, nested up to {@code depth}. */
    private static String value(Random random, int depth) {
        switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0:
                return "null";
            case 1:
                return String.valueOf(random.nextBoolean());
            case 2:
                return number(random);
            case 3:
                return String.valueOf(random.nextLong());
            case 4:
                return quote(pick(random));
            case 5:
                return quote(number(random));
            case 6:
                return quote("s\\u00e9\\\"" + random.nextInt(100));
            case 7:
                return "["
                        + String.join(",", values(random, true, () -> value(random, depth - 1)))
                        + "]";
            default:
                List<String> entries = new ArrayList<>();
                for (int i = random.nextInt(3); i > 0; i--) {
                    entries.add(quote("k" + random.nextInt(3)) + ":" + value(random, depth - 1));
                }
                return "{" + String.join(",", entries) + "}";
        }
    }

    private static List<String> values(
            Random random, boolean nulls, java.util.function.Supplier<String> value) {
        List<String> values = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            values.add(nulls && random.nextInt(15) == 0 ? "null" : value.get());
        }
        return values;
    }

    /**
     * The inside of a JSON string: mostly plain ASCII (copied from the record's bytes), else
     * escapes, characters of two to four UTF-8 bytes, a slash; unless {@code clean}, also what JSON
     * forbids (a raw control character, a lone backslash, a bad escape).
     */
    private static String text(Random random, boolean clean) {
        String plain = "text" + random.nextInt();
        if (random.nextInt(3) != 0) {
            return plain;
        }
        String[] inserts = {
            "", " ", "/", "\\\"", "\\\\", "\\n", "\\u00e9", "\\ud83d\\ude00", "é", "日本", "😀", "'"
        };
        String[] bad = {"\t", "\u0001", "\\", "\\x", "\\u12"};
        String insert =
                !clean && random.nextInt(4) == 0
                        ? bad[random.nextInt(bad.length)]
                        : inserts[random.nextInt(inserts.length)];
        int at = random.nextInt(plain.length() + 1);
        return plain.substring(0, at) + insert + plain.substring(at);
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }
}
