package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.connector.format.avro.AvroRegistryDeserializer;
import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three ways users come in, on a real Flink standalone cluster (JobManager and TaskManager
 * processes) with the shaded connector jar in its {@code lib/}, a real broker and a real registry:
 * the SQL client running a script, a DataStream job jar submitted over the REST API, and
 * exactly-once output when a TaskManager is killed with SIGKILL mid-stream.
 */
@ExtendWith(ConfluentServicesExtension.class)
class ClusterEndToEndITCase {

    private static final Schema ORDER =
            SchemaBuilder.record("Order")
                    .namespace("shop")
                    .fields()
                    .requiredInt("customer_id")
                    .requiredInt("order_id")
                    .endRecord();
    private static final long BASE = 1_700_000_000_000L; // a multiple of 10 s

    private static FlinkCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new FlinkCluster(true, Map.of());
        cluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    /** Cancels a job without waiting for it to go: no test here tests cancellation. */
    private static void cancel(String jobId) throws Exception {
        cluster.cancel(jobId);
    }

    @Test
    void theSqlClientRunsTheSeedDdlWithAnExactlyOnceWindowedAggregate(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names, @TempDir Path dir)
            throws Exception {
        String input = names.topic("order_topic");
        String output = names.topic("order_counts");
        kafka.createTopic(input, 2);
        kafka.createTopic(output, 2);
        SchemaRegistryClient client =
                SchemaRegistryClients.create(SchemaRegistryConfig.builder(registry.url()).build());
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(client, TestNames.valueSubject(input), ORDER, true);
        Map<String, long[]> expected = new java.util.TreeMap<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (int i = 0; i < 200; i++) {
                long timestamp = BASE + i * 250L;
                int customer = i % 4;
                producer.send(
                        new ProducerRecord<>(
                                input, i % 2, timestamp, null, order(serializer, customer, i)));
                long windowStart = timestamp - timestamp % 10_000;
                long[] counts =
                        expected.computeIfAbsent(windowStart + "/" + customer, k -> new long[2]);
                counts[0]++;
                counts[1] += i;
            }
            for (int partition = 0; partition < 2; partition++) {
                // Moves the watermark of both partitions past every window above.
                producer.send(
                        new ProducerRecord<>(
                                input, partition, BASE + 600_000, null, order(serializer, 99, -1)));
            }
        }
        Path script = dir.resolve("orders.sql");
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "SET 'confluent.profiles.my_cluster.bootstrap.servers' = '"
                                + kafka.bootstrapServers()
                                + "';",
                        "SET 'confluent.profiles.my_cluster.schema-registry.endpoint' = '"
                                + registry.url()
                                + "';",
                        "SET 'execution.checkpointing.interval' = '1 s';",
                        "SET 'table.local-time-zone' = 'UTC';",
                        "SET 'parallelism.default' = '2';",
                        "CREATE TABLE orders (",
                        "  customer_id INT,",
                        "  order_id INT",
                        ") WITH (",
                        "  'connector' = 'confluent',",
                        "  'connection_profile' = 'my_cluster',",
                        "  'format' = 'avro',",
                        "  'topic' = '" + input + "',",
                        "  'type' = 'source',",
                        "  'source.offset' = 'latest',",
                        "  'source.read_mode' = 'read_committed'",
                        ");",
                        "CREATE TABLE orders_by_time (",
                        "  order_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',",
                        "  WATERMARK FOR order_time AS order_time",
                        ") WITH ('source.offset' = 'earliest') LIKE orders;",
                        "CREATE TABLE order_counts (",
                        "  window_start TIMESTAMP(3),",
                        "  customer_id INT,",
                        "  orders BIGINT,",
                        "  order_sum BIGINT",
                        ") WITH (",
                        "  'connector' = 'confluent',",
                        "  'connection_profile' = 'my_cluster',",
                        "  'format' = 'avro',",
                        "  'topic' = '" + output + "',",
                        "  'type' = 'sink',",
                        "  'sink.commit_mode' = 'exactly_once'",
                        ");",
                        "INSERT INTO order_counts",
                        "SELECT window_start, customer_id, COUNT(*), SUM(CAST(order_id AS BIGINT))",
                        "FROM TABLE(TUMBLE(TABLE orders_by_time, DESCRIPTOR(order_time),"
                                + " INTERVAL '10' SECOND))",
                        "WHERE customer_id <> 99",
                        "GROUP BY window_start, window_end, customer_id;",
                        ""));

        FlinkCluster.ProcessResult sqlClient =
                cluster.runClient(
                        List.of(
                                "org.apache.flink.table.client.SqlClient",
                                "embedded",
                                "-f",
                                script.toString()),
                        Duration.ofMinutes(3));
        assertThat(sqlClient.exitCode()).as(sqlClient.output()).isZero();
        Matcher jobId = Pattern.compile("Job ID: ([0-9a-f]{32})").matcher(sqlClient.output());
        assertThat(jobId.find()).as(sqlClient.output()).isTrue();
        try {
            Poll.until(
                    expected.size() + " window counts in " + output,
                    Duration.ofSeconds(120),
                    () -> kafka.readCommitted(output).size() >= expected.size());
            Map<String, long[]> actual = new java.util.TreeMap<>();
            AvroRegistryDeserializer deserializer = new AvroRegistryDeserializer(client, null);
            for (ConsumerRecord<byte[], byte[]> record : kafka.readCommitted(output)) {
                GenericRecord row = (GenericRecord) deserializer.deserialize(record.value());
                long[] previous =
                        actual.put(
                                row.get("window_start") + "/" + row.get("customer_id"),
                                new long[] {(Long) row.get("orders"), (Long) row.get("order_sum")});
                assertThat(previous).as("one row per window and customer").isNull();
            }
            assertThat(actual.keySet()).isEqualTo(expected.keySet());
            expected.forEach(
                    (key, counts) -> assertThat(actual.get(key)).as(key).containsExactly(counts));
        } finally {
            cancel(jobId.group(1));
        }
    }

    private static byte[] order(AvroRegistrySerializer serializer, int customer, int orderId) {
        GenericRecord record = new GenericData.Record(ORDER);
        record.put("customer_id", customer);
        record.put("order_id", orderId);
        return serializer.serialize(record);
    }

    /**
     * Uploads this module's thin jar (CopyJob alone: the connector comes from the cluster's lib/)
     * and runs {@link CopyJob}; returns the job id.
     */
    private static String submitCopyJob(String... programArgs) throws Exception {
        String jar = cluster.uploadJar(Path.of(System.getProperty("thin.job.jar")));
        return cluster.runJar(jar, CopyJob.class.getName(), List.of(programArgs));
    }

    @Test
    void aDataStreamJarSubmittedOverRestRunsToCompletion(KafkaBroker kafka, TestNames names)
            throws Exception {
        String input = names.topic("in");
        String output = names.topic("out");
        kafka.createTopic(input, 2);
        kafka.createTopic(output, 2);
        Set<String> expected = new HashSet<>();
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (int i = 0; i < 500; i++) {
                producer.send(
                        new ProducerRecord<>(input, ("v" + i).getBytes(StandardCharsets.UTF_8)));
                expected.add("V" + i);
            }
        }

        String jobId = submitCopyJob(kafka.bootstrapServers(), input, output, "bounded");
        cluster.awaitJobState(jobId, "FINISHED", Duration.ofSeconds(120));

        List<String> written = kafka.readCommittedValues(output);
        assertThat(written).hasSize(500);
        assertThat(new HashSet<>(written)).isEqualTo(expected);
    }

    @Test
    void exactlyOnceWhenATaskManagerIsKilledMidStream(KafkaBroker kafka, TestNames names)
            throws Exception {
        String input = names.topic("in");
        String output = names.topic("out");
        kafka.createTopic(input, 2);
        kafka.createTopic(output, 2);
        int total = 3000;
        String jobId = submitCopyJob(kafka.bootstrapServers(), input, output, "unbounded");
        cluster.awaitJobState(jobId, "RUNNING", Duration.ofSeconds(60));
        // No pacing by time: half the input goes in before the crash (most of it still in an
        // open transaction when the first records are committed), the other half after it.
        send(kafka, input, 0, total / 2);
        try {
            Poll.until(
                    "some committed output before the crash",
                    Duration.ofSeconds(120),
                    () -> kafka.readCommitted(output).size() >= 300);
            FlinkProcess victim = cluster.taskManagers().get(cluster.taskManagers().size() - 1);
            victim.kill(); // SIGKILL: no close, no abort, transactions left open
            cluster.startTaskManager();
            send(kafka, input, total / 2, total);
            Poll.until(
                    total + " committed records after the crash",
                    Duration.ofSeconds(180),
                    () -> kafka.readCommitted(output).size() >= total,
                    () -> "seen " + kafka.readCommitted(output).size());

            List<String> written = kafka.readCommittedValues(output);
            List<String> duplicates = new ArrayList<>(written);
            new HashSet<>(written).forEach(duplicates::remove);
            assertThat(duplicates).as("duplicates").isEmpty();
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < total; i++) {
                expected.add("V" + i);
            }
            assertThat(new HashSet<>(written)).isEqualTo(expected);
        } finally {
            cancel(jobId);
        }
    }

    private static void send(KafkaBroker kafka, String topic, int from, int to) {
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (int i = from; i < to; i++) {
                producer.send(
                        new ProducerRecord<>(topic, ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    @Test
    void theShadedJarValidatesAProfile(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names, @TempDir Path dir)
            throws Exception {
        String topic = names.topic("validated");
        kafka.createTopic(topic, 1);
        SchemaRegistryClient client =
                SchemaRegistryClients.create(SchemaRegistryConfig.builder(registry.url()).build());
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(client, TestNames.valueSubject(topic), ORDER, true);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(topic, order(serializer, 1, 2)));
        }
        Path profiles = dir.resolve("profiles.yaml");
        Files.writeString(
                profiles,
                "profiles:\n  local:\n    bootstrap.servers: '"
                        + kafka.bootstrapServers()
                        + "'\n    schema-registry.endpoint: '"
                        + registry.url()
                        + "'\n");

        Process process =
                new ProcessBuilder(
                                cluster.javaHome().resolve("bin/java").toString(),
                                "-jar",
                                System.getProperty("connector.jar"),
                                "validate",
                                "--flink-home",
                                cluster.home().toString(),
                                "--profile",
                                "local",
                                "--profiles-file",
                                profiles.toString(),
                                "--topic",
                                topic,
                                "--format",
                                "avro")
                        .redirectErrorStream(true)
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output)
                .contains("[ok] topic exists: " + topic + ", 1 partitions")
                .contains("[ok] sample message decoded: partition 0, offset 0: {\"customer_id\": 1")
                .contains("All checks passed.");
    }

    @Test
    void aSqlClientSessionWithTheCatalog(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names, @TempDir Path dir)
            throws Exception {
        String table = names.topic("payments").replace('-', '_');
        Path script = dir.resolve("catalog.sql");
        Files.writeString(
                script,
                String.join(
                        "\n",
                        "SET 'confluent.profiles.my_cluster.bootstrap.servers' = '"
                                + kafka.bootstrapServers()
                                + "';",
                        "SET 'confluent.profiles.my_cluster.schema-registry.endpoint' = '"
                                + registry.url()
                                + "';",
                        "SET 'sql-client.execution.result-mode' = 'tableau';",
                        "SET 'execution.runtime-mode' = 'batch';",
                        "SET 'table.dml-sync' = 'true';",
                        "CREATE CATALOG confluent WITH ('type' = 'schema-registry',"
                                + " 'connection_profile' = 'my_cluster');",
                        "USE CATALOG confluent;",
                        "CREATE TABLE " + table + " (id BIGINT NOT NULL, amount DOUBLE);",
                        "SHOW TABLES;",
                        "INSERT INTO " + table + " VALUES (1, 9.5), (2, 3.25);",
                        "SELECT id, amount FROM "
                                + table
                                + " /*+ OPTIONS('source.offset' = 'earliest') */ ORDER BY id;",
                        ""));

        FlinkCluster.ProcessResult session =
                cluster.runClient(
                        List.of(
                                "org.apache.flink.table.client.SqlClient",
                                "embedded",
                                "-f",
                                script.toString()),
                        Duration.ofMinutes(3));

        assertThat(session.exitCode()).as(session.output()).isZero();
        assertThat(session.output())
                .as(session.output())
                .containsPattern("\\|\\s+" + table + " \\|")
                .containsPattern("\\|\\s+1 \\|\\s+9.5 \\|")
                .containsPattern("\\|\\s+2 \\|\\s+3.25 \\|");
    }
}
