package io.github.flinkconfluent.connector.table;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code 'changelog' = 'debezium'} through the real planner: the changelog it declares (with and
 * without a PRIMARY KEY), its metadata columns, and the refusals, each naming the option to change.
 * Planning connects nowhere (plain JSON, no registry).
 */
class DebeziumTablePlanningTest {

    private static final String COMMON =
            "'connector' = 'confluent', 'bootstrap.servers' = 'b:9092', 'format' = 'json',"
                    + " 'schema_registry' = 'false', 'topic' = 't', 'changelog' = 'debezium'";

    private static TableEnvironment sql(EnvironmentSettings settings) {
        return TableEnvironment.create(settings);
    }

    private static String planError(TableEnvironment env, String statement) {
        Throwable error = catchThrowable(() -> env.explainSql(statement));
        return error == null ? null : ExceptionUtils.stringifyException(error);
    }

    private static void table(TableEnvironment env, String name, String schema, String extra) {
        env.executeSql("CREATE TABLE " + name + " (" + schema + ") WITH (" + COMMON + extra + ")");
    }

    @Test
    void withAPrimaryKeyThePlannerNormalizesByKey() {
        TableEnvironment env = sql(EnvironmentSettings.inStreamingMode());
        table(
                env,
                "orders",
                "id INT NOT NULL, customer STRING, quantity INT,"
                        + " src_table STRING METADATA FROM 'value.source.table' VIRTUAL,"
                        + " ingested TIMESTAMP_LTZ(3) METADATA FROM 'value.ingestion-timestamp'"
                        + " VIRTUAL, PRIMARY KEY (id) NOT ENFORCED",
                "");

        String plan =
                env.explainSql(
                        "SELECT COUNT(*), SUM(quantity) FROM orders", ExplainDetail.CHANGELOG_MODE);

        assertThat(plan).contains("ChangelogNormalize");
        assertThat(plan).contains("changelogMode=[I,UA,D]");
    }

    @Test
    void withoutAPrimaryKeyTheTableIsAFullChangelog() {
        TableEnvironment env = sql(EnvironmentSettings.inStreamingMode());
        table(env, "orders", "id INT NOT NULL, customer STRING, quantity INT", "");

        String plan =
                env.explainSql(
                        "SELECT COUNT(*), SUM(quantity) FROM orders", ExplainDetail.CHANGELOG_MODE);

        assertThat(plan).doesNotContain("ChangelogNormalize");
        assertThat(plan).contains("changelogMode=[I,UB,UA,D]");
    }

    @Test
    void refusalsNameTheOptionToChange() {
        TableEnvironment env = sql(EnvironmentSettings.inStreamingMode());
        table(env, "cdc_out", "id INT NOT NULL, customer STRING", "");
        table(env, "keyed", "id INT NOT NULL, customer STRING", ", 'key.fields' = 'id'");

        assertThat(planError(env, "INSERT INTO cdc_out VALUES (1, 'a')"))
                .contains("'changelog' = 'debezium', which is read-only")
                .contains("'changelog' = 'upsert'");
        assertThat(planError(env, "SELECT * FROM keyed"))
                .contains("sets 'key.fields'", "Remove 'key.fields'");
    }

    @Test
    void aRawFormatIsRefused() {
        TableEnvironment env = sql(EnvironmentSettings.inStreamingMode());
        env.executeSql(
                "CREATE TABLE raw_t (customer STRING) WITH ('connector' = 'confluent',"
                        + " 'bootstrap.servers' = 'b:9092', 'format' = 'raw_string',"
                        + " 'topic' = 't', 'changelog' = 'debezium')");

        assertThat(planError(env, "SELECT * FROM raw_t"))
                .contains("'changelog' = 'debezium' with 'format' = 'raw_string'")
                .contains("set 'format' to 'avro' or 'json'");
    }

    @Test
    void batchModeIsRefusedNamingTheStreamingWay() {
        TableEnvironment env = sql(EnvironmentSettings.inBatchMode());
        table(env, "orders", "id INT NOT NULL, customer STRING", "");

        assertThat(planError(env, "SELECT * FROM orders"))
                .contains("'changelog' = 'debezium' and cannot be read in batch mode")
                .contains("'source.bounded' = 'latest'");
    }

    @Test
    void aPortedDebeziumJsonTablePlans() {
        TableEnvironment env = sql(EnvironmentSettings.inStreamingMode());
        env.executeSql(
                "CREATE TABLE orders (id INT NOT NULL, customer STRING,"
                        + " db STRING METADATA FROM 'value.source.database' VIRTUAL,"
                        + " PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'confluent',"
                        + " 'topic' = 't', 'properties.bootstrap.servers' = 'b:9092',"
                        + " 'format' = 'debezium-json',"
                        + " 'debezium-json.ignore-parse-errors' = 'true')");

        assertThat(planError(env, "SELECT * FROM orders")).isNull();
    }
}
