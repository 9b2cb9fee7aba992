package io.github.flinkconfluent.catalog;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.connector.registry.SchemaType;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.RecordingHttpProxy;
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
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        return catalog(kafka, registryUrl, "");
    }

    /**
     * A session using catalog {@code confluent}; {@code options} adds {@code , 'k' = 'v'} pairs.
     */
    private static TableEnvironment catalog(KafkaBroker kafka, String registryUrl, String options) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig()
                .set("confluent.profiles.my_cluster.bootstrap.servers", kafka.bootstrapServers());
        env.getConfig().set("confluent.profiles.my_cluster.schema-registry.endpoint", registryUrl);
        env.getConfig().set("table.exec.resource.default-parallelism", "1");
        env.executeSql(
                "CREATE CATALOG confluent WITH ('type' = 'schema-registry',"
                        + " 'connection_profile' = 'my_cluster'"
                        + options
                        + ")");
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
                "CREATE CATALOG collections_as_json WITH ('type' = 'schema-registry',"
                        + " 'connection_profile' = 'my_cluster',"
                        + " 'json_columns' = 'also_arrays_and_maps')");
        assertThat(collect(env, "DESCRIBE collections_as_json.`default`." + topic))
                .extracting(r -> r.getField(0) + " " + r.getField(1))
                .as("arrays as JSON columns")
                .contains("tags STRING");
        // The value's first name is still accepted.
        env.executeSql(
                "CREATE CATALOG old_name WITH ('type' = 'schema-registry', 'connection_profile' ="
                        + " 'my_cluster', 'json_columns' = 'seed')");
        assertThat(collect(env, "DESCRIBE old_name.`default`." + topic))
                .extracting(r -> r.getField(0) + " " + r.getField(1))
                .contains("tags STRING");

        // ALTER TABLE registers the value columns only, and keeps the union a union.
        env.executeSql("ALTER TABLE " + topic + " ADD note STRING");
        Schema next =
                new Schema.Parser()
                        .parse(
                                client(registry.url())
                                        .getLatest(TestNames.valueSubject(topic))
                                        .definition()
                                        .text());
        assertThat(next.getFields())
                .extracting(Schema.Field::name)
                .containsExactly("id", "tags", "payload", "note");
        assertThat(next.getField("payload").schema())
                .isEqualTo(schema.getField("payload").schema());
        assertThat(next.getField("tags").schema()).isEqualTo(schema.getField("tags").schema());
        assertThat(next.getField("note").schema().getTypes())
                .extracting(Schema::getType)
                .containsExactly(Schema.Type.NULL, Schema.Type.STRING);
        assertThat(
                        collect(
                                env,
                                "SELECT key_id, JSON_VALUE(payload, '$.city'), note FROM "
                                        + topic
                                        + READ_ALL))
                .containsExactly(Row.of(70, "Oslo", null));
    }

    @Test
    void aTableWithAPrimaryKeyIsAnUpsertTableOnACompactedTopic(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("totals").replace('-', '_');
        TableEnvironment env = catalog(kafka, registry.url());
        env.getConfig().set("execution.checkpointing.interval", "1 s");

        env.executeSql(
                "CREATE TABLE "
                        + topic
                        + " (customer_id INT NOT NULL, total BIGINT,"
                        + " PRIMARY KEY (customer_id) NOT ENFORCED)");
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            assertThat(
                            admin.describeConfigs(List.of(resource))
                                    .all()
                                    .get(60, TimeUnit.SECONDS)
                                    .get(resource)
                                    .get("cleanup.policy")
                                    .value())
                    .isEqualTo("compact");
        }
        SchemaRegistryClient client = client(registry.url());
        assertThat(
                        new Schema.Parser()
                                .parse(
                                        client.getLatest(TestNames.keySubject(topic))
                                                .definition()
                                                .text())
                                .getFields())
                .extracting(Schema.Field::name)
                .containsExactly("customer_id");
        String ddl = collect(env, "SHOW CREATE TABLE " + topic).get(0).getField(0).toString();
        assertThat(ddl)
                .contains("PRIMARY KEY (`customer_id`) NOT ENFORCED")
                .contains("'changelog' = 'upsert'")
                .contains("'key.fields' = 'customer_id'");

        // An unwindowed aggregate: accepted only by an upsert table.
        env.executeSql(
                        "INSERT INTO "
                                + topic
                                + " SELECT c, SUM(a) FROM (VALUES (1, 10), (2, 5), (1, 7), (3, 1))"
                                + " AS t(c, a) GROUP BY c")
                .await();
        Map<Integer, Long> state = new java.util.TreeMap<>();
        for (Row change : collect(env, "SELECT customer_id, total FROM " + topic + READ_ALL)) {
            switch (change.getKind()) {
                case INSERT, UPDATE_AFTER ->
                        state.put((Integer) change.getField(0), (Long) change.getField(1));
                case DELETE, UPDATE_BEFORE -> state.remove((Integer) change.getField(0));
            }
        }
        assertThat(state).isEqualTo(Map.of(1, 17L, 2, 5L, 3, 1L));
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
                                    .get(60, TimeUnit.SECONDS)
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
    void protobufSubjectsAreTablesAndCreateRegistersAProtoSchema(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        SchemaRegistryClient client = client(registry.url());
        // An existing Protobuf subject: its first message becomes the columns.
        String existing = names.topic("pb_events").replace('-', '_');
        kafka.createTopic(existing, 1);
        client.register(
                TestNames.valueSubject(existing),
                SchemaDefinition.protobuf(
                        "syntax = \"proto3\"; package shop;"
                                + " import \"google/protobuf/timestamp.proto\";"
                                + " message Event { int64 id = 1; optional string note = 2;"
                                + " google.protobuf.Timestamp happened_at = 3;"
                                + " oneof origin { string web = 4; int32 store = 5; }"
                                + " repeated string tags = 6; }"
                                + " message Other { string x = 1; }"));
        TableEnvironment env = catalog(kafka, registry.url());
        assertThat(collect(env, "DESCRIBE " + existing))
                .extracting(r -> r.getField(0) + " " + r.getField(1))
                .startsWith(
                        "id BIGINT",
                        "note STRING",
                        "happened_at TIMESTAMP_LTZ(9)",
                        "origin STRING",
                        "tags ARRAY<STRING NOT NULL>");
        assertThat(collect(env, "SHOW CREATE TABLE " + existing).get(0).getField(0).toString())
                .contains("'format' = 'protobuf'");

        // CREATE TABLE registers the proto3 schema the sink then writes with.
        String created = names.topic("pb_payments").replace('-', '_');
        env.executeSql(
                "CREATE TABLE "
                        + created
                        + " (id BIGINT NOT NULL, amount DOUBLE) WITH ('format' = 'protobuf',"
                        + " 'topic.partitions' = '1')");
        assertThat(client.getLatest(TestNames.valueSubject(created)).definition().type())
                .isEqualTo(SchemaType.PROTOBUF);
        env.executeSql("INSERT INTO " + created + " VALUES (1, 2.5), (2, CAST(NULL AS DOUBLE))")
                .await();
        assertThat(client.getVersions(TestNames.valueSubject(created)))
                .as("the sink writes with the schema the catalog registered")
                .hasSize(1);
        assertThat(collect(env, "SELECT id, amount FROM " + created + READ_ALL))
                .containsExactlyInAnyOrder(Row.of(1L, 2.5), Row.of(2L, null));
    }

    @Test
    void protobufUpsertTablesRegisterAndReadProtobufKeys(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        SchemaRegistryClient client = client(registry.url());
        String topic = names.topic("pb_totals").replace('-', '_');
        TableEnvironment env = catalog(kafka, registry.url());
        env.getConfig().set("execution.checkpointing.interval", "1 s");

        env.executeSql(
                "CREATE TABLE "
                        + topic
                        + " (customer_id INT NOT NULL, total BIGINT,"
                        + " PRIMARY KEY (customer_id) NOT ENFORCED) WITH ('format' = 'protobuf')");
        SchemaDefinition key = client.getLatest(TestNames.keySubject(topic)).definition();
        assertThat(key.type()).isEqualTo(SchemaType.PROTOBUF);
        assertThat(key.text()).contains("int32 customer_id = 1;").doesNotContain("total");
        assertThat(collect(env, "SHOW CREATE TABLE " + topic).get(0).getField(0).toString())
                .contains("PRIMARY KEY (`customer_id`) NOT ENFORCED")
                .contains("'key.format' = 'protobuf'")
                .contains("'changelog' = 'upsert'");

        env.executeSql(
                        "INSERT INTO "
                                + topic
                                + " SELECT c, SUM(a) FROM (VALUES (1, 10), (2, 5), (1, 7)) AS t(c,"
                                + " a) GROUP BY c")
                .await();
        assertThat(client.getVersions(TestNames.keySubject(topic)))
                .as("keys are written with the key schema the catalog registered")
                .hasSize(1);
        // Every key record is Protobuf in the Confluent framing, message index [0].
        for (var record : kafka.readCommitted(topic)) {
            assertThat(record.key()[0]).isEqualTo((byte) 0);
            assertThat(ConfluentWireFormat.readSchemaId(record.key()))
                    .isEqualTo(client.getLatest(TestNames.keySubject(topic)).id());
        }
        Map<Integer, Long> state = new java.util.TreeMap<>();
        for (Row change : collect(env, "SELECT customer_id, total FROM " + topic + READ_ALL)) {
            switch (change.getKind()) {
                case INSERT, UPDATE_AFTER ->
                        state.put((Integer) change.getField(0), (Long) change.getField(1));
                case DELETE, UPDATE_BEFORE -> state.remove((Integer) change.getField(0));
            }
        }
        assertThat(state).isEqualTo(Map.of(1, 17L, 2, 5L));
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

    /**
     * Listing is paged: Apicurio caps one answer at 1000 subjects, so 2500 subjects (two full pages
     * and a short one) show both that no subject is lost past the cap and that the cost of a
     * listing is one request per page, never one per subject. The proxy in front of the real
     * registry counts the requests. How long a listing of 10 000 subjects takes is a benchmark
     * ({@code SubjectListingBenchmark}, docs/benchmarks.md), not something a test can assert.
     */
    @Test
    void manySubjectsAreListedPageByPageAndThenFromTheCache(KafkaBroker kafka) throws Exception {
        int count = 2500;
        try (ApicurioRegistry big = new ApicurioRegistry("NONE")) {
            big.start();
            SchemaRegistryClient client = client(big.url());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Integer>> registered = new ArrayList<>();
            List<Row> expected = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String topic = "t" + i;
                expected.add(Row.of(topic));
                registered.add(
                        pool.submit(
                                () ->
                                        client.register(
                                                TestNames.valueSubject(topic),
                                                SchemaDefinition.avro(
                                                        "{\"type\":\"record\",\"name\":\"R\","
                                                                + "\"fields\":[{\"name\":\"id\","
                                                                + "\"type\":\"int\"}]}"))));
            }
            for (Future<Integer> future : registered) {
                future.get(10, TimeUnit.MINUTES);
            }
            pool.shutdown();

            try (RecordingHttpProxy proxy = new RecordingHttpProxy(big.url())) {
                // A TTL no run can outlast, so the second listing must come from the cache.
                TableEnvironment env = catalog(kafka, proxy.url(), ", 'cache-ttl' = '1 h'");
                proxy.clear();

                assertThat(collect(env, "SHOW TABLES"))
                        .as("every subject is listed once")
                        .containsExactlyInAnyOrderElementsOf(expected);
                List<RecordingHttpProxy.Exchange> listing = proxy.exchanges();
                assertThat(listing)
                        .as("only subject pages are asked for")
                        .allSatisfy(
                                e -> {
                                    assertThat(e.method()).isEqualTo("GET");
                                    assertThat(e.pathAndQuery())
                                            .matches("/subjects\\?offset=\\d+&limit=1000");
                                    assertThat(e.status()).isEqualTo(200);
                                });
                assertThat(listing)
                        .extracting(RecordingHttpProxy.Exchange::pathAndQuery)
                        .as(
                                "one pass over the pages, repeated only when the registry's"
                                        + " order moved between two pages")
                        .containsExactlyElementsOf(expectedListing(listing, count));

                proxy.clear();
                assertThat(collect(env, "SHOW TABLES")).hasSize(count);
                assertThat(proxy.exchanges())
                        .as("a second listing within cache-ttl is served from the cache")
                        .isEmpty();
            }
        }
    }

    /**
     * The requests one listing of {@code count} subjects must send: pages of 1000 until a short
     * page ({@code count / 1000 + 1} requests). The client repeats the whole pass (at most three
     * times) when one of its pages repeated a subject of an earlier page, which Apicurio's ordering
     * by creation time allows for subjects created in the same millisecond; whether that happened
     * is read from the recorded answers, so the count stays exact.
     */
    private static List<String> expectedListing(
            List<RecordingHttpProxy.Exchange> recorded, int count) {
        int pages = count / 1000 + 1;
        List<String> pass = new ArrayList<>();
        for (int page = 0; page < pages; page++) {
            pass.add("/subjects?offset=" + page * 1000 + "&limit=1000");
        }
        List<String> expected = new ArrayList<>();
        for (int passes = 1; passes <= 3; passes++) {
            expected.addAll(pass);
            int from = (passes - 1) * pages;
            if (recorded.size() < from + pages || isClean(recorded.subList(from, from + pages))) {
                break;
            }
        }
        return expected;
    }

    /** True when no page of one pass repeated a subject. */
    private static boolean isClean(List<RecordingHttpProxy.Exchange> pass) {
        Set<String> seen = new HashSet<>();
        for (RecordingHttpProxy.Exchange page : pass) {
            for (String subject : page.responseBody().replaceAll("[\\[\\]\"]", "").split(",")) {
                if (!subject.isEmpty() && !seen.add(subject)) {
                    return false;
                }
            }
        }
        return true;
    }
}
