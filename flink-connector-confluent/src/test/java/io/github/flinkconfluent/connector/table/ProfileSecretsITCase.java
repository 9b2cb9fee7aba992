package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code {{VAR}}} secrets on real services: a registry that requires basic auth, its password given
 * only as {@code {{FLINK_CONFLUENT_IT_SR_SECRET}}} (set for this JVM by the build), resolved where
 * the registry is called and never written into a plan or the table's DDL.
 */
@ExtendWith(ConfluentServicesExtension.class)
class ProfileSecretsITCase {

    private static final String USER = "sr-key";
    private static final String VARIABLE = "FLINK_CONFLUENT_IT_SR_SECRET";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static ApicurioRegistry secured;

    @BeforeAll
    static void startSecuredRegistry() {
        String password = System.getenv(VARIABLE);
        assertThat(password).as(VARIABLE + " is set by the build (failsafe)").isNotBlank();
        secured = ApicurioRegistry.withBasicAuth(USER, password);
        secured.start();
    }

    @AfterAll
    static void stopSecuredRegistry() {
        if (secured != null) {
            secured.close();
        }
    }

    private static TableEnvironment tableEnv(KafkaBroker kafka, String secretTemplate) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        String profile = "confluent.profiles.secured.";
        env.getConfig().set(profile + "bootstrap.servers", kafka.bootstrapServers());
        env.getConfig().set(profile + "schema-registry.endpoint", secured.url());
        env.getConfig().set(profile + "schema-registry.api-key", USER);
        env.getConfig().set(profile + "schema-registry.api-secret", secretTemplate);
        return env;
    }

    private static String ddl(String topic) {
        return "CREATE TABLE orders (customer_id INT, order_id INT) WITH ('connector' ="
                + " 'confluent', 'connection_profile' = 'secured', 'format' = 'avro', 'topic' = '"
                + topic
                + "', 'type' = 'source', 'source.offset' = 'earliest', 'source.bounded' ="
                + " 'latest')";
    }

    @Test
    void theSecretIsResolvedWhereTheRegistryIsCalledAndNowhereElse(
            KafkaBroker kafka, TestNames names) throws Exception {
        String topic = names.topic("secured");
        kafka.createTopic(topic, 1);
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(
                        SchemaRegistryClients.create(
                                SchemaRegistryConfig.builder(secured.url())
                                        .basicAuth(USER, System.getenv(VARIABLE))
                                        .build()),
                        TestNames.valueSubject(topic),
                        ConfluentTableSourceITCase.ORDER,
                        true);
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(
                    new ProducerRecord<>(
                            topic, ConfluentTableSourceITCase.avroOrder(serializer, 4, 2)));
        }
        TableEnvironment env = tableEnv(kafka, "{{" + VARIABLE + "}}");
        env.executeSql(ddl(topic));

        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql("SELECT * FROM orders").collect()) {
            it.forEachRemaining(rows::add);
        }
        assertThat(rows).containsExactly(Row.of(4, 2));

        String secret = System.getenv(VARIABLE);
        String plan = env.explainSql("SELECT * FROM orders");
        String showCreate = collectText(env, "SHOW CREATE TABLE orders");
        assertThat(plan).doesNotContain(secret);
        assertThat(showCreate).doesNotContain(secret);
    }

    @Test
    void aMissingVariableIsAnErrorNamingIt(KafkaBroker kafka, TestNames names) {
        String topic = names.topic("unset");
        kafka.createTopic(topic, 1);
        TableEnvironment env = tableEnv(kafka, "{{FLINK_CONFLUENT_IT_NOT_SET}}");
        env.executeSql(ddl(topic));

        assertThatThrownBy(
                        () -> {
                            try (CloseableIterator<Row> it =
                                    env.executeSql("SELECT * FROM orders").collect()) {
                                it.forEachRemaining(r -> {});
                            }
                        })
                .satisfies(
                        e ->
                                assertThat(ExceptionUtils.stringifyException(e))
                                        .contains(
                                                "Environment variable"
                                                        + " 'FLINK_CONFLUENT_IT_NOT_SET'"));
    }

    private static String collectText(TableEnvironment env, String statement) throws Exception {
        StringBuilder text = new StringBuilder();
        try (CloseableIterator<Row> it = env.executeSql(statement).collect()) {
            it.forEachRemaining(r -> text.append(r).append('\n'));
        }
        return text.toString();
    }
}
