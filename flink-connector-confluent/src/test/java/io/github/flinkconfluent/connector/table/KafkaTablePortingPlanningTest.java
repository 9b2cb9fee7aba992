package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.registry.FakeRegistryServer;
import io.github.flinkconfluent.connector.registry.FakeRegistryServer.Answer;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A table written for Flink's {@code 'connector' = 'kafka'}, with only the connector changed,
 * planned as a source and a sink through the real planner. Planning asks the registry about the
 * subject; a scripted registry that knows no subjects answers, and shows the credentials that
 * {@code avro-confluent.basic-auth.user-info} became. Nothing connects to Kafka.
 */
class KafkaTablePortingPlanningTest {

    /** A DDL as written for Flink's Kafka connector (its options, its format names). */
    static String kafkaDdl(String table, String registryUrl, String bootstrapServers) {
        return kafkaDdl(table, "orders", registryUrl, bootstrapServers);
    }

    static String kafkaDdl(
            String table, String topic, String registryUrl, String bootstrapServers) {
        return "CREATE TABLE "
                + table
                + " (\n"
                + "  order_id BIGINT,\n"
                + "  customer STRING,\n"
                + "  amount DOUBLE\n"
                + ") WITH (\n"
                + "  'connector' = 'kafka',\n"
                + "  'topic' = '"
                + topic
                + "',\n"
                + "  'properties.bootstrap.servers' = '"
                + bootstrapServers
                + "',\n"
                + "  'properties.group.id' = 'orders-reader',\n"
                + "  'scan.startup.mode' = 'earliest-offset',\n"
                + "  'format' = 'avro-confluent',\n"
                + "  'avro-confluent.url' = '"
                + registryUrl
                + "',\n"
                + "  'avro-confluent.basic-auth.credentials-source' = 'USER_INFO',\n"
                + "  'avro-confluent.basic-auth.user-info' = 'SRKEY:sr-secret-value',\n"
                + "  'sink.delivery-guarantee' = 'exactly-once',\n"
                + "  'sink.transactional-id-prefix' = 'orders-tx'\n"
                + ")";
    }

    /** The same DDL with {@code 'connector' = 'confluent'}: the one change a user makes. */
    static String ported(String kafkaDdl) {
        String ported = kafkaDdl.replace("'connector' = 'kafka'", "'connector' = 'confluent'");
        assertThat(ported).isNotEqualTo(kafkaDdl);
        return ported;
    }

    private static TableEnvironment sql() {
        Configuration config = new Configuration();
        config.setString("execution.checkpointing.interval", "10 s");
        return TableEnvironment.create(
                EnvironmentSettings.newInstance()
                        .inStreamingMode()
                        .withConfiguration(config)
                        .build());
    }

    private static Throwable plan(TableEnvironment env, String statement) {
        return catchThrowable(() -> env.explainSql(statement));
    }

    @Test
    void aKafkaTableWithOnlyTheConnectorChangedPlansAsSourceAndSink() {
        try (FakeRegistryServer registry =
                new FakeRegistryServer(
                        Answer.json(
                                404, "{\"error_code\":40401,\"message\":\"Subject not found\"}"))) {
            TableEnvironment env = sql();
            env.executeSql(ported(kafkaDdl("orders", registry.url(), "127.0.0.1:9")));

            Throwable read = plan(env, "SELECT customer, amount FROM orders WHERE amount > 10");
            Throwable write = plan(env, "INSERT INTO orders VALUES (1, 'ada', 12.5)");

            assertThat(read).as(trace(read)).isNull();
            assertThat(write).as(trace(write)).isNull();
            String expected =
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            "SRKEY:sr-secret-value"
                                                    .getBytes(StandardCharsets.UTF_8));
            assertThat(registry.requests()).isNotEmpty();
            assertThat(registry.requests())
                    .allSatisfy(r -> assertThat(r.authorization()).isEqualTo(expected));
            assertThat(registry.requests())
                    .anySatisfy(r -> assertThat(r.uri()).contains("orders-value"));
            assertThat(env.explainSql("INSERT INTO orders VALUES (1, 'ada', 12.5)"))
                    .doesNotContain("sr-secret-value");
        }
    }

    @Test
    void aDebeziumJsonTableWithRegistryOptionsFailsNamingTheOption() {
        TableEnvironment env = sql();
        env.executeSql(
                ported(kafkaDdl("cdc", "http://127.0.0.1:9", "127.0.0.1:9"))
                        .replace("'format' = 'avro-confluent'", "'format' = 'debezium-json'")
                        .replace("'avro-confluent.", "'debezium-json."));

        // debezium-json is schemaless in Flink: it has no registry options.
        assertThat(trace(plan(env, "SELECT * FROM cdc")))
                .containsPattern("'debezium-json\\.[a-z.-]+', which has no counterpart here")
                .doesNotContain("sr-secret-value");
    }

    @Test
    void aCanalTableFailsNamingTheFormatOption() {
        TableEnvironment env = sql();
        env.executeSql(
                ported(kafkaDdl("cdc", "http://127.0.0.1:9", "127.0.0.1:9"))
                        .replace("'format' = 'avro-confluent'", "'format' = 'canal-json'")
                        .replace("'avro-confluent.", "'canal-json."));

        assertThat(trace(plan(env, "SELECT * FROM cdc")))
                .contains("'format' = 'canal-json'", "Change 'format'");
    }

    @Test
    void anUnknownFlinkOptionIsRejectedByName() {
        TableEnvironment env = sql();
        env.executeSql(
                ported(kafkaDdl("odd", "http://127.0.0.1:9", "127.0.0.1:9"))
                        .replace(
                                "'sink.delivery-guarantee'",
                                "'sink.semantic' = 'x', 'sink.delivery-guarantee'"));

        assertThat(trace(plan(env, "SELECT * FROM odd"))).contains("sink.semantic");
    }

    private static String trace(Throwable error) {
        return error == null ? "" : ExceptionUtils.stringifyException(error);
    }
}
