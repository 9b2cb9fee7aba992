package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.connector.format.avro.AvroRegistryDeserializer;
import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.KafkaBroker;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's pipeline, the same for every way the jar is loaded: registry-framed Avro orders in a
 * topic, the seed's {@code orders} DDL reading them, and an {@code exactly_once} sink table that
 * receives a copy; the copy is checked with a {@code read_committed} drain.
 */
final class SeedOrders {

    static final Schema ORDER =
            SchemaBuilder.record("Order")
                    .namespace("shop")
                    .fields()
                    .requiredInt("customer_id")
                    .requiredInt("order_id")
                    .endRecord();

    final String input;
    final String output;
    private final KafkaBroker kafka;
    private final ApicurioRegistry registry;
    private final List<String> expected = new ArrayList<>();

    /** Creates both topics and writes {@code count} orders into the input. */
    SeedOrders(KafkaBroker kafka, ApicurioRegistry registry, TestNames names, int count) {
        this.kafka = kafka;
        this.registry = registry;
        this.input = names.topic("order_topic").replace('-', '_');
        this.output = names.topic("order_copies").replace('-', '_');
        kafka.createTopic(input, 2);
        kafka.createTopic(output, 2);
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (SchemaRegistryClient client = client();
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            AvroRegistrySerializer serializer =
                    new AvroRegistrySerializer(client, TestNames.valueSubject(input), ORDER, true);
            for (int i = 0; i < count; i++) {
                GenericRecord order = new GenericData.Record(ORDER);
                order.put("customer_id", i % 7);
                order.put("order_id", i);
                producer.send(new ProducerRecord<>(input, serializer.serialize(order)));
                expected.add((i % 7) + "/" + i);
            }
        }
    }

    private SchemaRegistryClient client() {
        return SchemaRegistryClients.create(SchemaRegistryConfig.builder(registry.url()).build());
    }

    /** The profile, as {@code SET} statements (one per line, each ending with ';'). */
    List<String> profileStatements() {
        return List.of(
                "SET 'confluent.profiles.my_cluster.bootstrap.servers' = '"
                        + kafka.bootstrapServers()
                        + "';",
                "SET 'confluent.profiles.my_cluster.schema-registry.endpoint' = '"
                        + registry.url()
                        + "';");
    }

    /**
     * The seed's DDL (every name and value as in the seed), the exactly-once sink table, and an
     * INSERT that copies what the topic holds now and finishes, so nothing has to be cancelled.
     */
    List<String> pipelineStatements() {
        return List.of(
                "CREATE TABLE orders (\n"
                        + "  customer_id INT,\n"
                        + "  order_id INT\n"
                        + ") WITH (\n"
                        + "  'connector' = 'confluent',\n"
                        + "  'connection_profile' = 'my_cluster',\n"
                        + "  'format' = 'avro',\n"
                        + "  'topic' = '"
                        + input
                        + "',\n"
                        + "  'type' = 'source',\n"
                        + "  'source.offset' = 'latest',\n"
                        + "  'source.read_mode' = 'read_committed'\n"
                        + ");",
                "CREATE TABLE order_copies (\n"
                        + "  customer_id INT,\n"
                        + "  order_id INT\n"
                        + ") WITH (\n"
                        + "  'connector' = 'confluent',\n"
                        + "  'connection_profile' = 'my_cluster',\n"
                        + "  'format' = 'avro',\n"
                        + "  'topic' = '"
                        + output
                        + "',\n"
                        + "  'type' = 'sink',\n"
                        + "  'sink.commit_mode' = 'exactly_once'\n"
                        + ");",
                "INSERT INTO order_copies SELECT customer_id, order_id FROM orders /*+"
                    + " OPTIONS('source.offset' = 'earliest', 'source.bounded' = 'latest') */;");
    }

    /** Every order, once, in the committed output. */
    void assertCopied() throws Exception {
        List<String> actual = new ArrayList<>();
        try (SchemaRegistryClient client = client()) {
            AvroRegistryDeserializer deserializer = new AvroRegistryDeserializer(client, null);
            for (ConsumerRecord<byte[], byte[]> record : kafka.readCommitted(output)) {
                GenericRecord row = (GenericRecord) deserializer.deserialize(record.value());
                actual.add(row.get("customer_id") + "/" + row.get("order_id"));
            }
        }
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
    }

    int expectedCount() {
        return expected.size();
    }
}
