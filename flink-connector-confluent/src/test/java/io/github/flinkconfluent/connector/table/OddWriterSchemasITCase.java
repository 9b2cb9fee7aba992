package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.testing.LocalTables;
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

import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static io.github.flinkconfluent.connector.testing.SqlRows.collect;
import static io.github.flinkconfluent.connector.testing.TestClients.producer;
import static io.github.flinkconfluent.connector.testing.TestClients.registryClient;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records whose writer schema is odd but legal, on a real broker and registry: a decimal whose
 * scale changed between schema versions (the registry accepts it under BACKWARD), and schema ids
 * the registry does not know.
 */
@ExtendWith(ConfluentServicesExtension.class)
class OddWriterSchemasITCase {

    private static final int PARTITIONS = 4;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARTITIONS)
                            .build());

    private static Schema order(int scale) {
        return SchemaBuilder.record("Order")
                .namespace("shop")
                .fields()
                .requiredInt("order_id")
                .name("amount")
                .type(LogicalTypes.decimal(10, scale).addToSchema(Schema.create(Schema.Type.BYTES)))
                .noDefault()
                .endRecord();
    }

    private static byte[] order(
            AvroRegistrySerializer serializer, Schema schema, int id, String amount) {
        Schema decimal = schema.getField("amount").schema();
        LogicalTypes.Decimal type = (LogicalTypes.Decimal) decimal.getLogicalType();
        GenericRecord record = new GenericData.Record(schema);
        record.put("order_id", id);
        record.put(
                "amount",
                new Conversions.DecimalConversion().toBytes(new BigDecimal(amount), decimal, type));
        return serializer.serialize(record);
    }

    private static TableEnvironment tableEnv(KafkaBroker kafka, String registryUrl) {
        return LocalTables.tableEnv(
                kafka, registryUrl, EnvironmentSettings.inStreamingMode(), PARTITIONS, null);
    }

    private static String table(String name, String columns, String topic) {
        return "CREATE TABLE "
                + name
                + " ("
                + columns
                + ") WITH ('connector' = 'confluent', 'connection_profile' = 'local',"
                + " 'format' = 'avro', 'topic' = '"
                + topic
                + "', 'type' = 'source', 'source.offset' = 'earliest',"
                + " 'source.bounded' = 'latest', 'bad_data' = 'drop')";
    }

    @Test
    void aDecimalWrittenAtAnotherScaleReadsAsTheSameNumber(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("amounts");
        kafka.createTopic(topic, 1);
        String subject = TestNames.valueSubject(topic);
        Schema v1 = order(4);
        Schema v2 = order(2);
        try (SchemaRegistryClient client = registryClient(registry);
                KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            // v1 writes first; v2, with a smaller scale, is then accepted under BACKWARD.
            byte[] old =
                    order(new AvroRegistrySerializer(client, subject, v1, true), v1, 1, "12.3456");
            byte[] current =
                    order(new AvroRegistrySerializer(client, subject, v2, true), v2, 2, "12.34");
            assertThat(client.getVersions(subject)).hasSize(2);
            producer.send(new ProducerRecord<>(topic, old));
            producer.send(new ProducerRecord<>(topic, current));
        }
        TableEnvironment env = tableEnv(kafka, registry.url());
        env.executeSql(table("orders", "order_id INT, amount DECIMAL(10, 2)", topic));

        // Rounded half up from the writer's scale; before, the v1 record read as 1234.56.
        assertThat(collect(env, "SELECT order_id, amount FROM orders"))
                .containsExactly(
                        Row.of(1, new BigDecimal("12.35")), Row.of(2, new BigDecimal("12.34")));
    }

    @Test
    void recordsWithUnknownIdsAreDroppedAndCostOneRegistryRequestPerId(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("unknown-ids");
        kafka.createTopic(topic, PARTITIONS);
        Schema order =
                SchemaBuilder.record("Order")
                        .namespace("shop")
                        .fields()
                        .requiredInt("order_id")
                        .endRecord();
        // Ids far above anything this registry has handed out: unknown to it.
        List<Integer> unknownIds =
                ThreadLocalRandom.current()
                        .ints(1_000_000_000, 2_000_000_000)
                        .distinct()
                        .limit(3)
                        .boxed()
                        .toList();
        int perPartition = 30;
        List<Row> expected = new ArrayList<>();
        try (SchemaRegistryClient client = registryClient(registry);
                KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
            AvroRegistrySerializer serializer =
                    new AvroRegistrySerializer(client, TestNames.valueSubject(topic), order, true);
            for (int partition = 0; partition < PARTITIONS; partition++) {
                for (int i = 0; i < perPartition; i++) {
                    int id = partition * 1000 + i;
                    GenericRecord good = new GenericData.Record(order);
                    good.put("order_id", id);
                    producer.send(
                            new ProducerRecord<>(
                                    topic, partition, null, serializer.serialize(good)));
                    expected.add(Row.of(id));
                    // Every unknown id in every partition, so every reading task meets each.
                    byte[] body = {2};
                    byte[] bad =
                            ConfluentWireFormat.frame(
                                    unknownIds.get(i % unknownIds.size()), body, 0, body.length);
                    producer.send(new ProducerRecord<>(topic, partition, null, bad));
                }
            }
        }
        try (RecordingHttpProxy proxy = new RecordingHttpProxy(registry.url())) {
            TableEnvironment env = tableEnv(kafka, proxy.url());
            env.executeSql(table("orders", "order_id INT", topic));

            assertThat(collect(env, "SELECT order_id FROM orders"))
                    .containsExactlyInAnyOrderElementsOf(expected);

            for (int unknown : unknownIds) {
                long requests =
                        proxy.exchanges().stream()
                                .filter(e -> e.pathAndQuery().equals("/schemas/ids/" + unknown))
                                .peek(e -> assertThat(e.status()).isEqualTo(404))
                                .count();
                // 40 records carry this id, read by 4 tasks; the registry client shared by the
                // tasks remembers the miss for a minute (a second request only if the job ran
                // longer than that). Before, each task asked once: 4.
                assertThat(requests)
                        .as("registry requests for unknown id %s", unknown)
                        .isBetween(1L, 2L);
            }
        }
    }
}
