package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.record.ConfluentPartitioner;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.testing.LocalTables;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.github.flinkconfluent.connector.testing.SqlRows.collect;
import static io.github.flinkconfluent.connector.testing.TestClients.producer;
import static io.github.flinkconfluent.connector.testing.TestClients.registryClient;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several topics on the real broker and registry: a source over a topic list and over a pattern
 * (with a topic created while the job runs), a sink that routes rows by their {@code topic} column,
 * and bounded reads that stop at a timestamp or at specific offsets.
 */
@ExtendWith(ConfluentServicesExtension.class)
class TopicsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    /** Writer schema of one topic: what the table's first two columns hold. */
    private static final Schema ORDER_V1 =
            SchemaBuilder.record("Order")
                    .namespace("shop")
                    .fields()
                    .requiredInt("customer_id")
                    .requiredInt("order_id")
                    .endRecord();

    /** Writer schema of the other topic: a note the table has, a channel it does not. */
    private static final Schema ORDER_V2 =
            SchemaBuilder.record("Order")
                    .namespace("shop")
                    .fields()
                    .requiredInt("customer_id")
                    .requiredInt("order_id")
                    .optionalString("note")
                    .requiredString("channel")
                    .endRecord();

    private static TableEnvironment tableEnv(KafkaBroker kafka, ApicurioRegistry registry) {
        return LocalTables.tableEnv(
                kafka, registry.url(), EnvironmentSettings.inStreamingMode(), 2, "500 ms");
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoTopicsWithDifferentWriterSchemasReadIntoOneTable(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String first = names.topic("web");
        String second = names.topic("shop");
        kafka.createTopic(first, 1);
        kafka.createTopic(second, 2);
        AvroRegistrySerializer v1 =
                new AvroRegistrySerializer(
                        registryClient(registry), TestNames.valueSubject(first), ORDER_V1, true);
        AvroRegistrySerializer v2 =
                new AvroRegistrySerializer(
                        registryClient(registry), TestNames.valueSubject(second), ORDER_V2, true);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (int i = 0; i < 3; i++) {
                GenericRecord record = new GenericData.Record(ORDER_V1);
                record.put("customer_id", 1);
                record.put("order_id", i);
                producer.send(new ProducerRecord<>(first, v1.serialize(record)));
            }
            for (int i = 10; i < 14; i++) {
                GenericRecord record = new GenericData.Record(ORDER_V2);
                record.put("customer_id", 2);
                record.put("order_id", i);
                record.put("note", i % 2 == 0 ? "gift" : null);
                record.put("channel", "app");
                producer.send(new ProducerRecord<>(second, i % 2, null, v2.serialize(record)));
            }
        }
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE orders (customer_id INT, order_id INT, note STRING,"
                        + " `topic` STRING METADATA VIRTUAL) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'avro', 'topic' = '"
                        + first
                        + ";"
                        + second
                        + "', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' ="
                        + " 'latest-offset')");

        List<String> rows =
                collect(env, "SELECT * FROM orders").stream().map(Row::toString).toList();

        assertThat(rows)
                .containsExactlyInAnyOrder(
                        "+I[1, 0, null, " + first + "]",
                        "+I[1, 1, null, " + first + "]",
                        "+I[1, 2, null, " + first + "]",
                        "+I[2, 10, gift, " + second + "]",
                        "+I[2, 11, null, " + second + "]",
                        "+I[2, 12, gift, " + second + "]",
                        "+I[2, 13, null, " + second + "]");
    }

    @Test
    void aPatternSourcePicksUpATopicCreatedAfterTheJobStarted(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String base = names.topic("events");
        String early = base + "-early";
        String late = base + "-late";
        kafka.createTopic(early, 1);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            producer.send(new ProducerRecord<>(early, json("{\"id\":1}")));
        }
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE events (id INT, `topic` STRING METADATA VIRTUAL) WITH ("
                        + "'connector' = 'confluent', 'connection_profile' = 'local', 'format'"
                        + " = 'json', 'schema_registry' = 'false', 'topic-pattern' = '"
                        + Pattern.quote(base)
                        + "-.*', 'scan.startup.mode' = 'earliest-offset',"
                        + " 'scan.topic-partition-discovery.interval' = '200 ms')");

        ExecutorService reading = Executors.newSingleThreadExecutor();
        List<String> rows = Collections.synchronizedList(new ArrayList<>());
        try (CloseableIterator<Row> it = env.executeSql("SELECT * FROM events").collect()) {
            Future<?> reader =
                    reading.submit(
                            () -> {
                                while (rows.size() < 2 && it.hasNext()) {
                                    rows.add(it.next().toString());
                                }
                            });
            Poll.until(
                    "the row of the topic present at start",
                    Duration.ofSeconds(120),
                    () -> !rows.isEmpty() || reader.isDone());
            assertThat(rows).containsExactly("+I[1, " + early + "]");

            kafka.createTopic(late, 2);
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
                producer.send(new ProducerRecord<>(late, 1, null, json("{\"id\":2}")));
            }
            reader.get(120, TimeUnit.SECONDS);
        } finally {
            reading.shutdownNow();
        }
        assertThat(rows)
                .as("the new topic's record, read from its beginning")
                .containsExactly("+I[1, " + early + "]", "+I[2, " + late + "]");
    }

    @Test
    void aSinkRoutesRowsByTheirTopicColumnExactlyOnce(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String main = names.topic("main");
        String other = names.topic("other");
        kafka.createTopic(main, 2);
        kafka.createTopic(other, 2);
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE routed (id INT, label STRING, `topic` STRING METADATA) WITH ("
                        + "'connector' = 'confluent', 'connection_profile' = 'local', 'format'"
                        + " = 'avro', 'topic' = '"
                        + main
                        + "', 'sink.delivery-guarantee' = 'exactly-once')");
        env.executeSql(
                        "INSERT INTO routed VALUES (1, 'a', CAST(NULL AS STRING)), (2, 'b', '"
                                + other
                                + "'), (3, 'c', '"
                                + main
                                + "'), (4, 'd', '"
                                + other
                                + "')")
                .await();

        // The commit is acknowledged before the brokers have written its markers to every
        // partition; until then a read_committed reader stops short of the records.
        Poll.until(
                "two committed records in each topic",
                Duration.ofSeconds(60),
                () ->
                        kafka.readCommitted(main).size() == 2
                                && kafka.readCommitted(other).size() == 2);
        try (SchemaRegistryClient client = registryClient(registry)) {
            assertThat(client.getLatest(TestNames.valueSubject(other)).definition().text())
                    .as("each topic's own subject")
                    .contains("label");
        }
        env.executeSql(
                "CREATE TABLE routed_read (id INT, label STRING, `topic` STRING METADATA"
                        + " VIRTUAL) WITH ('connector' = 'confluent', 'connection_profile' ="
                        + " 'local', 'format' = 'avro', 'topic' = '"
                        + main
                        + ";"
                        + other
                        + "', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' ="
                        + " 'latest-offset', 'properties.isolation.level' = 'read_committed')");
        assertThat(collect(env, "SELECT * FROM routed_read").stream().map(Row::toString))
                .containsExactlyInAnyOrder(
                        "+I[1, a, " + main + "]",
                        "+I[2, b, " + other + "]",
                        "+I[3, c, " + main + "]",
                        "+I[4, d, " + other + "]");
    }

    /** Records how many partitions each topic had when the sink asked; writes to the first. */
    public static final class PartitionsSeen implements ConfluentPartitioner {
        static final Map<String, Integer> SEEN = new ConcurrentHashMap<>();

        @Override
        public int partition(byte[] key, byte[] value, String topic, int[] partitions) {
            SEEN.put(topic, partitions.length);
            return partitions[0];
        }
    }

    @Test
    void aPartitionerSeesThePartitionsOfEachRoutedTopic(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String wide = names.topic("wide");
        String narrow = names.topic("narrow");
        kafka.createTopic(wide, 3);
        kafka.createTopic(narrow, 1);
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE routed (id INT, `topic` STRING METADATA) WITH ('connector' ="
                        + " 'confluent', 'connection_profile' = 'local', 'format' = 'json',"
                        + " 'schema_registry' = 'false', 'topic' = '"
                        + wide
                        + "', 'sink.parallelism' = '1', 'sink.partitioner' = '"
                        + PartitionsSeen.class.getName()
                        + "')");
        // One subtask, in this order: the wide topic first, then the narrow one.
        env.executeSql("INSERT INTO routed VALUES (1, CAST(NULL AS STRING)), (2, '" + narrow + "')")
                .await();

        assertThat(PartitionsSeen.SEEN).containsEntry(wide, 3).containsEntry(narrow, 1);
        assertThat(kafka.readCommitted(narrow)).hasSize(1);
    }

    @Test
    void aBoundedReadStopsBeforeTheFirstRecordAtTheTimestamp(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("ticks");
        kafka.createTopic(topic, 2);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (int i = 1; i <= 8; i++) {
                producer.send(
                        new ProducerRecord<>(
                                topic, i % 2, i * 1000L, null, json("{\"id\":" + i + "}")));
            }
        }
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE ticks (id INT) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'json', 'schema_registry' ="
                        + " 'false', 'topic' = '"
                        + topic
                        + "', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' ="
                        + " 'timestamp', 'scan.bounded.timestamp-millis' = '5000')");

        assertThat(collect(env, "SELECT id FROM ticks").stream().map(r -> r.getField(0)))
                .containsExactlyInAnyOrder(1, 2, 3, 4);
    }

    @Test
    void aBoundedReadBetweenSpecificOffsets(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("numbered");
        kafka.createTopic(topic, 2);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (int partition = 0; partition < 2; partition++) {
                for (int offset = 0; offset < 5; offset++) {
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    partition,
                                    null,
                                    json("{\"id\":" + (partition * 100 + offset) + "}")));
                }
            }
        }
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE numbered (id INT, `partition` INT METADATA VIRTUAL, `offset` BIGINT"
                        + " METADATA VIRTUAL) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'json', 'schema_registry' ="
                        + " 'false', 'topic' = '"
                        + topic
                        + "', 'scan.startup.mode' = 'specific-offsets',"
                        + " 'scan.startup.specific-offsets' = 'partition:0,offset:1;partition:1,"
                        + "offset:0', 'scan.bounded.mode' = 'specific-offsets',"
                        + " 'scan.bounded.specific-offsets' = 'partition:0,offset:4;partition:1,"
                        + "offset:2')");

        assertThat(collect(env, "SELECT * FROM numbered").stream().map(Row::toString))
                .containsExactlyInAnyOrder(
                        "+I[1, 0, 1]",
                        "+I[2, 0, 2]",
                        "+I[3, 0, 3]",
                        "+I[100, 1, 0]",
                        "+I[101, 1, 1]");
    }
}
