package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.format.avro.HostileAvro;
import io.github.flinkconfluent.connector.format.avro.SqlToAvroSchema;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.source.reader.DeadLetterWriter;
import io.github.flinkconfluent.connector.testing.LocalTables;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.github.flinkconfluent.connector.testing.SqlRows.collect;
import static io.github.flinkconfluent.connector.testing.TestClients.producer;
import static io.github.flinkconfluent.connector.testing.TestClients.registryClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code 'confluent'} table source in Flink SQL, on a real broker and registry. */
@ExtendWith(ConfluentServicesExtension.class)
class ConfluentTableSourceITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    static final Schema ORDER =
            SchemaBuilder.record("Order")
                    .namespace("shop")
                    .fields()
                    .requiredInt("customer_id")
                    .requiredInt("order_id")
                    .endRecord();

    private static TableEnvironment tableEnv(KafkaBroker kafka, ApicurioRegistry registry) {
        return LocalTables.tableEnv(
                kafka, registry.url(), EnvironmentSettings.inStreamingMode(), 2, null);
    }

    private static void produce(KafkaBroker kafka, String topic, List<byte[]> values) {
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(topic, 0, null, value));
            }
        }
    }

    static byte[] avroOrder(AvroRegistrySerializer serializer, int customer, int order) {
        GenericRecord record = new GenericData.Record(ORDER);
        record.put("customer_id", customer);
        record.put("order_id", order);
        return serializer.serialize(record);
    }

    @Test
    void theSeedsDdlAsWrittenReadsRegistryAvroFromLatest(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("order_topic");
        kafka.createTopic(topic, 1);
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(
                        registryClient(registry), TestNames.valueSubject(topic), ORDER, true);
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        // What a SQL client session does with SET 'confluent.profiles.my_cluster....' = '...'.
        env.getConfig()
                .set("confluent.profiles.my_cluster.bootstrap.servers", kafka.bootstrapServers());
        env.getConfig()
                .set("confluent.profiles.my_cluster.schema-registry.endpoint", registry.url());
        env.executeSql(
                "CREATE TABLE orders (\n"
                        + "  customer_id INT,\n"
                        + "  order_id INT\n"
                        + ") WITH (\n"
                        + "  'connector' = 'confluent',\n"
                        + "  'connection_profile' = 'my_cluster',\n"
                        + "  'format' = 'avro',\n"
                        + "  'topic' = '"
                        + topic
                        + "',\n"
                        + "  'type' = 'source',\n"
                        + "  'source.offset' = 'latest',\n"
                        + "  'source.read_mode' = 'read_committed'\n"
                        + ")");
        // A record written before the job starts: 'latest' must not read it.
        produce(kafka, topic, List.of(avroOrder(serializer, -1, -1)));

        ExecutorService reading = Executors.newSingleThreadExecutor();
        List<Row> rows = Collections.synchronizedList(new ArrayList<>());
        try (CloseableIterator<Row> it = env.executeSql("SELECT * FROM orders").collect();
                KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            Future<?> reader =
                    reading.submit(
                            () -> {
                                while (rows.size() < 5 && it.hasNext()) {
                                    rows.add(it.next());
                                }
                            });
            // The job's start offset is unknown to the test: write one record per poll until
            // five rows came back, however long the job takes to start.
            AtomicInteger written = new AtomicInteger();
            Poll.until(
                    "five rows written after the job started",
                    Duration.ofSeconds(120),
                    () -> {
                        int i = written.getAndIncrement();
                        producer.send(
                                new ProducerRecord<>(topic, avroOrder(serializer, i % 10, i)));
                        producer.flush();
                        return rows.size() >= 5 || reader.isDone();
                    });
            reader.get(120, TimeUnit.SECONDS);
        } finally {
            reading.shutdownNow();
        }

        int first = (Integer) rows.get(0).getField("order_id");
        assertThat(first).as("'latest' skips what was there before the job").isNotNegative();
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).getField("order_id")).isEqualTo(first + i);
            assertThat(rows.get(i).getField("customer_id")).isEqualTo((first + i) % 10);
        }
    }

    @Test
    void avroFromTheRegistryWithAWindowedAggregate(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("orders");
        kafka.createTopic(topic, 2);
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(
                        registryClient(registry), TestNames.valueSubject(topic), ORDER, true);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (int i = 0; i < 40; i++) {
                // Four 10-second windows of 10 orders each, customers 0..4.
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                i % 2,
                                1_000_000L + i * 1000L,
                                null,
                                avroOrder(serializer, i % 5, i)));
            }
        }
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE orders (customer_id INT, order_id INT,"
                        + " ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',"
                        + " WATERMARK FOR ts AS ts) WITH ("
                        + "'connector' = 'confluent', 'connection_profile' = 'local',"
                        + " 'format' = 'avro', 'topic' = '"
                        + topic
                        + "', 'type' = 'source', 'source.offset' = 'earliest',"
                        + " 'source.bounded' = 'latest')");

        List<Row> rows =
                collect(
                        env,
                        "SELECT window_start, COUNT(*) AS orders, COUNT(DISTINCT customer_id)"
                                + " AS customers FROM TABLE(TUMBLE(TABLE orders,"
                                + " DESCRIPTOR(ts), INTERVAL '10' SECOND))"
                                + " GROUP BY window_start, window_end");

        assertThat(rows).hasSize(4);
        assertThat(rows).allSatisfy(r -> assertThat(r.getField("orders")).isEqualTo(10L));
        assertThat(rows).allSatisfy(r -> assertThat(r.getField("customers")).isEqualTo(5L));
    }

    @Test
    void jsonWithAndWithoutTheRegistryFraming(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String framedTopic = names.topic("json-framed");
        String bareTopic = names.topic("json-bare");
        kafka.createTopic(framedTopic, 1);
        kafka.createTopic(bareTopic, 1);
        int id =
                registryClient(registry)
                        .register(
                                TestNames.valueSubject(framedTopic),
                                SchemaDefinition.json(
                                        "{\"type\":\"object\",\"properties\":{"
                                                + "\"id\":{\"type\":\"integer\"},"
                                                + "\"address\":{\"type\":\"object\"}},"
                                                + "\"required\":[\"id\"]}"));
        String json = "{\"id\":1,\"address\":{\"city\":\"Oslo\",\"zip\":[1,2]}}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        produce(
                kafka,
                framedTopic,
                List.of(
                        io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat.frame(
                                id, body, 0, body.length)));
        produce(kafka, bareTopic, List.of(body));
        TableEnvironment env = tableEnv(kafka, registry);
        for (String[] table :
                new String[][] {{"framed", framedTopic, "true"}, {"bare", bareTopic, "false"}}) {
            env.executeSql(
                    "CREATE TABLE "
                            + table[0]
                            + " (id BIGINT NOT NULL, address STRING) WITH ('connector' ="
                            + " 'confluent', 'connection_profile' = 'local', 'format' = 'json',"
                            + " 'topic' = '"
                            + table[1]
                            + "', 'type' = 'source', 'schema_registry' = '"
                            + table[2]
                            + "', 'json.validate' = 'true', 'scan.startup.mode' ="
                            + " 'earliest-offset', 'scan.bounded.mode' = 'latest-offset')");
        }

        for (String table : List.of("framed", "bare")) {
            assertThat(collect(env, "SELECT id, JSON_VALUE(address, '$.city') FROM " + table))
                    .as(table)
                    .containsExactly(Row.of(1L, "Oslo"));
        }
    }

    @Test
    void rawFormatsAndEveryMetadataColumn(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("raw");
        kafka.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            ProducerRecord<byte[], byte[]> record =
                    new ProducerRecord<>(
                            topic,
                            0,
                            123_000L,
                            "k1".getBytes(StandardCharsets.UTF_8),
                            "hello".getBytes(StandardCharsets.UTF_8));
            record.headers().add(new RecordHeader("h", new byte[] {7}));
            producer.send(record);
        }
        TableEnvironment env = tableEnv(kafka, registry);
        String with =
                " WITH ('connector' = 'confluent', 'connection_profile' = 'local', 'topic' = '"
                        + topic
                        + "', 'type' = 'source', 'source.offset' = 'earliest',"
                        + " 'source.bounded' = 'latest', 'format' = ";
        env.executeSql(
                "CREATE TABLE raw_text (v STRING,"
                        + " t STRING METADATA FROM 'topic' VIRTUAL,"
                        + " p INT METADATA FROM 'partition' VIRTUAL,"
                        + " o BIGINT METADATA FROM 'offset' VIRTUAL,"
                        + " ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',"
                        + " tt STRING METADATA FROM 'timestamp-type' VIRTUAL,"
                        + " k BYTES METADATA FROM 'key',"
                        + " hs MAP<STRING, BYTES> METADATA FROM 'headers',"
                        + " le INT METADATA FROM 'leader-epoch' VIRTUAL)"
                        + with
                        + "'raw_string')");
        env.executeSql("CREATE TABLE raw_values (v BYTES)" + with + "'raw_bytes')");

        List<Row> text =
                collect(
                        env,
                        "SELECT v, t, p, o, ts, tt,"
                                + " CAST(k AS STRING) AS k, hs['h'] AS h, le FROM raw_text");
        assertThat(text).hasSize(1);
        Row row = text.get(0);
        assertThat(row.getField("v")).isEqualTo("hello");
        assertThat(row.getField("t")).isEqualTo(topic);
        assertThat(row.getField("p")).isEqualTo(0);
        assertThat(row.getField("o")).isEqualTo(0L);
        assertThat(row.getField("ts")).isEqualTo(java.time.Instant.ofEpochMilli(123_000L));
        assertThat(row.getField("tt")).isEqualTo("CreateTime");
        assertThat(row.getField("k")).isEqualTo("k1");
        assertThat((byte[]) row.getField("h")).containsExactly(7);
        assertThat(row.getField("le")).isEqualTo(0);
        assertThat(collect(env, "SELECT v FROM raw_values"))
                .singleElement()
                .satisfies(
                        r ->
                                assertThat((byte[]) r.getField(0))
                                        .isEqualTo("hello".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void bareAvroWrittenWithTheTablesSchema(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("bare-avro");
        kafka.createTopic(topic, 1);
        RowType rowType =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("name", DataTypes.STRING()),
                                        DataTypes.FIELD("qty", DataTypes.INT().notNull()))
                                .getLogicalType();
        Schema schema = SqlToAvroSchema.convert(rowType, "record");
        GenericRecord record = new GenericData.Record(schema);
        record.put("name", "pen");
        record.put("qty", 3);
        byte[] framed = new AvroRegistrySerializer(schema, 1, GenericData.get()).serialize(record);
        produce(kafka, topic, List.of(java.util.Arrays.copyOfRange(framed, 5, framed.length)));
        TableEnvironment env = tableEnv(kafka, registry);
        env.executeSql(
                "CREATE TABLE items (name STRING, qty INT NOT NULL) WITH ('connector' ="
                        + " 'confluent', 'connection_profile' = 'local', 'format' = 'avro',"
                        + " 'schema_registry' = 'false', 'topic' = '"
                        + topic
                        + "', 'type' = 'source', 'source.offset' = 'earliest',"
                        + " 'source.bounded' = 'latest')");

        assertThat(collect(env, "SELECT * FROM items")).containsExactly(Row.of("pen", 3));
    }

    @Test
    void badDataFailsNamingTheRecordOrIsDropped(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("bad");
        kafka.createTopic(topic, 1);
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(
                        registryClient(registry), TestNames.valueSubject(topic), ORDER, true);
        produce(
                kafka,
                topic,
                List.of(
                        avroOrder(serializer, 1, 1),
                        "garbage".getBytes(StandardCharsets.UTF_8),
                        avroOrder(serializer, 3, 3)));
        TableEnvironment env = tableEnv(kafka, registry);
        for (String policy : List.of("fail", "drop")) {
            env.executeSql(
                    "CREATE TABLE orders_"
                            + policy
                            + " (customer_id INT, order_id INT) WITH ('connector' = 'confluent',"
                            + " 'connection_profile' = 'local', 'format' = 'avro', 'topic' = '"
                            + topic
                            + "', 'type' = 'source', 'source.offset' = 'earliest',"
                            + " 'source.bounded' = 'latest', 'bad_data' = '"
                            + policy
                            + "')");
        }

        assertThat(collect(env, "SELECT order_id FROM orders_drop"))
                .containsExactly(Row.of(1), Row.of(3));
        assertThatThrownBy(() -> collect(env, "SELECT order_id FROM orders_fail"))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowableWithMessage(
                                                        e,
                                                        "topic '"
                                                                + topic
                                                                + "', partition 0, offset 1"))
                                        .hasValueSatisfying(
                                                cause ->
                                                        assertThat(cause)
                                                                .hasMessageContaining(
                                                                        "BAD_MAGIC_BYTE")
                                                                .hasMessageContaining(
                                                                        "'bad_data' = 'drop'")));
    }

    @Test
    void badDataDlqWritesUndecodableRecordsToTheDeadLetterTopic(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("bad-dlq");
        String deadLetters = names.topic("bad-dlq-letters");
        kafka.createTopic(topic, 1);
        kafka.createTopic(deadLetters, 1);
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(
                        registryClient(registry), TestNames.valueSubject(topic), ORDER, true);
        produce(
                kafka,
                topic,
                List.of(
                        avroOrder(serializer, 1, 1),
                        "garbage".getBytes(StandardCharsets.UTF_8),
                        avroOrder(serializer, 3, 3)));
        TableEnvironment env = tableEnv(kafka, registry);
        String ddl =
                " (customer_id INT, order_id INT) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'avro', 'topic' = '"
                        + topic
                        + "', 'type' = 'source', 'source.offset' = 'earliest',"
                        + " 'source.bounded' = 'latest', 'bad_data' = 'dlq'";
        env.executeSql(
                "CREATE TABLE orders_dlq" + ddl + ", 'bad_data.topic' = '" + deadLetters + "')");
        env.executeSql("CREATE TABLE orders_no_topic" + ddl + ")");

        assertThat(collect(env, "SELECT order_id FROM orders_dlq"))
                .containsExactly(Row.of(1), Row.of(3));
        List<ConsumerRecord<byte[], byte[]>> letters = kafka.readCommitted(deadLetters);
        assertThat(letters).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = letters.get(0);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
        assertThat(dlqHeader(letter, DeadLetterWriter.SOURCE_TOPIC)).isEqualTo(topic);
        assertThat(dlqHeader(letter, DeadLetterWriter.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(dlqHeader(letter, DeadLetterWriter.ERROR_KIND)).isEqualTo("BAD_MAGIC_BYTE");
        assertThat(dlqHeader(letter, DeadLetterWriter.SCHEMA_ID)).isNull();
        assertThatThrownBy(() -> collect(env, "SELECT order_id FROM orders_no_topic"))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowableWithMessage(
                                                        e,
                                                        "'bad_data' = 'dlq' needs"
                                                                + " 'bad_data.topic'"))
                                        .isPresent());
    }

    private static String dlqHeader(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /**
     * Issue 15, as measured there: records of a registered writer schema whose extra field claims
     * 10^9 zero-byte items, among good records. With {@code bad_data = 'drop'} each costs at most
     * the per-record item budget, whether the field is skipped or read, and every good record
     * arrives; the option reaches the decoder.
     */
    @Test
    void hostileAvroRecordsAreDroppedAndEveryGoodRecordArrives(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("hostile");
        kafka.createTopic(topic, 1);
        Schema writer = HostileAvro.orderWith(HostileAvro.arrayOf(HostileAvro.NULL));
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(
                        registryClient(registry), TestNames.valueSubject(topic), writer, true);
        List<byte[]> values = new ArrayList<>();
        List<Row> good = new ArrayList<>();
        List<Row> goodWithOneNull = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            GenericRecord record = new GenericData.Record(writer);
            record.put("customer_id", i % 7);
            record.put("order_id", i);
            // Ten nulls are more items than the record's bytes, one is not.
            record.put("junk", Collections.nCopies(i % 2 == 0 ? 10 : 1, null));
            values.add(serializer.serialize(record));
            good.add(Row.of(i));
            if (i % 2 == 1) {
                goodWithOneNull.add(Row.of(i));
            }
            if (i % 10 == 5) {
                byte[] body = HostileAvro.orderWithZeroByteItems(-1, -1);
                values.add(ConfluentWireFormat.frame(serializer.schemaId(), body, 0, body.length));
            }
        }
        produce(kafka, topic, values);
        TableEnvironment env = tableEnv(kafka, registry);
        String options =
                " WITH ('connector' = 'confluent', 'connection_profile' = 'local',"
                        + " 'format' = 'avro', 'topic' = '"
                        + topic
                        + "', 'type' = 'source', 'source.offset' = 'earliest',"
                        + " 'source.bounded' = 'latest', ";
        env.executeSql(
                "CREATE TABLE skipping (customer_id INT, order_id INT)"
                        + options
                        + "'bad_data' = 'drop')");
        env.executeSql(
                "CREATE TABLE reading (order_id INT, junk ARRAY<INT>)"
                        + options
                        + "'bad_data' = 'drop')");
        env.executeSql(
                "CREATE TABLE no_allowance (order_id INT, junk ARRAY<INT>)"
                        + options
                        + "'bad_data' = 'drop', 'avro.max_zero_byte_items_per_record' = '0')");
        env.executeSql("CREATE TABLE failing (order_id INT)" + options + "'bad_data' = 'fail')");

        assertThat(collect(env, "SELECT order_id FROM skipping")).containsExactlyElementsOf(good);
        assertThat(collect(env, "SELECT order_id FROM reading")).containsExactlyElementsOf(good);
        assertThat(collect(env, "SELECT order_id FROM no_allowance"))
                .containsExactlyElementsOf(goodWithOneNull);
        assertThatThrownBy(() -> collect(env, "SELECT order_id FROM failing"))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowableWithMessage(
                                                        e, "topic '" + topic + "', partition 0"))
                                        .hasValueSatisfying(
                                                cause ->
                                                        assertThat(cause)
                                                                .hasMessageContaining(
                                                                        "LIMIT_EXCEEDED")
                                                                .hasMessageContaining(
                                                                        "'avro.max_zero_byte_items_per_record'")));
    }

    @Test
    void offsetOutOfRangePolicyFromSql(KafkaBroker kafka, TestNames names) throws Exception {
        String topic = names.topic("gone");
        kafka.createTopic(topic, 1);
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            values.add(("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        produce(kafka, topic, values);
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.deleteRecords(
                            Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(6)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("confluent.profiles.plain.bootstrap.servers", kafka.bootstrapServers());
        for (String policy : List.of("fail", "earliest")) {
            env.executeSql(
                    "CREATE TABLE gone_"
                            + policy
                            + " (v STRING) WITH ('connector' = 'confluent', 'connection_profile' ="
                            + " 'plain', 'format' = 'raw_string', 'topic' = '"
                            + topic
                            + "', 'type' = 'source', 'source.offset' = 'specific_offsets',"
                            + " 'source.offset.specific' = 'partition:0,offset:2',"
                            + " 'source.bounded' = 'latest', 'source.offset_out_of_range' = '"
                            + policy
                            + "')");
        }

        assertThat(collect(env, "SELECT v FROM gone_earliest"))
                .containsExactly(Row.of("v6"), Row.of("v7"), Row.of("v8"), Row.of("v9"));
        assertThatThrownBy(() -> collect(env, "SELECT v FROM gone_fail"))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowableWithMessage(
                                                        e,
                                                        "Offset 2 of topic '"
                                                                + topic
                                                                + "', partition 0 is out of"
                                                                + " range"))
                                        .isPresent());
    }

    @Test
    void planningErrorsNameWhatIsWrong(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) {
        TableEnvironment env = tableEnv(kafka, registry);
        String common =
                "'connector' = 'confluent', 'connection_profile' = 'local', 'format' = 'avro',"
                        + " 'topic' = 't'";
        env.executeSql("CREATE TABLE a_sink (x INT) WITH (" + common + ", 'type' = 'sink')");
        env.executeSql(
                "CREATE TABLE typo (x INT) WITH ("
                        + common
                        + ", 'type' = 'source', 'source.offest' = 'earliest')");
        env.executeSql(
                "CREATE TABLE nobody (x INT) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'nobody', 'format' = 'avro', 'topic' = 't',"
                        + " 'type' = 'source')");
        env.executeSql(
                "CREATE TABLE two_columns (a STRING, b STRING) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'raw_string',"
                        + " 'topic' = 't', 'type' = 'source')");

        assertThatThrownBy(() -> env.explainSql("SELECT * FROM a_sink"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("'type' = 'sink' and cannot be read"));
        assertThatThrownBy(() -> env.explainSql("SELECT * FROM typo"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("source.offest")
                                        .contains("source.offset"));
        assertThatThrownBy(() -> env.explainSql("SELECT * FROM nobody"))
                .satisfies(
                        e -> assertThat(ExceptionUtils.stringifyException(e)).contains("'nobody'"));
        assertThatThrownBy(() -> env.explainSql("SELECT * FROM two_columns"))
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains("one STRING column"));
    }

    @Test
    @org.junit.jupiter.api.Timeout(300) // without idleness the windows never close: fail, not hang
    void anIdlePartitionDoesNotHoldBackTheWatermarkWithAnIdleTimeout(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("idle");
        kafka.createTopic(topic, 2);
        try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            for (int i = 0; i < 30; i++) {
                // Only partition 0 gets data; partition 1 stays empty (idle).
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                0,
                                1_000_000L + i * 1000L,
                                null,
                                ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
        }
        TableEnvironment env = tableEnv(kafka, registry);
        env.getConfig().set("table.exec.source.idle-timeout", "500 ms");
        env.getConfig().set("table.exec.resource.default-parallelism", "1");
        env.executeSql(
                "CREATE TABLE events (v STRING, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',"
                        + " WATERMARK FOR ts AS ts) WITH ('connector' = 'confluent',"
                        + " 'connection_profile' = 'local', 'format' = 'raw_string', 'topic' = '"
                        + topic
                        + "', 'type' = 'source', 'source.offset' = 'earliest')");

        // Unbounded: only watermarks close windows, and partition 1 never has one of its own.
        try (CloseableIterator<Row> it =
                env.executeSql(
                                "SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE"
                                        + " events, DESCRIPTOR(ts), INTERVAL '10' SECOND))"
                                        + " GROUP BY window_start, window_end")
                        .collect()) {
            assertThat(it.next().getField("n")).isEqualTo(10L);
            assertThat(it.next().getField("n")).isEqualTo(10L);
        }
    }
}
