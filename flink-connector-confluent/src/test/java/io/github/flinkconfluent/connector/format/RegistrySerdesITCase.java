package io.github.flinkconfluent.connector.format;

import io.github.flinkconfluent.connector.format.avro.AvroRegistryDeserializer;
import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.format.json.JsonRegistryDeserializer;
import io.github.flinkconfluent.connector.format.json.JsonRegistrySerializer;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Avro and JSON Schema serdes with schemas registered in, and fetched from, a real registry.
 */
@ExtendWith(ConfluentServicesExtension.class)
class RegistrySerdesITCase {

    private static final Schema V1 =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
                                    + "{\"name\":\"customer_id\",\"type\":\"int\"},"
                                    + "{\"name\":\"order_id\",\"type\":\"int\"}]}");
    private static final Schema V2 =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
                                    + "{\"name\":\"customer_id\",\"type\":\"int\"},"
                                    + "{\"name\":\"order_id\",\"type\":\"long\"},"
                                    + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],"
                                    + "\"default\":null}]}");

    private static SchemaRegistryClient client(ApicurioRegistry registry) {
        return SchemaRegistryClients.create(SchemaRegistryConfig.builder(registry.url()).build());
    }

    @Test
    void oldAndNewWritersAreReadByOneEvolvedReader(ApicurioRegistry registry, TestNames names)
            throws Exception {
        SchemaRegistryClient client = client(registry);
        String subject = TestNames.valueSubject(names.topic("orders"));
        AvroRegistrySerializer oldWriter = new AvroRegistrySerializer(client, subject, V1, true);
        AvroRegistrySerializer newWriter = new AvroRegistrySerializer(client, subject, V2, true);
        assertThat(newWriter.schemaId()).isNotEqualTo(oldWriter.schemaId());

        GenericRecord old = new GenericData.Record(V1);
        old.put("customer_id", 7);
        old.put("order_id", 100);
        GenericRecord current = new GenericData.Record(V2);
        current.put("customer_id", 8);
        current.put("order_id", 5_000_000_000L);
        current.put("note", "gift");
        byte[] oldBytes = oldWriter.serialize(old);
        byte[] newBytes = newWriter.serialize(current);

        // A fresh client: writer schemas really come from the registry by id.
        AvroRegistryDeserializer reader = new AvroRegistryDeserializer(client(registry), V2);
        GenericRecord readOld = (GenericRecord) reader.deserialize(oldBytes);
        GenericRecord readNew = (GenericRecord) reader.deserialize(newBytes);

        assertThat(readOld.get("order_id")).as("int widened to long").isEqualTo(100L);
        assertThat(readOld.get("note")).as("missing field takes its default").isNull();
        assertThat(readNew.get("order_id")).isEqualTo(5_000_000_000L);
        assertThat(readNew.get("note").toString()).isEqualTo("gift");
        assertThat(reader.writerSchema(oldWriter.schemaId())).isEqualTo(V1);
    }

    @Test
    void recordsOfAnIncompatibleWriterAreBadDataNotCrashes(
            ApicurioRegistry registry, TestNames names) throws Exception {
        SchemaRegistryClient client = client(registry);
        String subject = TestNames.valueSubject(names.topic("other"));
        Schema unrelated =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
                                        + "{\"name\":\"sku\",\"type\":\"string\"}]}");
        byte[] bytes =
                new AvroRegistrySerializer(client, subject, unrelated, true)
                        .serialize(
                                new GenericData.Record(unrelated) {
                                    {
                                        put("sku", "A-1");
                                    }
                                });

        assertThatThrownBy(() -> new AvroRegistryDeserializer(client, V1).deserialize(bytes))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> {
                            assertThat(e.reason())
                                    .isEqualTo(WireFormatException.Reason.INCOMPATIBLE_SCHEMA);
                            assertThat(e.getMessage()).contains("customer_id");
                        });
    }

    @Test
    void unknownSchemaIdsAreNamedBadData(ApicurioRegistry registry) {
        byte[] bytes = {0, 0x7f, (byte) 0xff, (byte) 0xff, 0x00, 2, 4};
        assertThatThrownBy(
                        () -> new AvroRegistryDeserializer(client(registry), V1).deserialize(bytes))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> {
                            assertThat(e.reason())
                                    .isEqualTo(WireFormatException.Reason.UNKNOWN_SCHEMA_ID);
                            assertThat(e.schemaId()).isEqualTo(0x7fffff00);
                        });
    }

    @Test
    void serializerWithoutRegistrationUsesTheRegisteredId(
            ApicurioRegistry registry, TestNames names) {
        SchemaRegistryClient client = client(registry);
        String subject = TestNames.valueSubject(names.topic("lookup"));
        int id = client.register(subject, SchemaDefinition.avro(V1.toString()));

        assertThat(new AvroRegistrySerializer(client, subject, V1, false).schemaId()).isEqualTo(id);
    }

    @Test
    void jsonRoundTripsAndValidates(ApicurioRegistry registry, TestNames names) throws Exception {
        SchemaRegistryClient client = client(registry);
        String subject = TestNames.valueSubject(names.topic("json"));
        String schema =
                "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},"
                        + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
                        + "\"required\":[\"id\"]}";
        JsonRegistrySerializer serializer =
                new JsonRegistrySerializer(client, subject, schema, true, true);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode value = mapper.readTree("{\"id\":5,\"tags\":[\"a\",\"b\"]}");

        byte[] bytes = serializer.serialize(value);
        assertThat(new JsonRegistryDeserializer(client(registry), true).deserialize(bytes))
                .isEqualTo(value);

        assertThatThrownBy(() -> serializer.serialize(mapper.readTree("{\"tags\":[1]}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("required property 'id'");
    }
}
