package io.github.flinkconfluent.connector.format.fuzz;

import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.format.avro.HostileAvro;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.ProtobufMessageIndexes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The regression corpus of {@link DecoderFuzzTest}: the hostile records of issue 15 and their
 * relatives (zero-byte items, huge length prefixes, a 20,000-node recursive record, decimals at the
 * wrong scale and beyond their precision, a decimal exponent of a billion, nesting 20,000 deep, a
 * backtracking-prone pattern) and one well-formed record per table, each with the selector byte
 * that routes it to its table.
 *
 * <p>The files under {@code src/test/resources/.../DecoderFuzzTestInputs/} are written by {@link
 * #main} ({@code ./mvnw -pl flink-connector-confluent exec:java} is not needed: run it from the IDE
 * or see docs/development.md) and checked against this class by {@link FuzzSeedsTest}. Findings of
 * fuzzing sessions sit in the same directories under the names Jazzer gives them; they are not
 * generated here.
 */
public final class FuzzSeeds {

    /** Where the corpora live, relative to the module; targets are named relative to it. */
    static final Path INPUTS =
            Path.of("src/test/resources/io/github/flinkconfluent/connector/format");

    private FuzzSeeds() {}

    /** Writes every seed under {@code args[0]} (default: {@link #INPUTS}). */
    public static void main(String[] args) throws IOException {
        Path root = args.length > 0 ? Path.of(args[0]) : INPUTS;
        for (Map.Entry<String, Map<String, byte[]>> target : all().entrySet()) {
            Path dir = root.resolve(target.getKey());
            Files.createDirectories(dir);
            for (Map.Entry<String, byte[]> seed : target.getValue().entrySet()) {
                Files.write(dir.resolve("seed-" + seed.getKey()), seed.getValue());
            }
        }
    }

    /** Target directory (under {@link #INPUTS}) → seed name → input (selector, then record). */
    static Map<String, Map<String, byte[]>> all() {
        Map<String, Map<String, byte[]>> all = new LinkedHashMap<>();
        all.put("fuzz/DecoderFuzzTestInputs/avroRowsFramed", avroRowsFramed());
        all.put("fuzz/DecoderFuzzTestInputs/avroRowsBare", avroRowsBare());
        all.put("fuzz/DecoderFuzzTestInputs/avroRecords", avroRecords());
        all.put("fuzz/DecoderFuzzTestInputs/jsonRowsFramed", jsonRows(true));
        all.put("fuzz/DecoderFuzzTestInputs/jsonRowsBare", jsonRows(false));
        // The same records for the JSON decoder's two paths (the tables are FuzzTables.JSON).
        all.put("json/JsonPathsFuzzTestInputs/streamingAgreesWithTree", jsonRows(false));
        all.put("fuzz/DecoderFuzzTestInputs/jsonRecords", jsonRecords());
        all.put("fuzz/DecoderFuzzTestInputs/rawRows", rawRows());
        all.put("fuzz/DecoderFuzzTestInputs/protobufRows", protobufRows());
        return all;
    }

    /** Hostile Avro bodies (no framing), by name, with the writer schema id they are for. */
    private record AvroBody(int schemaId, String table, byte[] body) {}

    private static Map<String, AvroBody> hostileAvroBodies() {
        Map<String, AvroBody> bodies = new LinkedHashMap<>();
        byte[] zeroByteItems = HostileAvro.orderWithZeroByteItems(1, 2);
        bodies.put(
                "zero-byte-array",
                new AvroBody(FuzzTables.ZERO_BYTE_ARRAY, "avro-901", zeroByteItems));
        bodies.put(
                "zero-byte-array-projected",
                new AvroBody(FuzzTables.ZERO_BYTE_ARRAY, "order", zeroByteItems));
        bodies.put(
                "empty-record-array",
                new AvroBody(FuzzTables.EMPTY_RECORD_ARRAY, "avro-902", zeroByteItems));
        bodies.put(
                "fixed-0-array-projected",
                new AvroBody(FuzzTables.FIXED_0_ARRAY, "order", zeroByteItems));
        bodies.put(
                "map-of-zero-byte-arrays",
                new AvroBody(
                        FuzzTables.MAP_OF_ZERO_BYTE_ARRAYS,
                        "avro-904",
                        HostileAvro.concat(
                                HostileAvro.order(1, 2),
                                HostileAvro.mapOfZeroByteArrays(1000, 1_000_000))));
        bodies.put("deep", new AvroBody(FuzzTables.DEEP, "avro-905", deep()));
        bodies.put(
                "recursive-20000",
                new AvroBody(FuzzTables.RECURSIVE, "avro-906", linkedList(20_000)));
        bodies.put(
                "decimal-rescaled",
                new AvroBody(
                        FuzzTables.DECIMALS,
                        "decimals-scale-2",
                        decimals(BigInteger.valueOf(123456), BigInteger.valueOf(-98765), null)));
        bodies.put(
                "decimal-beyond-precision",
                new AvroBody(
                        FuzzTables.DECIMALS,
                        "decimals-scale-2",
                        decimals(
                                BigInteger.TEN.pow(30),
                                BigInteger.ONE,
                                BigInteger.TEN.pow(37).negate())));
        bodies.put(
                "decimal-huge-length",
                new AvroBody(
                        FuzzTables.DECIMALS,
                        "avro-907",
                        HostileAvro.encode(out -> out.writeLong(Integer.MAX_VALUE))));
        for (int branch : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 99, -1}) {
            bodies.put(
                    "union-branch-" + branch,
                    new AvroBody(FuzzTables.UNIONS, "avro-908", unionBranch(branch)));
        }
        bodies.put(
                "string-length-2g",
                new AvroBody(
                        FuzzTables.COLLECTIONS,
                        "avro-909",
                        HostileAvro.encode(
                                out -> {
                                    out.writeLong(1);
                                    out.writeLong(Integer.MAX_VALUE);
                                })));
        bodies.put(
                "map-claims-a-million-entries",
                new AvroBody(
                        FuzzTables.COLLECTIONS,
                        "avro-909",
                        HostileAvro.encode(
                                out -> {
                                    out.writeLong(0);
                                    out.writeLong(1_000_000);
                                    out.writeString("k");
                                    out.writeLong(1);
                                })));
        bodies.put(
                "negative-block-size",
                new AvroBody(
                        FuzzTables.COLLECTIONS,
                        "avro-909",
                        HostileAvro.encode(
                                out -> {
                                    out.writeLong(-3);
                                    out.writeLong(Long.MAX_VALUE);
                                })));
        bodies.put(
                "enum-index-out-of-range",
                new AvroBody(
                        FuzzTables.COLLECTIONS,
                        "avro-909",
                        HostileAvro.encode(
                                out -> {
                                    out.writeLong(0);
                                    out.writeLong(0);
                                    out.writeBytes(new byte[0]);
                                    out.writeInt(5);
                                })));
        return bodies;
    }

    private static Map<String, byte[]> avroRowsFramed() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String name : GoldenVectors.AVRO) {
            seeds.put(
                    "golden-" + name,
                    withSelector(
                            FuzzTables.indexOf(FuzzTables.AVRO, name),
                            GoldenVectors.load(name).payload()));
        }
        hostileAvroBodies()
                .forEach(
                        (name, body) ->
                                seeds.put(
                                        name,
                                        withSelector(
                                                FuzzTables.indexOf(FuzzTables.AVRO, body.table()),
                                                frame(body.schemaId(), body.body()))));
        int order = FuzzTables.indexOf(FuzzTables.AVRO, "order");
        seeds.put("unknown-schema-id", withSelector(order, frame(77_777, new byte[] {2, 4})));
        seeds.put(
                "json-schema-id", withSelector(order, GoldenVectors.load("json-simple").payload()));
        seeds.put("bad-magic-byte", withSelector(order, new byte[] {1, 0, 0, 0, 1, 2}));
        seeds.put("truncated-header", withSelector(order, new byte[] {0, 0, 0}));
        seeds.put(
                "access-denied-schema-id",
                withSelector(order, frame(FuzzTables.ACCESS_DENIED, HostileAvro.order(1, 2))));
        seeds.put(
                "uncompilable-schema",
                withSelector(order, frame(FuzzTables.UNCOMPILABLE_AVRO, HostileAvro.order(1, 2))));
        seeds.put(
                "key",
                withSelector(
                        FuzzTables.indexOf(FuzzTables.AVRO, "key"),
                        frame(FuzzTables.ZERO_BYTE_ARRAY, HostileAvro.order(3, 4))));
        return seeds;
    }

    private static Map<String, byte[]> avroRowsBare() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String name : GoldenVectors.AVRO) {
            byte[] payload = GoldenVectors.load(name).payload();
            seeds.put(
                    "golden-" + name,
                    withSelector(
                            FuzzTables.indexOf(FuzzTables.AVRO, name),
                            Arrays.copyOfRange(
                                    payload, ConfluentWireFormat.HEADER_LENGTH, payload.length)));
        }
        hostileAvroBodies()
                .forEach(
                        (name, body) ->
                                seeds.put(
                                        name,
                                        withSelector(
                                                FuzzTables.indexOf(FuzzTables.AVRO, body.table()),
                                                body.body())));
        return seeds;
    }

    private static Map<String, byte[]> avroRecords() {
        // Deserializer 0 uses the writer's schema; 1..n resolve to the hostile schemas in order.
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String name : GoldenVectors.AVRO) {
            seeds.put("golden-" + name, withSelector(0, GoldenVectors.load(name).payload()));
        }
        int reader = 1;
        Map<Integer, Integer> readerOf = new LinkedHashMap<>();
        for (Integer id : FuzzTables.hostileAvroSchemas().keySet()) {
            readerOf.put(id, reader++);
        }
        hostileAvroBodies()
                .forEach(
                        (name, body) -> {
                            byte[] framed = frame(body.schemaId(), body.body());
                            seeds.put(name + "-writer", withSelector(0, framed));
                            seeds.put(
                                    name + "-reader",
                                    withSelector(readerOf.get(body.schemaId()), framed));
                        });
        return seeds;
    }

    private static Map<String, String> jsonDocuments() {
        Map<String, String> docs = new LinkedHashMap<>();
        docs.put(
                "wide",
                "{\"name\":\"x\",\"price\":\"12.34\",\"big\":1.5e3,\"qty\":9007199254740993,"
                        + "\"small\":127,\"ok\":true,\"d\":1e308,\"f\":3.4e39,"
                        + "\"ts\":\"2026-11-30T12:00:00.123\",\"ltz\":\"2026-11-30T12:00:00Z\","
                        + "\"day\":\"2026-11-30\",\"t\":\"23:59:59.999\",\"raw\":\"AAEC\","
                        + "\"tags\":[\"a\",null],\"attrs\":{\"k\":1},"
                        + "\"address\":{\"street\":\"s\",\"zip\":1}}");
        docs.put("decimal-exponent-600m", "{\"price\":1e600000000}");
        docs.put("decimal-exponent-1g-text", "{\"price\":\"1e999999999\"}");
        docs.put("decimal-negative-exponent", "{\"big\":1e-999999999}");
        docs.put("decimal-many-digits", "{\"big\":" + "9".repeat(5000) + "}");
        docs.put("tinyint-overflow", "{\"small\":128}");
        docs.put("bad-timestamp", "{\"ts\":\"99999-99-99T99:99:99\",\"day\":\"-1\"}");
        docs.put("bad-base64", "{\"raw\":\"@@@\"}");
        docs.put(
                "timestamps-at-the-edge-of-time",
                "{\"ts\":\"+999999999-12-31T23:59:59.999\",\"ltz\":\"-999999999-01-01T00:00:00Z\","
                        + "\"day\":\"+999999999-12-31\"}");
        docs.put(
                "timestamps-as-huge-numbers",
                "{\"ts\":9223372036854775807,\"ltz\":-9223372036854775808,\"day\":2147483647}");
        docs.put("nesting-20000", "{\"tags\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}");
        docs.put("wrong-types", "{\"tags\":{},\"attrs\":[],\"address\":\"x\",\"ok\":\"yes\"}");
        docs.put("not-an-object", "[1,2,3]");
        docs.put("truncated", "{\"name\":\"x");
        return docs;
    }

    private static Map<String, byte[]> jsonRows(boolean framed) {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        int wide = FuzzTables.indexOf(FuzzTables.JSON, "wide");
        int goldenId = GoldenVectors.load("json-nested").schemaId();
        jsonDocuments()
                .forEach(
                        (name, doc) ->
                                seeds.put(
                                        name,
                                        withSelector(wide, json(framed ? goldenId : -1, doc))));
        seeds.put(
                "recursive-5000",
                withSelector(
                        FuzzTables.indexOf(FuzzTables.JSON, "recursive"),
                        json(framed ? FuzzTables.JSON_RECURSIVE : -1, linkedJson(5000))));
        seeds.put(
                "combinators",
                withSelector(
                        FuzzTables.indexOf(FuzzTables.JSON, "combinators"),
                        json(
                                framed ? FuzzTables.JSON_COMBINATORS : -1,
                                "{\"u\":{\"a\":{\"u\":{\"b\":{}}}},\"any\":[[[[1.005]]]],"
                                        + "\"all\":\""
                                        + "x".repeat(100)
                                        + "\",\"n\":1e-400}")));
        seeds.put(
                "backtracking-pattern",
                withSelector(
                        FuzzTables.indexOf(FuzzTables.JSON, "pattern"),
                        json(
                                framed ? FuzzTables.JSON_PATTERN : -1,
                                "{\"s\":\""
                                        + "a".repeat(40)
                                        + "!\",\"p\":{\""
                                        + "x".repeat(40)
                                        + "!\":1}}")));
        seeds.put(
                "key",
                withSelector(
                        FuzzTables.indexOf(FuzzTables.JSON, "key"),
                        json(framed ? goldenId : -1, "{\"id\":\"" + "k".repeat(1000) + "\"}")));
        if (framed) {
            seeds.put(
                    "exponential-validation",
                    withSelector(wide, json(FuzzTables.JSON_EXPONENTIAL, "{\"name\":7}")));
            seeds.put(
                    "avro-schema-id",
                    withSelector(wide, GoldenVectors.load("avro-simple").payload()));
        }
        return seeds;
    }

    private static Map<String, byte[]> jsonRecords() {
        // Deserializer 0 validates, 1 does not.
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (String name : GoldenVectors.JSON) {
            seeds.put("golden-" + name, withSelector(0, GoldenVectors.load(name).payload()));
        }
        seeds.put(
                "recursive-5000",
                withSelector(0, json(FuzzTables.JSON_RECURSIVE, linkedJson(5000))));
        seeds.put(
                "backtracking-pattern",
                withSelector(
                        0,
                        json(
                                FuzzTables.JSON_PATTERN,
                                "{\"s\":\""
                                        + "a".repeat(40)
                                        + "!\",\"p\":{\""
                                        + "x".repeat(40)
                                        + "!\":1}}")));
        seeds.put(
                "exponential-validation",
                withSelector(0, json(FuzzTables.JSON_EXPONENTIAL, "{\"name\":7}")));
        seeds.put(
                "nesting-20000",
                withSelector(
                        1,
                        json(
                                FuzzTables.JSON_COMBINATORS,
                                "[".repeat(20_000) + "]".repeat(20_000))));
        return seeds;
    }

    private static Map<String, byte[]> rawRows() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("string", withSelector(0, "hello".getBytes(StandardCharsets.UTF_8)));
        seeds.put("bad-utf8", withSelector(0, new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff}));
        seeds.put("bytes", withSelector(1, new byte[] {0, 1, 2}));
        return seeds;
    }

    /**
     * The golden Protobuf records, broken copies of them, and hostile bodies for the recursive
     * schema: nesting far beyond the limit, lengths and index counts that claim more than the
     * record holds, and the ids whose schema does not build.
     */
    private static Map<String, byte[]> protobufRows() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        List<FuzzTables.Table> tables = FuzzTables.PROTOBUF;
        for (String name : GoldenVectors.PROTOBUF) {
            byte[] payload = GoldenVectors.load(name).payload();
            int table = FuzzTables.indexOf(tables, name);
            seeds.put(name, withSelector(table, payload));
            seeds.put(
                    name + "-truncated",
                    withSelector(table, Arrays.copyOf(payload, payload.length - 2)));
            byte[] badWireType = Arrays.copyOf(payload, payload.length + 1);
            badWireType[payload.length] = 0x0f;
            seeds.put(name + "-bad-wire-type", withSelector(table, badWireType));
        }
        int recursive = FuzzTables.indexOf(tables, "protobuf-recursive");
        int json = FuzzTables.indexOf(tables, "protobuf-json");
        byte[] deep = protobufNested(0x0a, 20_000);
        seeds.put(
                "deep-child",
                withSelector(recursive, protobufFramed(FuzzTables.PROTOBUF_RECURSIVE, 0, deep)));
        seeds.put(
                "deep-child-json",
                withSelector(json, protobufFramed(FuzzTables.PROTOBUF_RECURSIVE, 0, deep)));
        seeds.put(
                "deep-kids-json",
                withSelector(
                        json,
                        protobufFramed(
                                FuzzTables.PROTOBUF_RECURSIVE, 0, protobufNested(0x12, 20_000))));
        // Field 4 (string) claiming 2 GiB; field 6 (packed doubles) claiming 1 GiB.
        seeds.put(
                "string-length-2g",
                withSelector(
                        recursive,
                        protobufFramed(
                                FuzzTables.PROTOBUF_RECURSIVE,
                                0,
                                new byte[] {
                                    0x22, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07
                                })));
        seeds.put(
                "packed-length-1g",
                withSelector(
                        json,
                        protobufFramed(
                                FuzzTables.PROTOBUF_RECURSIVE,
                                0,
                                new byte[] {
                                    0x32,
                                    (byte) 0x80,
                                    (byte) 0x80,
                                    (byte) 0x80,
                                    (byte) 0x80,
                                    0x04,
                                    0,
                                    0
                                })));
        seeds.put(
                "index-out-of-range",
                withSelector(
                        recursive, protobufFramed(FuzzTables.PROTOBUF_RECURSIVE, 7, new byte[0])));
        // An index count of 2^31 - 1 (zig-zag), far beyond the 128 allowed.
        seeds.put(
                "index-count-huge",
                withSelector(
                        recursive,
                        ConfluentWireFormat.frame(
                                FuzzTables.PROTOBUF_RECURSIVE,
                                new byte[] {
                                    (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f
                                },
                                0,
                                5)));
        seeds.put(
                "unparsable-schema",
                withSelector(
                        recursive,
                        protobufFramed(FuzzTables.PROTOBUF_UNPARSABLE, 0, new byte[] {8, 1})));
        seeds.put(
                "missing-import",
                withSelector(
                        recursive,
                        protobufFramed(FuzzTables.PROTOBUF_MISSING_IMPORT, 0, new byte[] {8, 1})));
        seeds.put(
                "avro-id",
                withSelector(
                        FuzzTables.indexOf(tables, "key"),
                        GoldenVectors.load("avro-simple").payload()));
        return seeds;
    }

    /** {@code levels} messages, each field {@code tag} of the one around it. */
    private static byte[] protobufNested(int tag, int levels) {
        byte[] body = new byte[0];
        for (int i = 0; i < levels; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(tag);
            int length = body.length;
            while ((length & ~0x7f) != 0) {
                out.write((length & 0x7f) | 0x80);
                length >>>= 7;
            }
            out.write(length);
            out.writeBytes(body);
            body = out.toByteArray();
        }
        return body;
    }

    /** Framed with {@code schemaId} and the index path {@code [index]}. */
    private static byte[] protobufFramed(int schemaId, int index, byte[] body) {
        byte[] indexes = ProtobufMessageIndexes.encode(new int[] {index});
        byte[] payload = new byte[indexes.length + body.length];
        System.arraycopy(indexes, 0, payload, 0, indexes.length);
        System.arraycopy(body, 0, payload, indexes.length, body.length);
        return ConfluentWireFormat.frame(schemaId, payload, 0, payload.length);
    }

    private static byte[] withSelector(int selector, byte[] record) {
        byte[] input = new byte[record.length + 1];
        input[0] = (byte) selector;
        System.arraycopy(record, 0, input, 1, record.length);
        return input;
    }

    private static byte[] frame(int schemaId, byte[] body) {
        return ConfluentWireFormat.frame(schemaId, body, 0, body.length);
    }

    /** A JSON document, framed with {@code schemaId} unless it is negative. */
    private static byte[] json(int schemaId, String doc) {
        byte[] body = doc.getBytes(StandardCharsets.UTF_8);
        return schemaId < 0 ? body : frame(schemaId, body);
    }

    private static String linkedJson(int nodes) {
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            json.append("{\"v\":").append(i).append(",\"next\":");
        }
        json.append("null");
        json.append("}".repeat(nodes));
        return json.toString();
    }

    /** A valid record of {@link FuzzTables#DEEP}: each level an int then the next level. */
    private static byte[] deep() {
        return HostileAvro.encode(
                out -> {
                    for (int level = 0; level <= FuzzTables.DEEP_LEVELS; level++) {
                        out.writeInt(level);
                    }
                });
    }

    /** A {@code Node} list of {@code nodes} nodes: value, then union branch 1 (Node) or 0. */
    private static byte[] linkedList(int nodes) {
        return HostileAvro.encode(
                out -> {
                    for (int i = 0; i < nodes; i++) {
                        out.writeLong(i);
                        out.writeIndex(i == nodes - 1 ? 0 : 1);
                    }
                });
    }

    /** An {@code Amounts} record: bytes decimal, fixed(8) decimal, nullable bytes decimal. */
    private static byte[] decimals(BigInteger a, BigInteger b, BigInteger c) {
        return HostileAvro.encode(
                out -> {
                    out.writeBytes(a.toByteArray());
                    byte[] fixed = new byte[8];
                    byte[] unscaled = b.toByteArray();
                    byte fill = (byte) (b.signum() < 0 ? 0xff : 0);
                    Arrays.fill(fixed, fill);
                    System.arraycopy(
                            unscaled,
                            Math.max(0, unscaled.length - 8),
                            fixed,
                            Math.max(0, 8 - unscaled.length),
                            Math.min(8, unscaled.length));
                    out.writeFixed(fixed);
                    if (c == null) {
                        out.writeIndex(0);
                    } else {
                        out.writeIndex(1);
                        out.writeBytes(c.toByteArray());
                    }
                });
    }

    /** A {@code U} record whose union takes {@code branch} (then a plausible value). */
    private static byte[] unionBranch(int branch) {
        return HostileAvro.encode(
                out -> {
                    out.writeIndex(branch);
                    switch (branch) {
                        case 1, 5 -> out.writeString("s");
                        case 2 -> out.writeInt(-1);
                        case 3 -> out.writeLong(Long.MIN_VALUE);
                        case 4 -> out.writeDouble(Double.NaN);
                        case 6 -> {
                            out.writeLong(2);
                            out.writeInt(1);
                            out.writeInt(2);
                            out.writeLong(0);
                        }
                        case 7 -> {
                            out.writeLong(1);
                            out.writeString("k");
                            out.writeString("v");
                            out.writeLong(0);
                        }
                        default -> {}
                    }
                });
    }
}
