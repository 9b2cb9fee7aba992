package io.github.flinkconfluent.catalog;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The schema-registry catalog with Flink SQL on a real broker and registry. */
@ExtendWith(ConfluentServicesExtension.class)
class SchemaRegistryCatalogITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final String READ_ALL =
            " /*+ OPTIONS('source.offset' = 'earliest', 'source.bounded' = 'latest') */";

    private static TableEnvironment catalog(KafkaBroker kafka, String registryUrl) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig()
                .set("confluent.profiles.my_cluster.bootstrap.servers", kafka.bootstrapServers());
        env.getConfig().set("confluent.profiles.my_cluster.schema-registry.endpoint", registryUrl);
        env.getConfig().set("table.exec.resource.default-parallelism", "1");
        env.executeSql(
                "CREATE CATALOG confluent WITH ('type' = 'schema-registry',"
                        + " 'connection_profile' = 'my_cluster')");
        env.executeSql("USE CATALOG confluent");
        return env;
    }

    private static List<Row> collect(TableEnvironment env, String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static SchemaRegistryClient client(String url) {
        return SchemaRegistryClients.create(SchemaRegistryConfig.builder(url).build());
    }

    @Test
    void registrySubjectsAreTablesWithDerivedColumns(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("events").replace('-', '_');
        kafka.createTopic(topic, 1);
        Schema schema =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Event\",\"fields\":["
                                        + "{\"name\":\"id\",\"type\":\"int\"},"
                                        + "{\"name\":\"tags\",\"type\":{\"type\":\"array\","
                                        + "\"items\":\"string\"}},"
                                        + "{\"name\":\"payload\",\"type\":[\"null\",\"int\","
                                        + "{\"type\":\"record\",\"name\":\"Addr\",\"fields\":["
                                        + "{\"name\":\"city\",\"type\":\"string\"}]}]}]}");
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(
                        client(registry.url()), TestNames.valueSubject(topic), schema, true);
        GenericRecord addr =
                new GenericData.Record(schema.getField("payload").schema().getTypes().get(2));
        addr.put("city", "Oslo");
        GenericRecord event = new GenericData.Record(schema);
        event.put("id", 7);
        event.put("tags", List.of("a", "b"));
        event.put("payload", addr);
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        Schema keySchema =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"EventKey\",\"fields\":["
                                        + "{\"name\":\"id\",\"type\":\"int\"}]}");
        AvroRegistrySerializer keySerializer =
                new AvroRegistrySerializer(
                        client(registry.url()), TestNames.keySubject(topic), keySchema, true);
        GenericRecord key = new GenericData.Record(keySchema);
        key.put("id", 70);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(
                    new ProducerRecord<>(
                            topic, keySerializer.serialize(key), serializer.serialize(event)));
        }
        TableEnvironment env = catalog(kafka, registry.url());

        assertThat(collect(env, "SHOW TABLES")).contains(Row.of(topic));
        List<Row> describe = collect(env, "DESCRIBE " + topic);
        assertThat(describe)
                .extracting(r -> r.getField(0) + " " + r.getField(1))
                .startsWith(
                        "key_id INT",
                        "id INT",
                        "tags ARRAY<STRING NOT NULL>",
                        "payload STRING",
                        "kafka_partition INT",
                        "kafka_offset BIGINT",
                        "kafka_timestamp TIMESTAMP_LTZ(3)");
        assertThat(
                        collect(
                                env,
                                "SELECT key_id, id, tags[2], JSON_VALUE(payload, '$.city'),"
                                        + " kafka_offset"
                                        + " FROM "
                                        + topic
                                        + READ_ALL))
                .containsExactly(Row.of(70, 7, "b", "Oslo", 0L));
        String ddl = collect(env, "SHOW CREATE TABLE " + topic).get(0).getField(0).toString();
        assertThat(ddl)
                .contains("'connector' = 'confluent'")
                .contains("'topic' = '" + topic + "'")
                .contains("'format' = 'avro'")
                .contains("'connection_profile' = 'my_cluster'");

        env.executeSql(
                "CREATE CATALOG seed WITH ('type' = 'schema-registry', 'connection_profile' ="
                        + " 'my_cluster', 'json_columns' = 'seed')");
        assertThat(collect(env, "DESCRIBE seed.`default`." + topic))
                .extracting(r -> r.getField(0) + " " + r.getField(1))
                .as("the seed's mapping: arrays as JSON columns")
                .contains("tags STRING");
    }

    @Test
    void createInsertAlterAndDropRoundTrip(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("payments").replace('-', '_');
        TableEnvironment env = catalog(kafka, registry.url());

        env.executeSql(
                "CREATE TABLE "
                        + topic
                        + " (id BIGINT NOT NULL, amount DOUBLE) WITH ('topic.partitions' = '2')");
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            assertThat(
                            admin.describeTopics(List.of(topic))
                                    .allTopicNames()
                                    .get(30, TimeUnit.SECONDS)
                                    .get(topic)
                                    .partitions())
                    .hasSize(2);
        }
        SchemaRegistryClient client = client(registry.url());
        assertThat(client.getVersions(TestNames.valueSubject(topic))).hasSize(1);

        env.executeSql("INSERT INTO " + topic + " VALUES (1, 2.5), (2, CAST(NULL AS DOUBLE))")
                .await();
        assertThat(client.getVersions(TestNames.valueSubject(topic)))
                .as("the sink writes with the schema the catalog registered")
                .hasSize(1);
        assertThat(collect(env, "SELECT id, amount FROM " + topic + READ_ALL))
                .containsExactlyInAnyOrder(Row.of(1L, 2.5), Row.of(2L, null));

        env.executeSql("ALTER TABLE " + topic + " ADD note STRING");
        assertThat(client.getVersions(TestNames.valueSubject(topic))).hasSize(2);
        assertThat(collect(env, "DESCRIBE " + topic))
                .extracting(r -> r.getField(0))
                .contains("note");
        assertThat(collect(env, "SELECT id, note FROM " + topic + READ_ALL))
                .as("old records read with the new column as NULL")
                .containsExactlyInAnyOrder(Row.of(1L, null), Row.of(2L, null));
        assertThatThrownBy(() -> env.executeSql("ALTER TABLE " + topic + " ADD other INT NOT NULL"))
                .hasStackTraceContaining("must be nullable");

        env.executeSql("DROP TABLE " + topic);
        assertThat(collect(env, "SHOW TABLES")).doesNotContain(Row.of(topic));
    }

    @Test
    void viewsLiveInTheSessionAndTableOptionsHoldNoSecret(KafkaBroker kafka, TestNames names)
            throws Exception {
        String password = System.getenv("FLINK_CONFLUENT_IT_SR_SECRET");
        try (ApicurioRegistry secured = ApicurioRegistry.withBasicAuth("sr-key", password)) {
            secured.start();
            String topic = names.topic("secret").replace('-', '_');
            SchemaRegistryClients.create(
                            SchemaRegistryConfig.builder(secured.url())
                                    .basicAuth("sr-key", password)
                                    .build())
                    .register(
                            TestNames.valueSubject(topic),
                            SchemaDefinition.avro(
                                    "{\"type\":\"record\",\"name\":\"R\",\"fields\":["
                                            + "{\"name\":\"id\",\"type\":\"int\"}]}"));
            TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
            String profile = "confluent.profiles.secured.";
            env.getConfig().set(profile + "bootstrap.servers", kafka.bootstrapServers());
            env.getConfig().set(profile + "schema-registry.endpoint", secured.url());
            env.getConfig().set(profile + "schema-registry.api-key", "sr-key");
            env.getConfig()
                    .set(
                            profile + "schema-registry.api-secret",
                            "{{FLINK_CONFLUENT_IT_SR_SECRET}}");
            env.executeSql(
                    "CREATE CATALOG sec WITH ('type' = 'schema-registry', 'connection_profile' ="
                            + " 'secured')");
            env.executeSql("USE CATALOG sec");
            env.executeSql("CREATE VIEW ids AS SELECT id FROM " + topic);

            assertThat(collect(env, "SHOW TABLES")).contains(Row.of(topic), Row.of("ids"));
            String ddl = collect(env, "SHOW CREATE TABLE " + topic).get(0).getField(0).toString();
            String plan = env.explainSql("SELECT * FROM ids");
            assertThat(ddl).doesNotContain(password).doesNotContain("api-secret");
            assertThat(plan).doesNotContain(password);
        }
    }

    @Test
    void tenThousandSubjectsAreListedQuickly(KafkaBroker kafka) throws Exception {
        try (ApicurioRegistry big = new ApicurioRegistry("NONE")) {
            big.start();
            SchemaRegistryClient client = client(big.url());
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<Integer>> registered = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                String subject = "t" + i + "-value";
                registered.add(
                        pool.submit(
                                () ->
                                        client.register(
                                                subject,
                                                SchemaDefinition.avro(
                                                        "{\"type\":\"record\",\"name\":\"R\","
                                                                + "\"fields\":[{\"name\":\"id\","
                                                                + "\"type\":\"int\"}]}"))));
            }
            for (Future<Integer> future : registered) {
                future.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            TableEnvironment env = catalog(kafka, big.url());

            long start = System.nanoTime();
            List<Row> tables = collect(env, "SHOW TABLES");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            System.out.printf(
                    "SHOW TABLES over 10000 subjects: %d tables in %d ms%n", tables.size(), millis);
            assertThat(tables).hasSize(10_000);
            assertThat(millis).as("listing 10000 subjects").isLessThan(2000);
        }
    }
}
