package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import com.google.protobuf.Descriptors.Descriptor;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records written by Confluent's own Protobuf serializer ({@code @confluentinc/schemaregistry}, see
 * {@code src/test/resources/golden/README.md}) read by our decoder: with the schema as that
 * serializer registers it (a base64 {@code FileDescriptorProto}), and with the same schema as
 * {@code .proto} text through our parser.
 */
class ProtobufGoldenVectorsTest {

    @Test
    void theOrderVectorReadsWithTheRegisteredSchemaAndWithItsProtoText() throws Exception {
        GoldenVectors vector = GoldenVectors.load("protobuf-order");
        assertOrder(vector, vector.schema());
        assertOrder(vector, protoText(vector));
    }

    @Test
    void theNestedIndexVectorSelectsOuterInner() throws Exception {
        GoldenVectors vector = GoldenVectors.load("protobuf-nested-index");
        for (String schema : new String[] {vector.schema(), protoText(vector)}) {
            InMemorySchemaRegistry registry = registry(vector, schema);
            Descriptor inner =
                    RegistryProtobufSchemas.build(SchemaDefinition.protobuf(schema), registry)
                            .findMessageTypeByName("Outer")
                            .findNestedTypeByName("Inner");
            RowData row = decode(vector, registry, inner);
            assertThat(row.getString(0).toString()).isEqualTo(vector.value().get("name").asText());
            assertThat(row.getInt(1)).isEqualTo(vector.value().get("count").asInt());
        }
    }

    private static void assertOrder(GoldenVectors vector, String schema) throws Exception {
        InMemorySchemaRegistry registry = registry(vector, schema);
        Descriptor order =
                RegistryProtobufSchemas.build(SchemaDefinition.protobuf(schema), registry)
                        .findMessageTypeByName("Order");
        RowData row = decode(vector, registry, order);
        JsonNode value = vector.value();
        assertThat(row.getLong(0)).isEqualTo(value.get("id").asLong());
        assertThat(row.getString(1).toString()).isEqualTo(value.get("customer").asText());
        assertThat(row.getArray(2).toIntArray()).containsExactly(1, 2, 3, -4);
        assertThat(row.getString(3).toString()).isEqualTo(value.get("status").asText());
        assertThat(row.getTimestamp(4, 9).toInstant())
                .isEqualTo(Instant.parse(value.get("placedAt").asText()));
        MapData counters = row.getMap(5);
        assertThat(counters.keyArray().getString(0).toString()).isEqualTo("clicks");
        assertThat(counters.valueArray().getLong(0))
                .isEqualTo(value.get("counters").get("clicks").asLong());
        assertThat(row.getRow(6, 2).getString(0).toString())
                .isEqualTo(value.get("address").get("street").asText());
        assertThat(row.getRow(6, 2).getInt(1)).isEqualTo(value.get("address").get("zip").asInt());
        assertThat(row.isNullAt(7)).as("unset proto3 optional note").isTrue();
        assertThat(row.getString(8).toString()).isEqualTo("{\"store\":7}");
        assertThat(row.getBinary(9))
                .isEqualTo(Base64.getDecoder().decode(value.get("blob").asText()));
        assertThat(row.getDouble(10)).isEqualTo(value.get("ratio").asDouble());
        assertThat(row.getInt(11)).isEqualTo(value.get("delta").asInt());
        assertThat(row.getDecimal(12, 20, 0).toBigDecimal())
                .isEqualTo(new BigDecimal(value.get("big").asText()));
    }

    private static RowData decode(
            GoldenVectors vector, InMemorySchemaRegistry registry, Descriptor message)
            throws Exception {
        RowType columns = (RowType) ProtobufToSql.toRowType(message).getLogicalType();
        ProtobufRowDataDecoder decoder = new ProtobufRowDataDecoder(columns, () -> registry);
        decoder.open();
        return decoder.decode(vector.payload());
    }

    private static InMemorySchemaRegistry registry(GoldenVectors vector, String schema) {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.put(vector.schemaId(), vector.subject(), SchemaDefinition.protobuf(schema));
        return registry;
    }

    /** The case's schema as .proto text, kept next to the vector. */
    private static String protoText(GoldenVectors vector) throws Exception {
        try (var in =
                ProtobufGoldenVectorsTest.class.getResourceAsStream(
                        "/golden/" + vector.name() + ".json")) {
            return new org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind
                            .ObjectMapper()
                    .readTree(in)
                    .get("proto")
                    .asText();
        }
    }
}
