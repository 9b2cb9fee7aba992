package io.github.flinkconfluent.connector.table;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What a SQL user can and cannot do with the connection settings, through the real planner and its
 * {@code SET} statement: planning (EXPLAIN) runs the table factory, and nothing here connects
 * anywhere. The operator's settings are those the environment was created with, as the SQL client
 * and gateway do with the cluster configuration.
 */
class SqlSessionRestrictionsTest {

    private static TableEnvironment sql(Configuration operator) {
        return TableEnvironment.create(
                EnvironmentSettings.newInstance()
                        .inStreamingMode()
                        .withConfiguration(operator)
                        .build());
    }

    private static String inlineTable(String name, String extraOptions) {
        return "CREATE TABLE "
                + name
                + " (v STRING) WITH ('connector' = 'confluent', 'bootstrap.servers' ="
                + " 'b:9092', 'topic' = 't', 'type' = 'source', 'format' = 'raw_string'"
                + extraOptions
                + ")";
    }

    /**
     * A session's {@code SET}: the SQL client and the SQL Gateway execute it by writing the
     * session's configuration, which the planner's table config layers over the cluster
     * configuration (its root); this is that layer.
     */
    private static void set(TableEnvironment env, String key, String value) {
        env.getConfig().set(key, value);
    }

    private static String planError(TableEnvironment env, String table) {
        Throwable error = catchThrowable(() -> env.explainSql("SELECT * FROM " + table));
        return error == null ? null : ExceptionUtils.stringifyException(error);
    }

    @Test
    void aTemplateNamingAVariableTheOperatorDoesNotAllowIsRefusedEvenAfterSet() {
        Configuration operator = new Configuration();
        operator.setString("confluent.secrets.allowed-env", "TEAM_A_*");
        TableEnvironment env = sql(operator);
        set(env, "confluent.secrets.allowed-env", "*");
        env.executeSql(
                inlineTable("leaky", ", 'properties.client.id' = '{{AWS_SECRET_ACCESS_KEY}}'"));
        env.executeSql(inlineTable("fine", ", 'properties.client.id' = '{{TEAM_A_CLIENT}}'"));

        assertThat(planError(env, "leaky"))
                .contains("{{AWS_SECRET_ACCESS_KEY}}")
                .contains("'properties.client.id'")
                .contains("[TEAM_A_*]");
        assertThat(planError(env, "fine")).isNull();
    }

    @Test
    void withoutTheOperatorSettingAnyVariableMayBeNamed() {
        TableEnvironment env = sql(new Configuration());
        env.executeSql(
                inlineTable("anything", ", 'properties.client.id' = '{{AWS_SECRET_ACCESS_KEY}}'"));

        assertThat(planError(env, "anything")).isNull();
    }

    @Test
    void aSessionCannotRedirectAProfileTheOperatorDefined() {
        Configuration operator = new Configuration();
        operator.setString("confluent.profiles.prod.bootstrap.servers", "prod:9092");
        operator.setString("confluent.profiles.prod.key", "{{PROD_KEY}}");
        operator.setString("confluent.profiles.prod.secret", "{{PROD_SECRET}}");
        TableEnvironment env = sql(operator);
        env.executeSql(
                "CREATE TABLE t (v STRING) WITH ('connector' = 'confluent', 'connection_profile'"
                        + " = 'prod', 'topic' = 't', 'type' = 'source', 'format' = 'raw_string')");
        assertThat(planError(env, "t")).isNull();

        set(env, "confluent.profiles.prod.bootstrap.servers", "attacker.example:9092");

        assertThat(planError(env, "t"))
                .contains("Connection profile 'prod' is defined in the cluster configuration")
                .contains("confluent.profiles.prod.bootstrap.servers")
                .doesNotContain("attacker.example");
    }

    @Test
    void aTemplatedEndpointThatIsNoUrlIsReportedAsWrittenNotResolved() {
        String path = System.getenv("PATH");
        assertThat(path).as("PATH is set in the test JVM").isNotBlank();
        TableEnvironment env = sql(new Configuration());
        env.executeSql(
                "CREATE TABLE t (v STRING) WITH ('connector' = 'confluent', 'bootstrap.servers' ="
                        + " 'b:9092', 'schema-registry.endpoint' = '{{PATH}}', 'topic' = 't',"
                        + " 'type' = 'source', 'format' = 'avro')");

        assertThat(planError(env, "t"))
                .contains("'{{PATH}}' must start with http:// or https://")
                .doesNotContain(path);
    }
}
