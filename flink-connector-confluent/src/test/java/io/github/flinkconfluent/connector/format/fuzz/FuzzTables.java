package io.github.flinkconfluent.connector.format.fuzz;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.FormatOptions;
import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.avro.AvroRegistryDeserializer;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataDecoder;
import io.github.flinkconfluent.connector.format.avro.AvroToSql;
import io.github.flinkconfluent.connector.format.avro.HostileAvro;
import io.github.flinkconfluent.connector.format.factory.RowFormats;
import io.github.flinkconfluent.connector.format.json.JsonRegistryDeserializer;
import io.github.flinkconfluent.connector.format.json.JsonRowDataDecoder;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRowDataDecoder;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufToSql;
import io.github.flinkconfluent.connector.format.protobuf.RegistryProtobufSchemas;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.logical.RowType;

import com.google.protobuf.Descriptors.Descriptor;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the fuzz targets decode against: one registry holding the golden schemas and hostile writer
 * schemas (zero-byte items, deep nesting, a recursive record, decimals of every encoding, wide
 * unions; a recursive JSON schema, {@code oneOf}, a backtracking-prone {@code pattern}), and the
 * tables (reader row types) that read them, value and key shaped. Built once per JVM: a fuzzer
 * calls its target millions of times and must not pay for schema parsing on each.
 *
 * <p>A fuzz input chooses a table with its first byte ({@link #pick}) and the rest is the record.
 * The list order is part of the regression corpus (a seed names its table by index): append, never
 * reorder.
 */
public final class FuzzTables {

    /** Writer schema ids of the hostile Avro schemas (the golden ones keep their own ids). */
    static final int ZERO_BYTE_ARRAY = 901;

    static final int EMPTY_RECORD_ARRAY = 902;
    static final int FIXED_0_ARRAY = 903;
    static final int MAP_OF_ZERO_BYTE_ARRAYS = 904;
    static final int DEEP = 905;
    static final int RECURSIVE = 906;
    static final int DECIMALS = 907;
    static final int UNIONS = 908;
    static final int COLLECTIONS = 909;

    /** Writer schema ids of the hostile JSON schemas. */
    static final int JSON_RECURSIVE = 951;

    static final int JSON_COMBINATORS = 952;
    static final int JSON_PATTERN = 953;

    /**
     * A JSON schema whose validation doubles with each of its 30 levels ({@code anyOf} naming the
     * next level twice): without a step budget one small record costs 2^30 checks.
     */
    static final int JSON_EXPONENTIAL = 954;

    /** An id the registry refuses these credentials (403 for one schema): per-record bad data. */
    static final int ACCESS_DENIED = 960;

    /** An id whose text is not a valid Avro schema. */
    static final int UNCOMPILABLE_AVRO = 961;

    /** Levels of {@link #JSON_EXPONENTIAL}. */
    static final int EXPONENTIAL_LEVELS = 30;

    /** Nesting depth of {@link #DEEP}. */
    static final int DEEP_LEVELS = 40;

    /** A Protobuf message that contains itself, directly, in a list and in a map. */
    static final int PROTOBUF_RECURSIVE = 970;

    /**
     * A Protobuf schema text that does not parse: every record of the id is INCOMPATIBLE_SCHEMA.
     */
    static final int PROTOBUF_UNPARSABLE = 971;

    /** A Protobuf schema that imports a file it has no reference for. */
    static final int PROTOBUF_MISSING_IMPORT = 972;

    static final String PROTOBUF_RECURSIVE_SCHEMA =
            "syntax = \"proto3\"; package fuzz; message Node { Node child = 1;"
                    + " repeated Node kids = 2; map<string, Node> named = 3; string s = 4;"
                    + " sint64 n = 5; repeated double ds = 6; oneof pick { bytes b = 7;"
                    + " Node other = 8; } }";

    static final InMemorySchemaRegistry REGISTRY = registry();

    /** Avro tables, by name, in corpus order. */
    static final List<Table> AVRO = avroTables();

    /** JSON tables, by name, in corpus order. */
    public static final List<Table> JSON = jsonTables();

    /** Framed (registry) decoders, one per table, opened. */
    static final List<RowDecoder> AVRO_FRAMED = open(AVRO, true, true);

    static final List<RowDecoder> AVRO_BARE = open(AVRO, true, false);
    static final List<RowDecoder> JSON_FRAMED = open(JSON, false, true);
    static final List<RowDecoder> JSON_BARE = open(JSON, false, false);

    static final List<RowDecoder> RAW =
            List.of(
                    RowFormats.decoder(
                            DataFormat.RAW_STRING,
                            row(DataTypes.FIELD("s", DataTypes.STRING())),
                            FormatOptions.withoutRegistry()),
                    RowFormats.decoder(
                            DataFormat.RAW_BYTES,
                            row(DataTypes.FIELD("b", DataTypes.BYTES())),
                            FormatOptions.withoutRegistry()));

    /** GenericRecord deserializers: the writer's schema, and resolving to each hostile schema. */
    static final List<AvroRegistryDeserializer> AVRO_RECORDS = avroRecordDeserializers();

    /** JsonNode deserializers: with and without validation. */
    static final List<JsonRegistryDeserializer> JSON_RECORDS =
            List.of(
                    new JsonRegistryDeserializer(REGISTRY, true),
                    new JsonRegistryDeserializer(REGISTRY, false));

    /** Protobuf tables, by name, in corpus order. */
    static final List<Table> PROTOBUF = protobufTables();

    /** Protobuf row decoders, one per table, opened (Protobuf is always framed). */
    static final List<RowDecoder> PROTOBUF_ROWS = openProtobuf(PROTOBUF);

    /** A table: its name (for seeds and messages) and row type. */
    public record Table(String name, RowType rowType) {}

    private FuzzTables() {}

    /** The element the input's first byte chooses (inputs are never empty when this is called). */
    public static <T> T pick(List<T> list, byte selector) {
        return list.get(Byte.toUnsignedInt(selector) % list.size());
    }

    /** The index of a table by name, for seeds. */
    static int indexOf(List<Table> tables, String name) {
        for (int i = 0; i < tables.size(); i++) {
            if (tables.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("No fuzz table " + name);
    }

    static Map<Integer, Schema> hostileAvroSchemas() {
        Map<Integer, Schema> schemas = new LinkedHashMap<>();
        schemas.put(ZERO_BYTE_ARRAY, HostileAvro.orderWith(HostileAvro.arrayOf(HostileAvro.NULL)));
        schemas.put(
                EMPTY_RECORD_ARRAY,
                HostileAvro.orderWith(HostileAvro.arrayOf(HostileAvro.EMPTY_RECORD)));
        schemas.put(FIXED_0_ARRAY, HostileAvro.orderWith(HostileAvro.arrayOf(HostileAvro.FIXED_0)));
        schemas.put(
                MAP_OF_ZERO_BYTE_ARRAYS,
                HostileAvro.orderWith(HostileAvro.mapOf(HostileAvro.arrayOf(HostileAvro.NULL))));
        schemas.put(DEEP, deep(DEEP_LEVELS));
        schemas.put(RECURSIVE, recursive());
        schemas.put(DECIMALS, decimals(4));
        schemas.put(UNIONS, unions());
        schemas.put(COLLECTIONS, collections());
        return schemas;
    }

    static Map<Integer, String> hostileJsonSchemas() {
        Map<Integer, String> schemas = new LinkedHashMap<>();
        schemas.put(
                JSON_RECURSIVE,
                "{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"integer\"},"
                        + "\"next\":{\"$ref\":\"#\"}}}");
        schemas.put(
                JSON_COMBINATORS,
                "{\"type\":\"object\",\"properties\":{"
                        + "\"u\":{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"},"
                        + "{\"type\":\"object\",\"additionalProperties\":{\"$ref\":\"#\"}}]},"
                        + "\"any\":{\"anyOf\":[{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}},"
                        + "{\"type\":\"number\",\"multipleOf\":0.01}]},"
                        + "\"all\":{\"allOf\":[{\"type\":\"string\"},{\"maxLength\":64}]},"
                        + "\"n\":{\"type\":\"number\"}}}");
        schemas.put(
                JSON_PATTERN,
                "{\"type\":\"object\",\"properties\":{"
                        + "\"s\":{\"type\":\"string\",\"pattern\":\"^(a+)+$\"},"
                        + "\"p\":{\"type\":\"object\",\"patternProperties\":"
                        + "{\"^(x|x)*$\":{\"type\":\"integer\"}}}}}");
        schemas.put(JSON_EXPONENTIAL, exponentialJsonSchema());
        return schemas;
    }

    /** {@code l0 … l29}: each level is anyOf two references to the next; the last is a number. */
    private static String exponentialJsonSchema() {
        StringBuilder definitions = new StringBuilder();
        for (int level = 0; level < EXPONENTIAL_LEVELS; level++) {
            String next = "{\"$ref\":\"#/definitions/l" + (level + 1) + "\"}";
            definitions
                    .append("\"l")
                    .append(level)
                    .append("\":{\"anyOf\":[")
                    .append(next)
                    .append(',')
                    .append(next)
                    .append("]},");
        }
        definitions.append("\"l").append(EXPONENTIAL_LEVELS).append("\":{\"type\":\"string\"}");
        return "{\"type\":\"object\",\"definitions\":{"
                + definitions
                + "},\"properties\":{\"name\":{\"$ref\":\"#/definitions/l0\"}}}";
    }

    private static InMemorySchemaRegistry registry() {
        InMemorySchemaRegistry registry = GoldenVectors.registryWithAll();
        hostileAvroSchemas()
                .forEach(
                        (id, schema) ->
                                registry.put(
                                        id,
                                        "fuzz-avro-" + id + "-value",
                                        new SchemaDefinition(
                                                SchemaType.AVRO, schema.toString(), List.of())));
        hostileJsonSchemas()
                .forEach(
                        (id, schema) ->
                                registry.put(
                                        id,
                                        "fuzz-json-" + id + "-value",
                                        new SchemaDefinition(SchemaType.JSON, schema, List.of())));
        registry.put(
                ACCESS_DENIED,
                "fuzz-denied-value",
                new SchemaDefinition(SchemaType.AVRO, HostileAvro.ORDER.toString(), List.of()));
        registry.failId(ACCESS_DENIED, SchemaRegistryException.Kind.ACCESS_DENIED);
        registry.put(
                PROTOBUF_RECURSIVE,
                "fuzz-protobuf-recursive-value",
                SchemaDefinition.protobuf(PROTOBUF_RECURSIVE_SCHEMA));
        registry.put(
                PROTOBUF_UNPARSABLE,
                "fuzz-protobuf-unparsable-value",
                SchemaDefinition.protobuf("syntax = \"proto3\"; message X { int32 = 1; }"));
        registry.put(
                PROTOBUF_MISSING_IMPORT,
                "fuzz-protobuf-missing-import-value",
                SchemaDefinition.protobuf(
                        "syntax = \"proto3\"; import \"gone.proto\"; message X { Gone g = 1; }"));
        registry.put(
                UNCOMPILABLE_AVRO,
                "fuzz-uncompilable-value",
                new SchemaDefinition(
                        SchemaType.AVRO, "{\"type\":\"record\",\"name\":\"X\"", List.of()));
        return registry;
    }

    private static List<Table> avroTables() {
        List<Table> tables = new ArrayList<>();
        AvroToSql avroToSql = new AvroToSql(false);
        for (String name : GoldenVectors.AVRO) {
            Schema schema = new Schema.Parser().parse(GoldenVectors.load(name).schema());
            tables.add(new Table(name, (RowType) avroToSql.toRowType(schema).getLogicalType()));
        }
        hostileAvroSchemas()
                .forEach(
                        (id, schema) ->
                                tables.add(
                                        new Table(
                                                "avro-" + id,
                                                (RowType)
                                                        avroToSql
                                                                .toRowType(schema)
                                                                .getLogicalType())));
        // A projection of the hostile orders: everything else is skipped (the resolving path).
        tables.add(
                new Table(
                        "order",
                        row(
                                DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                DataTypes.FIELD("order_id", DataTypes.INT().notNull()))));
        // Writer decimal(10,4) etc. read at scale 2: the rescaling path.
        tables.add(new Table("decimals-scale-2", decimalsAt(2)));
        // A key: one column.
        tables.add(new Table("key", row(DataTypes.FIELD("order_id", DataTypes.INT()))));
        return tables;
    }

    private static List<Table> jsonTables() {
        List<Table> tables = new ArrayList<>();
        tables.add(
                new Table(
                        "wide",
                        row(
                                DataTypes.FIELD("name", DataTypes.STRING()),
                                DataTypes.FIELD("price", DataTypes.DECIMAL(10, 2)),
                                DataTypes.FIELD("big", DataTypes.DECIMAL(38, 18)),
                                DataTypes.FIELD("qty", DataTypes.BIGINT()),
                                DataTypes.FIELD("small", DataTypes.TINYINT()),
                                DataTypes.FIELD("ok", DataTypes.BOOLEAN()),
                                DataTypes.FIELD("d", DataTypes.DOUBLE()),
                                DataTypes.FIELD("f", DataTypes.FLOAT()),
                                DataTypes.FIELD("ts", DataTypes.TIMESTAMP(3)),
                                DataTypes.FIELD("ltz", DataTypes.TIMESTAMP_LTZ(6)),
                                DataTypes.FIELD("day", DataTypes.DATE()),
                                DataTypes.FIELD("t", DataTypes.TIME(3)),
                                DataTypes.FIELD("raw", DataTypes.BYTES()),
                                DataTypes.FIELD("tags", DataTypes.ARRAY(DataTypes.STRING())),
                                DataTypes.FIELD(
                                        "attrs",
                                        DataTypes.MAP(DataTypes.STRING(), DataTypes.INT())),
                                DataTypes.FIELD(
                                        "address",
                                        DataTypes.ROW(
                                                DataTypes.FIELD("street", DataTypes.STRING()),
                                                DataTypes.FIELD("zip", DataTypes.INT()))))));
        tables.add(
                new Table(
                        "recursive",
                        row(
                                DataTypes.FIELD("v", DataTypes.BIGINT()),
                                DataTypes.FIELD("next", DataTypes.STRING()))));
        tables.add(
                new Table(
                        "combinators",
                        row(
                                DataTypes.FIELD("u", DataTypes.STRING()),
                                DataTypes.FIELD("any", DataTypes.STRING()),
                                DataTypes.FIELD("all", DataTypes.STRING()),
                                DataTypes.FIELD("n", DataTypes.DECIMAL(20, 4)))));
        tables.add(
                new Table(
                        "pattern",
                        row(
                                DataTypes.FIELD("s", DataTypes.STRING()),
                                DataTypes.FIELD(
                                        "p",
                                        DataTypes.MAP(DataTypes.STRING(), DataTypes.BIGINT())))));
        tables.add(new Table("key", row(DataTypes.FIELD("id", DataTypes.STRING()))));
        return tables;
    }

    private static List<Table> protobufTables() {
        List<Table> tables = new ArrayList<>();
        for (String name : GoldenVectors.PROTOBUF) {
            GoldenVectors vector = GoldenVectors.load(name);
            Descriptor message =
                    RegistryProtobufSchemas.build(vector.definition(), REGISTRY)
                            .getMessageTypes()
                            .stream()
                            .filter(m -> !m.getName().equals("First"))
                            .findFirst()
                            .orElseThrow();
            tables.add(
                    new Table(name, (RowType) ProtobufToSql.toRowType(message).getLogicalType()));
        }
        Descriptor node =
                RegistryProtobufSchemas.build(
                                SchemaDefinition.protobuf(PROTOBUF_RECURSIVE_SCHEMA), REGISTRY)
                        .findMessageTypeByName("Node");
        tables.add(
                new Table(
                        "protobuf-recursive",
                        (RowType) ProtobufToSql.toRowType(node).getLogicalType()));
        // Every field of the recursive message read as JSON text: the JSON renderer's path.
        tables.add(
                new Table(
                        "protobuf-json",
                        row(
                                DataTypes.FIELD("child", DataTypes.STRING()),
                                DataTypes.FIELD("kids", DataTypes.STRING()),
                                DataTypes.FIELD("named", DataTypes.STRING()),
                                DataTypes.FIELD("n", DataTypes.STRING()),
                                DataTypes.FIELD("ds", DataTypes.STRING()),
                                DataTypes.FIELD("pick", DataTypes.STRING()))));
        tables.add(new Table("key", row(DataTypes.FIELD("id", DataTypes.BIGINT()))));
        return tables;
    }

    private static List<RowDecoder> openProtobuf(List<Table> tables) {
        List<RowDecoder> decoders = new ArrayList<>();
        for (Table table : tables) {
            ProtobufRowDataDecoder decoder =
                    new ProtobufRowDataDecoder(table.rowType(), () -> REGISTRY);
            decoder.open();
            decoders.add(decoder);
        }
        return decoders;
    }

    private static List<AvroRegistryDeserializer> avroRecordDeserializers() {
        List<AvroRegistryDeserializer> deserializers = new ArrayList<>();
        deserializers.add(new AvroRegistryDeserializer(REGISTRY, null));
        for (Schema reader : hostileAvroSchemas().values()) {
            deserializers.add(new AvroRegistryDeserializer(REGISTRY, reader));
        }
        deserializers.add(new AvroRegistryDeserializer(REGISTRY, decimals(2)));
        return deserializers;
    }

    private static List<RowDecoder> open(List<Table> tables, boolean avro, boolean framed) {
        List<RowDecoder> decoders = new ArrayList<>();
        for (Table table : tables) {
            RowDecoder decoder =
                    avro
                            ? new AvroRowDataDecoder(
                                    table.rowType(), "record", framed ? () -> REGISTRY : null)
                            : new JsonRowDataDecoder(
                                    table.rowType(), framed ? () -> REGISTRY : null, true);
            try {
                decoder.open();
            } catch (Exception e) {
                throw new IllegalStateException("Cannot open the decoder of " + table, e);
            }
            decoders.add(decoder);
        }
        return decoders;
    }

    private static RowType row(DataTypes.Field... fields) {
        return (RowType) DataTypes.ROW(fields).getLogicalType();
    }

    private static RowType decimalsAt(int scale) {
        return row(
                DataTypes.FIELD("a", DataTypes.DECIMAL(10, scale).notNull()),
                DataTypes.FIELD("b", DataTypes.DECIMAL(18, scale).notNull()),
                DataTypes.FIELD("c", DataTypes.DECIMAL(38, scale)));
    }

    /** Records in records, {@code levels} deep, each with an int. */
    private static Schema deep(int levels) {
        Schema inner = SchemaBuilder.record("L" + levels).fields().requiredInt("v").endRecord();
        for (int level = levels - 1; level >= 0; level--) {
            inner =
                    SchemaBuilder.record("L" + level)
                            .fields()
                            .requiredInt("v")
                            .name("in")
                            .type(inner)
                            .noDefault()
                            .endRecord();
        }
        return inner;
    }

    /** A linked list: {@code Node { long value; union { null, Node } next }}. */
    private static Schema recursive() {
        return new Schema.Parser()
                .parse(
                        "{\"type\":\"record\",\"name\":\"Node\",\"fields\":["
                                + "{\"name\":\"value\",\"type\":\"long\"},"
                                + "{\"name\":\"next\",\"type\":[\"null\",\"Node\"],"
                                + "\"default\":null}]}");
    }

    /** Decimals as bytes, as fixed, and as a nullable union, all at {@code scale}. */
    static Schema decimals(int scale) {
        Schema bytes =
                LogicalTypes.decimal(10, scale).addToSchema(Schema.create(Schema.Type.BYTES));
        Schema fixed =
                LogicalTypes.decimal(18, scale)
                        .addToSchema(Schema.createFixed("Amount", null, "shop", 8));
        Schema wide = LogicalTypes.decimal(38, scale).addToSchema(Schema.create(Schema.Type.BYTES));
        return SchemaBuilder.record("Amounts")
                .namespace("shop")
                .fields()
                .name("a")
                .type(bytes)
                .noDefault()
                .name("b")
                .type(fixed)
                .noDefault()
                .name("c")
                .type(Schema.createUnion(Schema.create(Schema.Type.NULL), wide))
                .withDefault(null)
                .endRecord();
    }

    /** A union of many branches: a JSON column. */
    private static Schema unions() {
        Schema inner = SchemaBuilder.record("Inner").fields().requiredString("s").endRecord();
        Schema union =
                Schema.createUnion(
                        Schema.create(Schema.Type.NULL),
                        Schema.create(Schema.Type.STRING),
                        Schema.create(Schema.Type.INT),
                        Schema.create(Schema.Type.LONG),
                        Schema.create(Schema.Type.DOUBLE),
                        inner,
                        Schema.createArray(Schema.create(Schema.Type.INT)),
                        Schema.createMap(Schema.create(Schema.Type.STRING)));
        return SchemaBuilder.record("U")
                .fields()
                .name("u")
                .type(union)
                .withDefault(null)
                .endRecord();
    }

    /** Strings, maps, bytes, and an enum: length prefixes to lie about. */
    private static Schema collections() {
        return SchemaBuilder.record("C")
                .fields()
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
                .name("blob")
                .type()
                .bytesType()
                .noDefault()
                .name("color")
                .type()
                .enumeration("Color")
                .symbols("RED", "GREEN")
                .noDefault()
                .endRecord();
    }
}
