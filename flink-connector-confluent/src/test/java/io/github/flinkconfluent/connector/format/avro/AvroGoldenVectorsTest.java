package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Our Avro serdes against bytes written by Confluent's own serializer. */
class AvroGoldenVectorsTest {

    static final List<String> VECTORS = GoldenVectors.AVRO;

    @ParameterizedTest
    @FieldSource("VECTORS")
    void decodesConfluentBytes(String name) throws Exception {
        GoldenVectors golden = GoldenVectors.load(name);
        InMemorySchemaRegistry registry = GoldenVectors.registryWithAll();
        Schema schema = new Schema.Parser().parse(golden.schema());

        Object decoded = new AvroRegistryDeserializer(registry, null).deserialize(golden.payload());

        assertThat(decoded).isEqualTo(toAvro(golden.value(), schema));
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void encodesTheSameBytesAsConfluent(String name) {
        GoldenVectors golden = GoldenVectors.load(name);
        Schema schema = new Schema.Parser().parse(golden.schema());

        byte[] ours =
                new AvroRegistrySerializer(schema, golden.schemaId(), GenericData.get())
                        .serialize(toAvro(golden.value(), schema));

        assertThat(HexFormat.of().formatHex(ours))
                .isEqualTo(HexFormat.of().formatHex(golden.payload()));
    }

    /** The golden "value" JSON as the Avro generic datum of {@code schema}. */
    static Object toAvro(JsonNode value, Schema schema) {
        switch (schema.getType()) {
            case RECORD:
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), toAvro(value.get(field.name()), field.schema()));
                }
                return record;
            case UNION:
                if (value == null || value.isNull()) {
                    return null;
                }
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return toAvro(value, branch);
                    }
                }
                throw new IllegalArgumentException("union without a non-null branch");
            case ENUM:
                return new GenericData.EnumSymbol(schema, value.asText());
            case ARRAY:
                GenericData.Array<Object> array = new GenericData.Array<>(value.size(), schema);
                value.forEach(item -> array.add(toAvro(item, schema.getElementType())));
                return array;
            case MAP:
                Map<String, Object> map = new LinkedHashMap<>();
                value.properties()
                        .forEach(
                                e ->
                                        map.put(
                                                e.getKey(),
                                                toAvro(e.getValue(), schema.getValueType())));
                return map;
            case STRING:
                return new org.apache.avro.util.Utf8(value.asText());
            case BYTES:
                return ByteBuffer.wrap(HexFormat.of().parseHex(value.asText()));
            case INT:
                return value.asInt();
            case LONG:
                return value.asLong();
            case FLOAT:
                return (float) value.asDouble();
            case DOUBLE:
                return value.asDouble();
            case BOOLEAN:
                return value.asBoolean();
            case NULL:
                return null;
            default:
                throw new IllegalArgumentException("type not used by the vectors: " + schema);
        }
    }
}
