package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.options.BadDataPolicy;
import io.github.flinkconfluent.connector.options.CommitMode;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.sink.ConfluentSink;
import io.github.flinkconfluent.connector.source.ConfluentSource;
import io.github.flinkconfluent.connector.testing.TestClients;
import io.github.flinkconfluent.examples.OrderEvent;
import io.github.flinkconfluent.examples.avro.Order;
import io.github.flinkconfluent.examples.avro.OrderKey;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Sends;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DataStream serdes in jobs on Flink's MiniCluster, against a real broker and a real registry
 * (Apicurio): records written by Confluent's own serializer read as generated classes and generic
 * records, and a keyed Avro pipeline from a topic to a topic with exactly-once.
 */
@ExtendWith(ConfluentServicesExtension.class)
class DataStreamSerdesITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static ConnectionProfile profile(KafkaBroker kafka, ApicurioRegistry registry) {
        return TestClients.profile(kafka, registry);
    }

    /** An environment where a type that would need Kryo fails the job instead. */
    private static StreamExecutionEnvironment environment() {
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        return StreamExecutionEnvironment.getExecutionEnvironment(config);
    }

    /**
     * Writes the golden payload of {@code golden} to {@code topic}, its id changed to the one this
     * registry gave the golden schema (the body is Confluent's, byte for byte).
     */
    private static void produceGolden(
            KafkaBroker kafka, ApicurioRegistry registry, String golden, String topic)
            throws Exception {
        GoldenVectors vector = GoldenVectors.load(golden);
        int id;
        try (SchemaRegistryClient client = TestClients.registryClient(registry)) {
            id = client.register(TestNames.valueSubject(topic), vector.definition());
        }
        byte[] payload = vector.payload().clone();
        ConfluentWireFormat.writeHeader(id, payload, 0);
        kafka.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = TestClients.producer(kafka)) {
            Sends.confirm(List.of(producer.send(new ProducerRecord<>(topic, payload))));
        }
    }

    private static <T> List<T> readAll(
            KafkaBroker kafka,
            ApicurioRegistry registry,
            String topic,
            ConfluentRecordDeserializer<T> deserializer)
            throws Exception {
        StreamExecutionEnvironment env = environment();
        env.setParallelism(1);
        List<T> out = new ArrayList<>();
        DataStream<T> stream =
                env.fromSource(
                        ConfluentSource.<T>builder()
                                .setConnectionProfile(profile(kafka, registry))
                                .setTopic(topic)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setBounded(true)
                                .setDeserializer(deserializer)
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source");
        // A shuffle: every record crosses Flink's network with the produced type's serializer.
        try (CloseableIterator<T> it = stream.rebalance().executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void confluentWrittenRecordsAreReadAsGeneratedClasses(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        for (String golden : GoldenSpecifics.NAMES) {
            String topic = names.topic(golden);
            produceGolden(kafka, registry, golden, topic);
            SpecificRecord expected = GoldenSpecifics.expected(golden);

            List<SpecificRecord> read =
                    (List<SpecificRecord>)
                            (List<?>)
                                    readAll(
                                            kafka,
                                            registry,
                                            topic,
                                            ConfluentAvroDeserializer.forSpecific(
                                                    GoldenSpecifics.type(golden),
                                                    profile(kafka, registry)));

            assertThat(read).as(golden).containsExactly(expected);
        }
    }

    @Test
    void confluentWrittenRecordsAreReadAsGenericRecords(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("generic");
        produceGolden(kafka, registry, "avro-complex", topic);

        List<GenericRecord> read =
                readAll(
                        kafka,
                        registry,
                        topic,
                        ConfluentAvroDeserializer.forGenericWithWriterSchema(
                                profile(kafka, registry)));

        assertThat(read).hasSize(1);
        GenericRecord record = read.get(0);
        assertThat(record.getSchema().getFullName()).isEqualTo("io.confluent.golden.Complex");
        assertThat(record.get("status").toString()).isEqualTo("SHIPPED");
        assertThat(((GenericRecord) record.get("address")).get("zip")).isEqualTo(12345);
    }

    @Test
    void confluentWrittenJsonAndAvroAreReadAsTreesObjectsAndRows(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        ConnectionProfile profile = profile(kafka, registry);
        String nested = names.topic("json-nested");
        produceGolden(kafka, registry, "json-nested", nested);
        String simple = names.topic("json-simple");
        produceGolden(kafka, registry, "json-simple", simple);
        String avro = names.topic("avro-simple");
        produceGolden(kafka, registry, "avro-simple", avro);
        RowType orderRow =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                        DataTypes.FIELD("order_id", DataTypes.INT().notNull()))
                                .getLogicalType();

        assertThat(readAll(kafka, registry, nested, ConfluentJsonDeserializer.forJsonNode(profile)))
                .containsExactly(GoldenVectors.load("json-nested").value());
        assertThat(
                        readAll(
                                kafka,
                                registry,
                                simple,
                                ConfluentJsonDeserializer.forClass(OrderEvent.class, profile)))
                .containsExactly(new OrderEvent(42, 1001));
        for (String topic : List.of(simple, avro)) {
            DataFormat format = topic.equals(avro) ? DataFormat.AVRO : DataFormat.JSON;
            List<RowData> rows =
                    readAll(
                            kafka,
                            registry,
                            topic,
                            ConfluentRowDataDeserializer.of(format, orderRow, profile));
            assertThat(rows).as(format.toString()).hasSize(1);
            assertThat(rows.get(0).getInt(0)).isEqualTo(42);
            assertThat(rows.get(0).getInt(1)).isEqualTo(1001);
        }
    }

    @Test
    void undecodableRecordsAreDroppedByTheBadDataPolicy(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("mixed");
        produceGolden(kafka, registry, "avro-simple", topic); // good
        String other = names.topic("primitives");
        produceGolden(kafka, registry, "avro-primitives", other);
        byte[] primitives = kafka.readCommitted(other).get(0).value(); // a writer Order cannot read
        try (KafkaProducer<byte[], byte[]> producer = TestClients.producer(kafka)) {
            Sends.confirm(
                    List.of(
                            producer.send(
                                    new ProducerRecord<>(
                                            topic, "not framed".getBytes(StandardCharsets.UTF_8))),
                            producer.send(new ProducerRecord<>(topic, primitives)),
                            producer.send(
                                    new ProducerRecord<>(
                                            topic, kafka.readCommitted(topic).get(0).value()))));
        }
        ConnectionProfile profile = profile(kafka, registry);
        StreamExecutionEnvironment env = environment();
        env.setParallelism(1);
        List<Order> read = new ArrayList<>();
        try (CloseableIterator<Order> it =
                env.fromSource(
                                ConfluentSource.<Order>builder()
                                        .setConnectionProfile(profile)
                                        .setTopic(topic)
                                        .setStartingOffset(OffsetMode.EARLIEST)
                                        .setBounded(true)
                                        .setBadDataPolicy(BadDataPolicy.DROP)
                                        .setDeserializer(
                                                ConfluentAvroDeserializer.forSpecific(
                                                        Order.class, profile))
                                        .build(),
                                WatermarkStrategy.noWatermarks(),
                                "mixed")
                        .executeAndCollect()) {
            it.forEachRemaining(read::add);
        }

        assertThat(read).containsExactly(new Order(42, 1001), new Order(42, 1001));
    }

    @Test
    void ourSerializerWritesConfluentsBytesUnderTheTopicSubject(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("written");
        GoldenVectors vector = GoldenVectors.load("avro-simple");
        ConfluentAvroSerializer<Order> serializer =
                ConfluentAvroSerializer.forSpecific(Order.class, profile(kafka, registry));
        serializer.open();
        byte[] bytes;
        try {
            bytes = serializer.encode(new Order(42, 1001), topic, false);
        } finally {
            serializer.close();
        }

        try (SchemaRegistryClient client = TestClients.registryClient(registry)) {
            var latest = client.getLatest(TestNames.valueSubject(topic));
            assertThat(ConfluentWireFormat.readSchemaId(bytes)).isEqualTo(latest.id());
            assertThat(new org.apache.avro.Schema.Parser().parse(latest.definition().text()))
                    .isEqualTo(Order.getClassSchema());
        }
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length))
                .isEqualTo(Arrays.copyOfRange(vector.payload(), 5, vector.payload().length));
    }

    @Test
    void keyedSpecificRecordsGoFromTopicToTopicExactlyOnce(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String input = names.topic("in");
        String output = names.topic("out");
        kafka.createTopic(input, 2);
        kafka.createTopic(output, 2);
        ConnectionProfile profile = profile(kafka, registry);
        List<KafkaRecord<OrderKey, Order>> produced = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            produced.add(
                    KafkaRecord.of(new OrderKey(i), new Order(i % 7, i))
                            .withHeader("source", ("s" + i).getBytes(StandardCharsets.UTF_8)));
        }
        KafkaRecordSerializer<OrderKey, Order> writer =
                KafkaRecordSerializer.of(
                        ConfluentAvroSerializer.forSpecific(OrderKey.class, profile),
                        ConfluentAvroSerializer.forSpecific(Order.class, profile));
        writer.open(null);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = TestClients.producer(kafka)) {
            for (KafkaRecord<OrderKey, Order> record : produced) {
                sends.add(producer.send(writer.serialize(record, input)));
            }
            Sends.confirm(sends);
        } finally {
            writer.close();
        }

        StreamExecutionEnvironment env = environment();
        env.setParallelism(2);
        env.enableCheckpointing(200);
        env.fromSource(
                        ConfluentSource.<KafkaRecord<OrderKey, Order>>builder()
                                .setConnectionProfile(profile)
                                .setTopic(input)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setBounded(true)
                                .setDeserializer(
                                        KafkaRecordDeserializer.of(
                                                ConfluentAvroDeserializer.forSpecific(
                                                        OrderKey.class, profile),
                                                ConfluentAvroDeserializer.forSpecific(
                                                        Order.class, profile)))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "orders")
                .rebalance()
                .sinkTo(
                        ConfluentSink.<KafkaRecord<OrderKey, Order>>builder()
                                .setConnectionProfile(profile)
                                .setTopic(output)
                                .setCommitMode(CommitMode.EXACTLY_ONCE)
                                .setTransactionalIdPrefix(names.topic("tx"))
                                .setRecordSerializer(
                                        KafkaRecordSerializer.of(
                                                ConfluentAvroSerializer.forSpecific(
                                                        OrderKey.class, profile),
                                                ConfluentAvroSerializer.forSpecific(
                                                        Order.class, profile)))
                                .build());
        env.execute("keyed orders, exactly once");
        assertThat(SchemaRegistryClients.openHandles(profile.schemaRegistry().orElseThrow()))
                .as("registry client handles left open by the job's serdes")
                .isZero();

        List<ConsumerRecord<byte[], byte[]>> committed = kafka.readCommitted(output);
        KafkaRecordDeserializer<OrderKey, Order> reader =
                KafkaRecordDeserializer.of(
                        ConfluentAvroDeserializer.forSpecific(OrderKey.class, profile),
                        ConfluentAvroDeserializer.forSpecific(Order.class, profile));
        reader.open(null);
        List<KafkaRecord<OrderKey, Order>> read = new ArrayList<>();
        try {
            for (ConsumerRecord<byte[], byte[]> record : committed) {
                reader.deserialize(
                        record,
                        new org.apache.flink.util.Collector<>() {
                            @Override
                            public void collect(KafkaRecord<OrderKey, Order> r) {
                                read.add(
                                        KafkaRecord.of(r.key(), r.value())
                                                .withHeader("source", r.lastHeader("source")));
                            }

                            @Override
                            public void close() {}
                        });
            }
        } finally {
            reader.close();
        }
        assertThat(read).as("read_committed output, exactly the input").hasSize(produced.size());
        assertThat(read).containsExactlyInAnyOrderElementsOf(produced);
        try (SchemaRegistryClient client = TestClients.registryClient(registry)) {
            assertThat(client.getSubjects())
                    .contains(TestNames.keySubject(output), TestNames.valueSubject(output));
        }
    }
}
