package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.examples.OrderEvent;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes what our serializers produce for the golden values to {@code target/serializer-output/},
 * with the schema each registered, for {@code src/test/resources/golden/read-ours.mjs} to read back
 * with Confluent's own Node deserializers (see the README there). The bytes are checked here as
 * well: a frame, and a body equal to the one Confluent's serializer wrote.
 */
class SerializerOutputForNpmTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path OUT = Path.of("target", "serializer-output");

    private static void write(
            String name, String golden, String schemaType, String schema, byte[] payload)
            throws IOException {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("name", name);
        out.put("golden", golden);
        out.put("schemaType", schemaType);
        out.put("schema", schema);
        out.put("payloadHex", HexFormat.of().formatHex(payload));
        Files.createDirectories(OUT);
        Files.writeString(
                OUT.resolve(name + ".json"),
                MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    private static byte[] body(byte[] framed) {
        return java.util.Arrays.copyOfRange(
                framed, ConfluentWireFormat.HEADER_LENGTH, framed.length);
    }

    @Test
    void writesEachGoldenValueAsOurSerializersDo() throws Exception {
        for (String golden : GoldenSpecifics.NAMES) {
            InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
            SpecificRecord value = GoldenSpecifics.expected(golden);
            @SuppressWarnings({"unchecked", "rawtypes"})
            ConfluentAvroSerializer<SpecificRecord> serializer =
                    (ConfluentAvroSerializer)
                            ConfluentAvroSerializer.forSpecific(
                                    value.getClass(), (RegistryClientFactory) () -> registry);
            serializer.open();
            byte[] bytes = serializer.encode(value, "ours", false);
            assertThat(body(bytes)).isEqualTo(body(GoldenVectors.load(golden).payload()));
            write(
                    "specific-" + golden,
                    golden,
                    "AVRO",
                    registry.getById(ConfluentWireFormat.readSchemaId(bytes)).text(),
                    bytes);
        }

        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        RowType orderRow =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                        DataTypes.FIELD("order_id", DataTypes.INT().notNull()))
                                .getLogicalType();
        for (DataFormat format : new DataFormat[] {DataFormat.AVRO, DataFormat.JSON}) {
            ConfluentRowDataSerializer rows =
                    ConfluentRowDataSerializer.of(format, orderRow, () -> registry);
            rows.open();
            byte[] bytes = rows.encode(GenericRowData.of(42, 1001), "rows-" + format, false);
            String golden = format == DataFormat.AVRO ? "avro-simple" : "json-simple";
            write(
                    "rowdata-" + golden,
                    golden,
                    format == DataFormat.AVRO ? "AVRO" : "JSON",
                    registry.getById(ConfluentWireFormat.readSchemaId(bytes)).text(),
                    bytes);
        }

        for (String golden : GoldenVectors.JSON) {
            GoldenVectors vector = GoldenVectors.load(golden);
            ConfluentJsonSerializer<JsonNode> trees =
                    ConfluentJsonSerializer.of(vector.schema(), () -> registry);
            trees.open();
            byte[] bytes = trees.encode(vector.value(), "trees-" + golden, false);
            assertThat(body(bytes)).isEqualTo(body(vector.payload()));
            write("jsonnode-" + golden, golden, "JSON", vector.schema(), bytes);
        }
        GoldenVectors simple = GoldenVectors.load("json-simple");
        ConfluentJsonSerializer<OrderEvent> events =
                ConfluentJsonSerializer.of(simple.schema(), () -> registry);
        events.open();
        write(
                "pojo-json-simple",
                "json-simple",
                "JSON",
                simple.schema(),
                events.encode(new OrderEvent(42, 1001), "events", false));

        try (var files = Files.list(OUT)) {
            assertThat(files.count()).isGreaterThanOrEqualTo(10);
        }
    }
}
