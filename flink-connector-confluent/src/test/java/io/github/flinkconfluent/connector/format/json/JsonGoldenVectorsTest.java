package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Our JSON Schema serdes against bytes written by Confluent's own serializer. */
class JsonGoldenVectorsTest {

    static final List<String> VECTORS = GoldenVectors.JSON;

    @ParameterizedTest
    @FieldSource("VECTORS")
    void decodesAndValidatesConfluentBytes(String name) throws Exception {
        GoldenVectors golden = GoldenVectors.load(name);
        InMemorySchemaRegistry registry = GoldenVectors.registryWithAll();

        assertThat(new JsonRegistryDeserializer(registry, true).deserialize(golden.payload()))
                .isEqualTo(golden.value());
    }

    @ParameterizedTest
    @FieldSource("VECTORS")
    void encodesTheSameBytesAsConfluent(String name) {
        GoldenVectors golden = GoldenVectors.load(name);
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.put(golden.schemaId(), golden.subject(), golden.definition());

        byte[] ours =
                new JsonRegistrySerializer(registry, golden.subject(), golden.schema(), false, true)
                        .serialize(golden.value());

        assertThat(HexFormat.of().formatHex(ours))
                .isEqualTo(HexFormat.of().formatHex(golden.payload()));
    }
}
