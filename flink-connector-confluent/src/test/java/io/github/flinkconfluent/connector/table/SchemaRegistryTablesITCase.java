package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
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
import org.apache.flink.util.ExceptionUtils;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.github.flinkconfluent.connector.testing.SqlRows.collect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tables and the registry together: schema evolution read by one table, JSON columns for what SQL
 * cannot hold, declared columns checked against the subject at planning, sink schemas reused or
 * refused.
 */
@ExtendWith(ConfluentServicesExtension.class)
class SchemaRegistryTablesITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    private static SchemaRegistryClient client(ApicurioRegistry registry) {
        return SchemaRegistryClients.create(SchemaRegistryConfig.builder(registry.url()).build());
    }

    private static TableEnvironment tableEnv(KafkaBroker kafka, ApicurioRegistry registry) {
        return LocalTables.tableEnv(
                kafka, registry.url(), EnvironmentSettings.inStreamingMode(), 1, null);
    }

    private static String source(String name, String columns, String topic) {
        return "CREATE TABLE "
                + name
                + " ("
                + columns
                + ") WITH ('connector' = 'confluent', 'connection_profile' = 'local', 'format' ="
                + " 'avro', 'topic' = '"
                + topic
                + "', 'type' = 'source', 'source.offset' = 'earliest', 'source.bounded' ="
                + " 'latest')";
    }

    private static void produce(KafkaBroker kafka, String topic, List<byte[]> values) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            values.forEach(v -> producer.send(new ProducerRecord<>(topic, 0, null, v)));
        }
    }

    @Test
    void oldAndNewWritersAreReadByOneTableThroughEveryKindOfEvolution(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("evolving");
        kafka.createTopic(topic, 1);
        String subject = TestNames.valueSubject(topic);
        Schema v1 =
                parse(
                        "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
                            + "{\"name\":\"id\",\"type\":\"int\"},"
                            + "{\"name\":\"amount\",\"type\":\"int\"},"
                            + "{\"name\":\"old_name\",\"type\":\"string\"},"
                            + "{\"name\":\"legacy\",\"type\":\"string\",\"default\":\"x\"}]}");
        // Widened int -> long, renamed with an alias, a field with a default removed, an
        // optional field added.
        Schema v2 =
                parse(
                        "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":["
                            + "{\"name\":\"id\",\"type\":\"int\"},"
                            + "{\"name\":\"amount\",\"type\":\"long\"},"
                            + "{\"name\":\"new_name\",\"type\":\"string\",\"aliases\":[\"old_name\"]},"
                            + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}");
        SchemaRegistryClient client = client(registry);
        AvroRegistrySerializer oldWriter = new AvroRegistrySerializer(client, subject, v1, true);
        AvroRegistrySerializer newWriter = new AvroRegistrySerializer(client, subject, v2, true);
        GenericRecord old = new GenericData.Record(v1);
        old.put("id", 1);
        old.put("amount", 10);
        old.put("old_name", "a");
        old.put("legacy", "l");
        GenericRecord current = new GenericData.Record(v2);
        current.put("id", 2);
        current.put("amount", 20L);
        current.put("new_name", "b");
        current.put("note", "n");
        produce(kafka, topic, List.of(oldWriter.serialize(old), newWriter.serialize(current)));
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                source(
                        "orders",
                        "id INT NOT NULL, amount BIGINT NOT NULL, new_name STRING, note STRING",
                        topic));

        assertThat(collect(env, "SELECT * FROM orders"))
                .containsExactly(Row.of(1, 10L, "a", null), Row.of(2, 20L, "b", "n"));
    }

    @Test
    void whatSqlCannotHoldIsAJsonColumnQueriedWithJsonValue(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("unions");
        kafka.createTopic(topic, 1);
        Schema schema =
                parse(
                        "{\"type\":\"record\",\"name\":\"Event\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"int\"},"
                                + "{\"name\":\"payload\",\"type\":[\"null\",\"int\",{\"type\":"
                                + "\"record\",\"name\":\"Addr\",\"fields\":[{\"name\":\"city\","
                                + "\"type\":\"string\"}]}]}]}");
        AvroRegistrySerializer writer =
                new AvroRegistrySerializer(
                        client(registry), TestNames.valueSubject(topic), schema, true);
        Schema addr = schema.getField("payload").schema().getTypes().get(2);
        GenericRecord oslo = new GenericData.Record(addr);
        oslo.put("city", "Oslo");
        GenericRecord first = new GenericData.Record(schema);
        first.put("id", 1);
        first.put("payload", oslo);
        GenericRecord second = new GenericData.Record(schema);
        second.put("id", 2);
        second.put("payload", 5);
        produce(kafka, topic, List.of(writer.serialize(first), writer.serialize(second)));
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(source("events", "id INT NOT NULL, payload STRING", topic));

        assertThat(collect(env, "SELECT id, JSON_VALUE(payload, '$.city'), payload FROM events"))
                .containsExactly(Row.of(1, "Oslo", "{\"city\": \"Oslo\"}"), Row.of(2, null, "5"));
    }

    @Test
    void declaredColumnsAreCheckedAgainstTheSubjectWhenPlanning(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) {
        String topic = names.topic("checked");
        kafka.createTopic(topic, 1);
        String subject = TestNames.valueSubject(topic);
        client(registry)
                .register(
                        subject,
                        SchemaDefinition.avro(
                                "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                                        + "{\"name\":\"id\",\"type\":\"int\"}]}"));
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(source("missing", "id INT, extra INT NOT NULL", topic));
        env.executeSql(source("mistyped", "id BOOLEAN", topic));

        assertThatThrownBy(() -> env.explainSql("SELECT * FROM missing"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("cannot read subject '" + subject + "'")
                                        .contains("extra"));
        assertThatThrownBy(() -> env.explainSql("SELECT * FROM mistyped"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("cannot read subject '" + subject + "'")
                                        .contains("id"));
    }

    @Test
    void aSinkReusesAFittingSchemaAndRefusesAnIncompatibleOne(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String fitting = names.topic("fitting");
        String clashing = names.topic("clashing");
        kafka.createTopic(fitting, 1);
        kafka.createTopic(clashing, 1);
        SchemaRegistryClient client = client(registry);
        int id =
                client.register(
                        TestNames.valueSubject(fitting),
                        SchemaDefinition.avro(
                                "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\","
                                        + "\"fields\":[{\"name\":\"customer_id\",\"type\":\"int\"},"
                                        + "{\"name\":\"order_id\",\"type\":\"int\"}]}"));
        client.register(
                TestNames.valueSubject(clashing),
                SchemaDefinition.avro(
                        "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                                + "{\"name\":\"id\",\"type\":\"int\"}]}"));
        TableEnvironment env = tableEnv(kafka, registry);
        String sink =
                "('connector' = 'confluent', 'connection_profile' = 'local', 'format' = 'avro',"
                        + " 'type' = 'sink', 'topic' = '";
        env.executeSql(
                "CREATE TABLE fitting (customer_id INT NOT NULL, order_id INT NOT NULL) WITH "
                        + sink
                        + fitting
                        + "')");
        env.executeSql("CREATE TABLE clashing (id STRING NOT NULL) WITH " + sink + clashing + "')");

        env.executeSql("INSERT INTO fitting VALUES (1, 2)").await();
        assertThat(client.getVersions(TestNames.valueSubject(fitting)))
                .as("no new version")
                .hasSize(1);
        env.executeSql(
                source("fitting_read", "customer_id INT NOT NULL, order_id INT NOT NULL", fitting));
        assertThat(collect(env, "SELECT * FROM fitting_read")).containsExactly(Row.of(1, 2));
        assertThat(client.getLatest(TestNames.valueSubject(fitting)).id()).isEqualTo(id);

        assertThatThrownBy(() -> env.explainSql("INSERT INTO clashing VALUES ('x')"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains(
                                                "subject '"
                                                        + TestNames.valueSubject(clashing)
                                                        + "' rejects as incompatible"));
    }

    @Test
    void aJsonSinkRegistersItsSchemaAndAJsonSourceReadsIt(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("json");
        kafka.createTopic(topic, 1);
        TableEnvironment env = tableEnv(kafka, registry);
        String with =
                " WITH ('connector' = 'confluent', 'connection_profile' = 'local', 'format' ="
                        + " 'json', 'topic' = '"
                        + topic
                        + "', ";
        env.executeSql(
                "CREATE TABLE out_json (id BIGINT NOT NULL, name STRING)"
                        + with
                        + "'type' = 'sink')");
        env.executeSql(
                "CREATE TABLE in_json (id BIGINT NOT NULL, name STRING)"
                        + with
                        + "'type' = 'source', 'source.offset' = 'earliest', 'source.bounded' ="
                        + " 'latest', 'json.validate' = 'true')");
        env.executeSql("INSERT INTO out_json VALUES (1, 'a'), (2, CAST(NULL AS STRING))").await();

        assertThat(client(registry).getLatest(TestNames.valueSubject(topic)).definition().text())
                .contains("\"required\":[\"id\"]");
        assertThat(collect(env, "SELECT * FROM in_json"))
                .containsExactly(Row.of(1L, "a"), Row.of(2L, null));
    }

    @Test
    void keyColumnsRoundTripThroughTheKeySubject(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("keyed");
        kafka.createTopic(topic, 2);
        TableEnvironment env = tableEnv(kafka, registry);
        String with =
                " WITH ('connector' = 'confluent', 'connection_profile' = 'local', 'format' ="
                        + " 'avro', 'topic' = '"
                        + topic
                        + "', 'key.fields' = 'key_id', 'key.fields-prefix' = 'key_',"
                        + " 'key.format' = 'avro', 'value.fields-include' = 'EXCEPT_KEY', ";
        env.executeSql(
                "CREATE TABLE keyed_out (key_id INT NOT NULL, name STRING)"
                        + with
                        + "'type' = 'sink')");
        env.executeSql(
                "CREATE TABLE keyed_in (key_id INT NOT NULL, name STRING)"
                        + with
                        + "'type' = 'source', 'source.offset' = 'earliest', 'source.bounded' ="
                        + " 'latest')");
        env.executeSql("INSERT INTO keyed_out VALUES (1, 'one'), (2, 'two')").await();

        SchemaRegistryClient client = client(registry);
        assertThat(client.getLatest(TestNames.keySubject(topic)).definition().text())
                .contains("{\"name\":\"id\"")
                .doesNotContain("{\"name\":\"name\"");
        assertThat(client.getLatest(TestNames.valueSubject(topic)).definition().text())
                .contains("{\"name\":\"name\"")
                .doesNotContain("{\"name\":\"id\"");
        assertThat(collect(env, "SELECT key_id, name FROM keyed_in"))
                .containsExactlyInAnyOrder(Row.of(1, "one"), Row.of(2, "two"));
    }
}
