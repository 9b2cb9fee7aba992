package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
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

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.github.flinkconfluent.connector.testing.SqlRows.collect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code 'confluent'} table sink in Flink SQL, on a real broker and registry. */
@ExtendWith(ConfluentServicesExtension.class)
class ConfluentTableSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static TableEnvironment tableEnv(KafkaBroker kafka, ApicurioRegistry registry) {
        return LocalTables.tableEnv(
                kafka, registry.url(), EnvironmentSettings.inStreamingMode(), 2, "500 ms");
    }

    @Test
    void registryAvroInExactlyOnceOutAndReadBack(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String in = names.topic("orders");
        String out = names.topic("totals");
        kafka.createTopic(in, 2);
        kafka.createTopic(out, 2);
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(
                        SchemaRegistryClients.create(
                                SchemaRegistryConfig.builder(registry.url()).build()),
                        TestNames.valueSubject(in),
                        ConfluentTableSourceITCase.ORDER,
                        true);
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < 100; i++) {
                producer.send(
                        new ProducerRecord<>(
                                in, ConfluentTableSourceITCase.avroOrder(serializer, i % 4, i)));
            }
        }
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE orders (customer_id INT, order_id INT) WITH ('connector' ="
                        + " 'confluent', 'connection_profile' = 'local', 'format' = 'avro',"
                        + " 'topic' = '"
                        + in
                        + "', 'type' = 'source', 'source.offset' = 'earliest',"
                        + " 'source.bounded' = 'latest')");
        env.executeSql(
                "CREATE TABLE big_orders (customer_id INT, order_id INT, label STRING) WITH ("
                        + "'connector' = 'confluent', 'connection_profile' = 'local', 'format' ="
                        + " 'avro', 'topic' = '"
                        + out
                        + "', 'type' = 'sink', 'sink.commit_mode' = 'exactly_once')");
        env.executeSql(
                        "INSERT INTO big_orders SELECT customer_id, order_id, CASE WHEN"
                                + " MOD(order_id, 2) = 0 THEN 'even' END FROM orders WHERE"
                                + " order_id >= 50")
                .await();

        env.executeSql(
                "CREATE TABLE big_orders_read (customer_id INT, order_id INT, label STRING) WITH ("
                        + "'connector' = 'confluent', 'connection_profile' = 'local', 'format' ="
                        + " 'avro', 'topic' = '"
                        + out
                        + "', 'type' = 'source', 'source.offset' = 'earliest', 'source.bounded'"
                        + " = 'latest', 'source.read_mode' = 'read_committed')");
        List<Row> rows = collect(env, "SELECT * FROM big_orders_read");
        assertThat(rows).hasSize(50);
        assertThat(rows)
                .extracting(r -> (Integer) r.getField("order_id"))
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.IntStream.range(50, 100).boxed().toList());
        assertThat(rows)
                .allSatisfy(
                        r ->
                                assertThat(r.getField("label"))
                                        .isEqualTo(
                                                (Integer) r.getField("order_id") % 2 == 0
                                                        ? "even"
                                                        : null));
    }

    @Test
    void keyTimestampAndHeadersAreWritten(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String out = names.topic("keyed");
        kafka.createTopic(out, 3);
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE keyed (id STRING, amount INT, ts TIMESTAMP_LTZ(3) METADATA FROM"
                        + " 'timestamp', hs MAP<STRING, BYTES> METADATA FROM 'headers') WITH ("
                        + "'connector' = 'confluent', 'connection_profile' = 'local', 'format' ="
                        + " 'json', 'schema_registry' = 'false', 'topic' = '"
                        + out
                        + "', 'type' = 'sink', 'sink.key_field' = 'id')");
        env.executeSql(
                        "INSERT INTO keyed VALUES ('k1', 1, TO_TIMESTAMP_LTZ(1000, 3),"
                                + " MAP['h', X'07']), ('k2', 2, TO_TIMESTAMP_LTZ(2000, 3),"
                                + " MAP['h', X'08'])")
                .await();

        List<ConsumerRecord<byte[], byte[]>> records = kafka.readCommitted(out);
        assertThat(records).hasSize(2);
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            String value = new String(record.value(), StandardCharsets.UTF_8);
            int amount = key.equals("k1") ? 1 : 2;
            assertThat(value).isEqualTo("{\"id\":\"" + key + "\",\"amount\":" + amount + "}");
            assertThat(record.timestamp()).isEqualTo(amount * 1000L);
            assertThat(record.headers().lastHeader("h").value())
                    .containsExactly(amount == 1 ? 7 : 8);
        }
        // Same key, same partition (murmur2 of the key).
        env.executeSql("INSERT INTO keyed (id, amount) VALUES ('k1', 3)").await();
        List<ConsumerRecord<byte[], byte[]>> again = kafka.readCommitted(out);
        assertThat(
                        again.stream()
                                .filter(
                                        r ->
                                                new String(r.key(), StandardCharsets.UTF_8)
                                                        .equals("k1"))
                                .map(ConsumerRecord::partition)
                                .distinct())
                .hasSize(1);
    }

    /**
     * A statement set writing two exactly-once tables from one source: both sinks chain to the
     * source, in one task, so a default transactional-id prefix derived from the task name made
     * them fence each other in a restart loop.
     */
    @Test
    void aStatementSetWritesTwoExactlyOnceTables(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String in = names.topic("in");
        String left = names.topic("left");
        String right = names.topic("right");
        kafka.createTopic(in, 2);
        kafka.createTopic(left, 2);
        kafka.createTopic(right, 2);
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        List<String> produced = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < 500; i++) {
                producer.send(
                        new ProducerRecord<>(in, ("line-" + i).getBytes(StandardCharsets.UTF_8)));
                produced.add("line-" + i);
            }
        }
        TableEnvironment env = tableEnv(kafka, registry);
        String common =
                "'connector' = 'confluent', 'connection_profile' = 'local', 'format' ="
                        + " 'raw_string', ";
        env.executeSql(
                "CREATE TABLE lines_in (line STRING) WITH ("
                        + common
                        + "'topic' = '"
                        + in
                        + "', 'type' = 'source', 'source.offset' = 'earliest',"
                        + " 'source.bounded' = 'latest')");
        for (String[] table : new String[][] {{"lines_left", left}, {"lines_right", right}}) {
            env.executeSql(
                    "CREATE TABLE "
                            + table[0]
                            + " (line STRING) WITH ("
                            + common
                            + "'topic' = '"
                            + table[1]
                            + "', 'type' = 'sink', 'sink.commit_mode' = 'exactly_once')");
        }

        env.executeSql(
                        "EXECUTE STATEMENT SET BEGIN INSERT INTO lines_left SELECT line FROM"
                                + " lines_in; INSERT INTO lines_right SELECT line FROM lines_in;"
                                + " END")
                .await(3, java.util.concurrent.TimeUnit.MINUTES);

        for (String topic : List.of(left, right)) {
            assertThat(kafka.readCommittedValues(topic))
                    .as(topic)
                    .containsExactlyInAnyOrderElementsOf(produced);
        }
    }

    @Test
    void rawStringAtLeastOnce(KafkaBroker kafka, ApicurioRegistry registry, TestNames names)
            throws Exception {
        String out = names.topic("lines");
        kafka.createTopic(out, 1);
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE lines (line STRING) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'raw_string', 'topic' = '"
                        + out
                        + "', 'type' = 'sink')");
        env.executeSql("INSERT INTO lines VALUES ('a'), ('b')").await();

        assertThat(kafka.readCommitted(out))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void sinkPlanningErrorsNameWhatIsWrong(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) {
        TableEnvironment env = tableEnv(kafka, registry);
        String common =
                "'connector' = 'confluent', 'connection_profile' = 'local', 'format' ="
                        + " 'raw_string', 'topic' = '"
                        + names.topic("errors")
                        + "'";
        env.executeSql("CREATE TABLE a_source (x STRING) WITH (" + common + ", 'type' = 'source')");
        env.executeSql(
                "CREATE TABLE too_long (x STRING) WITH ("
                        + common
                        + ", 'type' = 'sink', 'sink.commit_mode' = 'exactly_once',"
                        + " 'sink.transaction.timeout' = '1 h')");
        env.executeSql(
                "CREATE TABLE bad_key (x STRING) WITH ("
                        + common
                        + ", 'type' = 'sink', 'sink.key_field' = 'nope')");

        assertThatThrownBy(() -> env.explainSql("INSERT INTO a_source VALUES ('x')"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("'type' = 'source' and cannot be written"));
        assertThatThrownBy(() -> env.explainSql("INSERT INTO too_long VALUES ('x')"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("transaction.max.timeout.ms = 900000 ms"));
        assertThatThrownBy(() -> env.explainSql("INSERT INTO bad_key VALUES ('x')"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("Key column 'nope'"));
        TableEnvironment noCheckpoints =
                TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        noCheckpoints
                .getConfig()
                .set("confluent.profiles.local.bootstrap.servers", kafka.bootstrapServers());
        noCheckpoints.executeSql(
                "CREATE TABLE eo (x STRING) WITH ("
                        + common
                        + ", 'type' = 'sink', 'sink.commit_mode' = 'exactly_once')");
        assertThatThrownBy(() -> noCheckpoints.explainSql("INSERT INTO eo VALUES ('x')"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("checkpointing is off"));
    }

    @Test
    void aTimestampColumnAndRawBytes(KafkaBroker kafka, ApicurioRegistry registry, TestNames names)
            throws Exception {
        String out = names.topic("stamped");
        String blobs = names.topic("blobs");
        kafka.createTopic(out, 1);
        kafka.createTopic(blobs, 1);
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE stamped (id INT, stamp TIMESTAMP(3)) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'json',"
                        + " 'schema_registry' = 'false', 'topic' = '"
                        + out
                        + "', 'type' = 'sink', 'sink.timestamp_field' = 'stamp')");
        env.executeSql(
                "CREATE TABLE blobs (b BYTES) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'raw_bytes', 'topic' = '"
                        + blobs
                        + "', 'type' = 'sink')");
        env.getConfig().set("table.local-time-zone", "UTC");
        env.executeSql("INSERT INTO stamped VALUES (1, TIMESTAMP '1970-01-01 00:00:05')").await();
        env.executeSql("INSERT INTO blobs VALUES (X'0102')").await();

        assertThat(kafka.readCommitted(out))
                .singleElement()
                .satisfies(r -> assertThat(r.timestamp()).isEqualTo(5000L));
        assertThat(kafka.readCommitted(blobs))
                .singleElement()
                .satisfies(r -> assertThat(r.value()).containsExactly(1, 2));
    }
}
