package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.protobuf.RegistryProtobufSchemas;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.ProtobufMessageIndexes;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaReference;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaType;
import io.github.flinkconfluent.connector.testing.LocalTables;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.github.flinkconfluent.connector.testing.SqlRows.collect;
import static io.github.flinkconfluent.connector.testing.TestClients.producer;
import static io.github.flinkconfluent.connector.testing.TestClients.registryClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code 'format' = 'protobuf'} tables in Flink SQL, on a real broker and the Apicurio registry's
 * Confluent-compatible API: rows written by the sink and read back by a source, and records of a
 * schema with a registry reference and a well-known type read by field number.
 */
@ExtendWith(ConfluentServicesExtension.class)
class ProtobufTablesITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static TableEnvironment tableEnv(KafkaBroker kafka, ApicurioRegistry registry) {
        return LocalTables.tableEnv(
                kafka, registry.url(), EnvironmentSettings.inStreamingMode(), 1, "500 ms");
    }

    private static String source(String name, String columns, String topic) {
        return "CREATE TABLE "
                + name
                + " ("
                + columns
                + ") WITH ('connector' = 'confluent', 'connection_profile' = 'local',"
                + " 'format' = 'protobuf', 'topic' = '"
                + topic
                + "', 'type' = 'source', 'source.offset' = 'earliest',"
                + " 'source.bounded' = 'latest', 'bad_data' = 'drop')";
    }

    @Test
    void rowsWrittenBySqlReadBackThroughTheRegisteredProtoSchema(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("pb-orders");
        kafka.createTopic(topic, 1);
        TableEnvironment env = tableEnv(kafka, registry);
        String columns =
                "id BIGINT NOT NULL, customer STRING, tags ARRAY<INT NOT NULL>,"
                        + " address ROW<city STRING>, placed_at TIMESTAMP_LTZ(3)";
        env.executeSql(
                "CREATE TABLE orders_out ("
                        + columns
                        + ") WITH ('connector' = 'confluent', 'connection_profile' = 'local',"
                        + " 'format' = 'protobuf', 'topic' = '"
                        + topic
                        + "', 'type' = 'sink')");
        env.executeSql(
                        "INSERT INTO orders_out VALUES (1, 'ada', ARRAY[1, 2], ROW('Paris'),"
                                + " TO_TIMESTAMP_LTZ(1700000000123, 3)), (2, CAST(NULL AS STRING),"
                                + " ARRAY[3], CAST(NULL AS ROW<city STRING>), CAST(NULL AS"
                                + " TIMESTAMP_LTZ(3)))")
                .await();

        try (SchemaRegistryClient client = registryClient(registry)) {
            SchemaDefinition registered =
                    client.getLatest(TestNames.valueSubject(topic)).definition();
            assertThat(registered.type()).isEqualTo(SchemaType.PROTOBUF);
            assertThat(registered.text()).contains("message Record");
        }

        env.executeSql(source("orders_in", columns, topic));
        List<Row> rows =
                collect(env, "SELECT id, customer, tags, address.city, placed_at FROM orders_in");
        assertThat(rows)
                .containsExactlyInAnyOrder(
                        Row.of(
                                1L,
                                "ada",
                                new Integer[] {1, 2},
                                "Paris",
                                Instant.ofEpochMilli(1_700_000_000_123L)),
                        Row.of(2L, null, new Integer[] {3}, null, null));
    }

    @Test
    void recordsOfASchemaWithAReferenceReadByFieldNumberAndBadRecordsAreDropped(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("pb-events");
        kafka.createTopic(topic, 1);
        String subject = TestNames.valueSubject(topic);
        String money =
                "syntax = \"proto3\"; package common; message Money { string currency = 1;"
                        + " int64 cents = 2; }";
        String event =
                "syntax = \"proto3\"; package shop;\n"
                        + "import \"common/money.proto\";\n"
                        + "import \"google/protobuf/timestamp.proto\";\n"
                        + "message Other { string x = 1; }\n"
                        + "message Event {\n"
                        + "  string id = 1;\n"
                        + "  common.Money total = 2;\n"
                        + "  google.protobuf.Timestamp happened_at = 3;\n"
                        + "  oneof origin { string web = 4; int32 store = 5; }\n"
                        + "  optional string note = 6;\n"
                        + "}\n";
        byte[] good;
        byte[] bad;
        try (SchemaRegistryClient client = registryClient(registry)) {
            String moneySubject = names.topic("money") + "-common";
            client.register(moneySubject, SchemaDefinition.protobuf(money));
            SchemaDefinition definition =
                    new SchemaDefinition(
                            SchemaType.PROTOBUF,
                            event,
                            List.of(new SchemaReference("common/money.proto", moneySubject, 1)));
            // Event is the schema's second message: records carry the index path [1].
            int id = client.register(subject, definition);
            Descriptor type =
                    RegistryProtobufSchemas.build(definition, client)
                            .findMessageTypeByName("Event");
            Descriptor moneyType = type.findFieldByName("total").getMessageType();
            DynamicMessage message =
                    DynamicMessage.newBuilder(type)
                            .setField(type.findFieldByName("id"), "e1")
                            .setField(
                                    type.findFieldByName("total"),
                                    DynamicMessage.newBuilder(moneyType)
                                            .setField(moneyType.findFieldByName("currency"), "EUR")
                                            .setField(moneyType.findFieldByName("cents"), 1250L)
                                            .build())
                            .setField(
                                    type.findFieldByName("happened_at"),
                                    Timestamp.newBuilder().setSeconds(1_700_000_000L).build())
                            .setField(type.findFieldByName("store"), 7)
                            .build();
            byte[] indexes = ProtobufMessageIndexes.encode(new int[] {1});
            byte[] body = message.toByteArray();
            byte[] payload = new byte[indexes.length + body.length];
            System.arraycopy(indexes, 0, payload, 0, indexes.length);
            System.arraycopy(body, 0, payload, indexes.length, body.length);
            good = ConfluentWireFormat.frame(id, payload, 0, payload.length);
            // Index path [1], then a tag with wire type 7, which does not exist: MALFORMED_BODY.
            byte[] malformed = {2, 2, 0x0f};
            bad = ConfluentWireFormat.frame(id, malformed, 0, malformed.length);
        }
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, bad));
            producer.send(new ProducerRecord<>(topic, good));
        }
        TableEnvironment env = tableEnv(kafka, registry);
        // The planning check compares the columns with the first message (Other), which lacks
        // them: they are nullable, so it passes; records are read as Event, found by full name.
        env.executeSql(
                source(
                        "events",
                        "id STRING, total ROW<currency STRING, cents BIGINT>,"
                                + " happened_at TIMESTAMP_LTZ(9), origin STRING, note STRING",
                        topic));
        assertThat(collect(env, "SELECT id, total.cents, happened_at, origin, note FROM events"))
                .containsExactly(
                        Row.of(
                                "e1",
                                1250L,
                                Instant.ofEpochSecond(1_700_000_000L),
                                "{\"store\":7}",
                                null));
    }

    @Test
    void protobufMessageChoosesTheMessageOfASchemaWithSeveral(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("pb-multi");
        kafka.createTopic(topic, 1);
        String subject = TestNames.valueSubject(topic);
        // Order is the second message, Line is nested in it: index paths [1] and [1, 0].
        String schema =
                "syntax = \"proto3\"; package shop;\n"
                        + "message Customer { string name = 1; }\n"
                        + "message Order {\n"
                        + "  message Line { string sku = 1; int32 quantity = 2; }\n"
                        + "  int64 id = 1;\n"
                        + "  string customer = 2;\n"
                        + "  repeated Line lines = 3;\n"
                        + "}\n";
        byte[] customer;
        int id;
        try (SchemaRegistryClient client = registryClient(registry)) {
            id = client.register(subject, SchemaDefinition.protobuf(schema));
            Descriptor type =
                    RegistryProtobufSchemas.build(SchemaDefinition.protobuf(schema), client)
                            .findMessageTypeByName("Customer");
            byte[] body =
                    DynamicMessage.newBuilder(type)
                            .setField(type.findFieldByName("name"), "ada")
                            .build()
                            .toByteArray();
            byte[] payload = new byte[body.length + 1]; // index path [0]: one zero byte
            System.arraycopy(body, 0, payload, 1, body.length);
            customer = ConfluentWireFormat.frame(id, payload, 0, payload.length);
        }
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(topic, customer)).get();
        }
        TableEnvironment env = tableEnv(kafka, registry);
        String columns =
                "id BIGINT NOT NULL, customer STRING, lines ARRAY<ROW<sku STRING, quantity INT>>";
        String options =
                "'connector' = 'confluent', 'connection_profile' = 'local', 'format' = 'protobuf',"
                        + " 'protobuf.message' = 'shop.Order', 'topic' = '"
                        + topic
                        + "'";
        // Without the option, the NOT NULL id could not read the first message (Customer).
        env.executeSql(
                "CREATE TABLE orders_out ("
                        + columns
                        + ") WITH ("
                        + options
                        + ", 'type' = 'sink')");
        env.executeSql(
                        "INSERT INTO orders_out VALUES (7, 'ada', ARRAY[ROW('book', 2), ROW('pen',"
                                + " 1)])")
                .await();
        try (SchemaRegistryClient client = registryClient(registry)) {
            assertThat(client.getVersions(subject))
                    .as("the sink writes with the registered schema's Order message")
                    .hasSize(1);
        }
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> written =
                kafka.readCommitted(topic);
        byte[] last = written.get(written.size() - 1).value();
        assertThat(ConfluentWireFormat.readSchemaId(last)).isEqualTo(id);
        assertThat(
                        ProtobufMessageIndexes.decode(last, ConfluentWireFormat.HEADER_LENGTH, id)
                                .indexes())
                .containsExactly(1);

        env.executeSql(
                "CREATE TABLE orders_in ("
                        + columns
                        + ") WITH ("
                        + options
                        + ", 'type' = 'source', 'source.offset' = 'earliest',"
                        + " 'source.bounded' = 'latest', 'bad_data' = 'drop')");
        // The Customer record is another message: bad data, dropped.
        assertThat(collect(env, "SELECT id, customer, lines[2].sku FROM orders_in"))
                .containsExactly(Row.of(7L, "ada", "pen"));

        // A nested message, and a name the schema lacks.
        env.executeSql(
                "CREATE TABLE lines_in (sku STRING, quantity INT) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'protobuf',"
                        + " 'protobuf.message' = 'shop.Order.Line', 'topic' = '"
                        + topic
                        + "', 'type' = 'source', 'source.offset' = 'earliest',"
                        + " 'source.bounded' = 'latest', 'bad_data' = 'drop')");
        assertThat(collect(env, "SELECT sku FROM lines_in")).isEmpty();
        env.executeSql(
                "CREATE TABLE nothing_in (sku STRING) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'protobuf',"
                        + " 'protobuf.message' = 'shop.Invoice', 'topic' = '"
                        + topic
                        + "', 'type' = 'source')");
        assertThatThrownBy(() -> collect(env, "SELECT sku FROM nothing_in"))
                .hasStackTraceContaining("has no message shop.Invoice")
                .hasStackTraceContaining("shop.Customer, shop.Order, shop.Order.Line");
    }

    @Test
    void protobufMessageNamesTheMessageASinkRegisters(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("pb-named");
        kafka.createTopic(topic, 1);
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE payments (id BIGINT NOT NULL, amount DOUBLE) WITH ('connector' ="
                        + " 'confluent', 'connection_profile' = 'local', 'format' = 'protobuf',"
                        + " 'protobuf.message' = 'billing.Payment', 'topic' = '"
                        + topic
                        + "')");
        env.executeSql("INSERT INTO payments VALUES (1, 2.5)").await();
        try (SchemaRegistryClient client = registryClient(registry)) {
            String text = client.getLatest(TestNames.valueSubject(topic)).definition().text();
            assertThat(text).contains("package billing;").contains("message Payment {");
        }
        assertThat(
                        collect(
                                env,
                                "SELECT id, amount FROM payments /*+ OPTIONS('source.offset' ="
                                        + " 'earliest', 'source.bounded' = 'latest') */"))
                .containsExactly(Row.of(1L, 2.5));
        env.executeSql(
                "CREATE TABLE wrong (id BIGINT) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'avro',"
                        + " 'protobuf.message' = 'a.B', 'topic' = '"
                        + topic
                        + "', 'type' = 'sink')");
        assertThatThrownBy(() -> env.executeSql("INSERT INTO wrong VALUES (1)").await())
                .hasStackTraceContaining(
                        "sets 'protobuf.message', which only a protobuf format" + " reads");
    }
}
