package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.connector.registry.SchemaType;
import io.github.flinkconfluent.connector.testing.LocalTables;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.ExceptionUtils;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.github.flinkconfluent.connector.testing.SqlRows.collect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Debezium tables ({@code 'changelog' = 'debezium'}) on a real broker and registry, fed with the
 * golden change events that Confluent's own serializers wrote ({@code
 * golden/debezium-*-orders.json}): the schemas are registered in this registry and each event's
 * body re-framed with the id it assigns. Aggregates over the table equal the golden final state
 * (snapshot reads, inserts, updates with and without before-image, a delete and its tombstone).
 */
@ExtendWith(ConfluentServicesExtension.class)
class DebeziumTablesITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The columns of the golden table, with two metadata columns from the events. */
    private static final String COLUMNS =
            "id INT NOT NULL, customer STRING, quantity INT,"
                    + " src_table STRING METADATA FROM 'value.source.table' VIRTUAL,"
                    + " ingested TIMESTAMP_LTZ(3) METADATA FROM 'value.ingestion-timestamp'"
                    + " VIRTUAL, PRIMARY KEY (id) NOT ENFORCED";

    private static JsonNode golden(String kind) throws Exception {
        try (InputStream in =
                DebeziumTablesITCase.class.getResourceAsStream(
                        "/golden/debezium-" + kind + "-orders.json")) {
            return MAPPER.readTree(in);
        }
    }

    /** A golden frame with its golden schema id replaced by this registry's. */
    private static byte[] reframed(String hex, int id) {
        byte[] golden = HexFormat.of().parseHex(hex);
        return ConfluentWireFormat.frame(
                id,
                golden,
                ConfluentWireFormat.HEADER_LENGTH,
                golden.length - ConfluentWireFormat.HEADER_LENGTH);
    }

    /**
     * Registers the golden key and value schemas under the topic's subjects and writes every golden
     * event (tombstones included) to one partition of {@code topic}, in order.
     */
    private static void produce(
            KafkaBroker kafka, ApicurioRegistry registry, String topic, JsonNode golden)
            throws Exception {
        kafka.createTopic(topic, 1);
        SchemaType type = SchemaType.fromRegistry(golden.get("schemaType").asText());
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (SchemaRegistryClient client =
                        SchemaRegistryClients.create(
                                SchemaRegistryConfig.builder(registry.url()).build());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            int keyId =
                    client.register(
                            TestNames.keySubject(topic),
                            new SchemaDefinition(
                                    type, golden.get("keySchema").asText(), List.of()));
            int valueId =
                    client.register(
                            TestNames.valueSubject(topic),
                            new SchemaDefinition(
                                    type, golden.get("valueSchema").asText(), List.of()));
            for (JsonNode event : golden.get("events")) {
                byte[] key = reframed(event.get("keyHex").asText(), keyId);
                byte[] value =
                        event.get("valueHex").isNull()
                                ? null
                                : reframed(event.get("valueHex").asText(), valueId);
                producer.send(new ProducerRecord<>(topic, 0, key, value)).get();
            }
        }
    }

    private static TableEnvironment streaming(KafkaBroker kafka, ApicurioRegistry registry) {
        return LocalTables.tableEnv(
                kafka, registry.url(), EnvironmentSettings.inStreamingMode(), 1, null);
    }

    private static String table(String name, String format, String topic, String extra) {
        return "CREATE TABLE "
                + name
                + " ("
                + COLUMNS
                + ") WITH ('connector' = 'confluent', 'connection_profile' = 'local',"
                + " 'topic' = '"
                + topic
                + "', 'type' = 'source', 'changelog' = 'debezium', 'format' = '"
                + format
                + "', 'source.offset' = 'earliest', 'source.bounded' = 'latest'"
                + extra
                + ")";
    }

    /** The rows a changelog leaves, with how often each is present. */
    private static Map<String, Integer> materialize(List<Row> changelog) {
        Map<String, Integer> state = new TreeMap<>();
        for (Row row : changelog) {
            Row fields = Row.copy(row);
            fields.setKind(RowKind.INSERT);
            int delta =
                    row.getKind() == RowKind.INSERT || row.getKind() == RowKind.UPDATE_AFTER
                            ? 1
                            : -1;
            state.merge(fields.toString(), delta, Integer::sum);
            state.remove(fields.toString(), 0);
        }
        assertThat(state.values())
                .as("no row retracted more often than added")
                .allMatch(n -> n > 0);
        return state;
    }

    private static Map<String, Integer> expectedRows(JsonNode golden) {
        Map<String, Integer> rows = new TreeMap<>();
        for (JsonNode row : golden.get("finalState")) {
            rows.put(
                    Row.of(
                                    row.get("id").asInt(),
                                    row.get("customer").asText(),
                                    row.get("quantity").asInt(),
                                    "orders")
                            .toString(),
                    1);
        }
        return rows;
    }

    private static Map<String, Integer> expectedAggregate(JsonNode golden) {
        long count = golden.get("finalState").size();
        int sum = 0;
        for (JsonNode row : golden.get("finalState")) {
            sum += row.get("quantity").asInt();
        }
        return Map.of(Row.of(count, sum).toString(), 1);
    }

    private static final String AGGREGATE = "SELECT COUNT(*), SUM(quantity) FROM orders";

    @Test
    void avroChangeEventsFromConfluentsSerializerGiveTheFinalState(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        JsonNode golden = golden("avro");
        String topic = names.topic("dbz-avro");
        produce(kafka, registry, topic, golden);
        TableEnvironment env = streaming(kafka, registry);
        env.executeSql(table("orders", "avro", topic, ""));

        assertThat(materialize(collect(env, AGGREGATE))).isEqualTo(expectedAggregate(golden));
        assertThat(
                        materialize(
                                collect(
                                        env,
                                        "SELECT id, customer, quantity, src_table FROM orders")))
                .isEqualTo(expectedRows(golden));
        // The ingestion timestamp is the envelope's ts_ms of each row's latest event.
        Map<Integer, Long> latest = new TreeMap<>();
        for (JsonNode event : golden.get("events")) {
            if (!event.get("value").isNull()) {
                latest.put(
                        event.get("key").get("id").asInt(),
                        event.get("value").get("ts_ms").asLong());
            }
        }
        Map<String, Integer> expected = new TreeMap<>();
        for (JsonNode row : golden.get("finalState")) {
            int id = row.get("id").asInt();
            expected.put(Row.of(id, Instant.ofEpochMilli(latest.get(id))).toString(), 1);
        }
        assertThat(materialize(collect(env, "SELECT id, ingested FROM orders")))
                .isEqualTo(expected);
    }

    @Test
    void jsonSchemaChangeEventsGiveTheFinalState(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        JsonNode golden = golden("json");
        String topic = names.topic("dbz-json");
        produce(kafka, registry, topic, golden);
        TableEnvironment env = streaming(kafka, registry);
        env.executeSql(table("orders", "json", topic, ""));

        assertThat(materialize(collect(env, AGGREGATE))).isEqualTo(expectedAggregate(golden));
    }

    @Test
    void aPortedDebeziumAvroConfluentTableReadsTheSameEvents(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        JsonNode golden = golden("avro");
        String topic = names.topic("dbz-ported");
        produce(kafka, registry, topic, golden);
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("table.exec.resource.default-parallelism", "1");
        // A DDL written for 'connector' = 'kafka', with only the connector changed.
        env.executeSql(
                "CREATE TABLE orders (id INT NOT NULL, customer STRING, quantity INT,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ("
                        + " 'connector' = 'confluent', 'topic' = '"
                        + topic
                        + "', 'properties.bootstrap.servers' = '"
                        + kafka.bootstrapServers()
                        + "', 'scan.startup.mode' = 'earliest-offset',"
                        + " 'scan.bounded.mode' = 'latest-offset',"
                        + " 'format' = 'debezium-avro-confluent',"
                        + " 'debezium-avro-confluent.url' = '"
                        + registry.url()
                        + "')");

        assertThat(materialize(collect(env, AGGREGATE))).isEqualTo(expectedAggregate(golden));
    }

    @Test
    void anUpdateWithoutBeforeImageFailsATableWithoutPrimaryKeyNamingTheRecord(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        JsonNode golden = golden("avro");
        String topic = names.topic("dbz-no-key");
        produce(kafka, registry, topic, golden);
        TableEnvironment env = streaming(kafka, registry);
        env.executeSql(
                table("orders", "avro", topic, "").replace(", PRIMARY KEY (id) NOT ENFORCED", ""));

        // Event 7 (offset 7) updates order 3 without a before-image.
        assertThatThrownBy(() -> collect(env, AGGREGATE))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowableWithMessage(
                                                        e,
                                                        "topic '"
                                                                + topic
                                                                + "', partition 0, offset 7"))
                                        .hasValueSatisfying(
                                                cause ->
                                                        assertThat(cause)
                                                                .hasMessageContaining(
                                                                        "BAD_CHANGE_EVENT")
                                                                .hasMessageContaining(
                                                                        "REPLICA IDENTITY FULL")));
    }
}
