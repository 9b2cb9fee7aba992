package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The JVM-wide registry client is shared while a job runs and gone when it ends: every user
 * (planning checks, the source's decoder, the sink's encoder) releases its share, so a TaskManager
 * keeps no client — and no class loader of a finished job — behind.
 */
@ExtendWith(ConfluentServicesExtension.class)
class SharedRegistryClientITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final Schema ORDER =
            SchemaBuilder.record("Order")
                    .namespace("shop")
                    .fields()
                    .requiredInt("customer_id")
                    .requiredInt("order_id")
                    .endRecord();

    @Test
    void handlesShareOneClientUntilTheLastIsClosed(ApicurioRegistry registry) {
        Set<Thread> before = registryThreads();
        SchemaRegistryConfig config = SchemaRegistryConfig.builder(registry.url()).build();
        SchemaRegistryClient first = SchemaRegistryClients.shared(config);
        SchemaRegistryClient second = SchemaRegistryClients.shared(config);
        assertThat(SchemaRegistryClients.openHandles(config)).isEqualTo(2);
        first.getSubjects();

        first.close();
        first.close(); // a second close of the same handle does not release another share
        assertThat(SchemaRegistryClients.openHandles(config)).isEqualTo(1);
        assertThat(second.getSubjects()).isNotNull();
        assertThatThrownBy(first::getSubjects).isInstanceOf(IllegalStateException.class);

        second.close();
        assertThat(SchemaRegistryClients.openHandles(config)).isZero();
        // The closed client's threads end with it (other tests' clients may still have some).
        Poll.until(
                "the registry HTTP threads of the closed client to end",
                Duration.ofSeconds(30),
                () -> before.containsAll(registryThreads()),
                () -> "alive: " + registryThreads());
    }

    private static Set<Thread> registryThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("schema-registry-http-"))
                .collect(Collectors.toSet());
    }

    @Test
    void aFinishedSqlJobLeavesNoShareOfTheClient(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String input = names.topic("orders");
        String output = names.topic("copies");
        kafka.createTopic(input, 2);
        kafka.createTopic(output, 2);
        Map<String, Object> producerConfig = kafka.clientProperties();
        producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (SchemaRegistryClient client =
                        SchemaRegistryClients.create(
                                SchemaRegistryConfig.builder(registry.url()).build());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
            AvroRegistrySerializer serializer =
                    new AvroRegistrySerializer(client, TestNames.valueSubject(input), ORDER, true);
            for (int i = 0; i < 20; i++) {
                GenericRecord order = new GenericData.Record(ORDER);
                order.put("customer_id", i % 3);
                order.put("order_id", i);
                producer.send(new ProducerRecord<>(input, serializer.serialize(order)));
            }
        }
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        Configuration flinkConfig = new Configuration();
        flinkConfig.setString(
                "confluent.profiles.local.bootstrap.servers", kafka.bootstrapServers());
        flinkConfig.setString("confluent.profiles.local.schema-registry.endpoint", registry.url());
        env.getConfig().addConfiguration(flinkConfig);
        env.getConfig().set("table.exec.resource.default-parallelism", "2");
        SchemaRegistryConfig tables =
                ConnectionProfiles.resolve("local", flinkConfig, Map.of()).schemaRegistry().get();
        env.executeSql(
                "CREATE TABLE orders (customer_id INT, order_id INT) WITH ('connector' ="
                        + " 'confluent', 'connection_profile' = 'local', 'format' = 'avro',"
                        + " 'topic' = '"
                        + input
                        + "', 'type' = 'source', 'source.offset' = 'earliest',"
                        + " 'source.bounded' = 'latest')");
        env.executeSql(
                "CREATE TABLE copies (customer_id INT, order_id INT) WITH ('connector' ="
                        + " 'confluent', 'connection_profile' = 'local', 'format' = 'avro',"
                        + " 'topic' = '"
                        + output
                        + "', 'type' = 'sink')");

        TableResult insert = env.executeSql("INSERT INTO copies SELECT * FROM orders");
        insert.await();

        assertThat(kafka.readCommitted(output)).hasSize(20);
        assertThat(SchemaRegistryClients.openHandles(tables))
                .as("shares of the registry client left open after the job")
                .isZero();
    }
}
