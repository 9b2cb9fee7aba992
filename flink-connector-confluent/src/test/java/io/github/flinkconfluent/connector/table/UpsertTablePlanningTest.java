package io.github.flinkconfluent.connector.table;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.util.ExceptionUtils;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code 'changelog' = 'upsert'} through the real planner: which tables and queries it accepts, and
 * that each refusal names the option to change. Planning (EXPLAIN) runs the table factory and
 * connects nowhere (plain JSON, no registry, at-least-once).
 */
class UpsertTablePlanningTest {

    private static final String COMMON =
            "'connector' = 'confluent', 'bootstrap.servers' = 'b:9092', 'format' = 'json',"
                    + " 'schema_registry' = 'false', 'topic' = 't'";

    private static final String UPDATING_QUERY =
            "SELECT customer, COUNT(*) AS cnt FROM (VALUES ('a'), ('b'), ('a')) AS v(customer)"
                    + " GROUP BY customer";

    private static TableEnvironment sql() {
        return TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    }

    private static String planError(TableEnvironment env, String statement) {
        Throwable error = catchThrowable(() -> env.explainSql(statement));
        return error == null ? null : ExceptionUtils.stringifyException(error);
    }

    private static void sinkTable(TableEnvironment env, String name, String schema, String extra) {
        env.executeSql(
                "CREATE TABLE "
                        + name
                        + " ("
                        + schema
                        + ") WITH ("
                        + COMMON
                        + ", 'type' = 'sink'"
                        + extra
                        + ")");
    }

    @Test
    void anUpsertTableTakesAnUnwindowedGroupBy() {
        TableEnvironment env = sql();
        sinkTable(
                env,
                "totals",
                "customer STRING, cnt BIGINT, PRIMARY KEY (customer) NOT ENFORCED",
                ", 'changelog' = 'upsert'");

        assertThat(planError(env, "INSERT INTO totals " + UPDATING_QUERY)).isNull();
    }

    @Test
    void anAppendTableFedByAnUpdatingQueryNamesTheChangelogOption() {
        TableEnvironment env = sql();
        sinkTable(env, "totals", "customer STRING, cnt BIGINT", "");

        assertThat(planError(env, "INSERT INTO totals " + UPDATING_QUERY))
                .contains("Table default_catalog.default_database.totals is an append table")
                .contains("'changelog' = 'upsert'")
                .contains("PRIMARY KEY");
        // An insert-only query is still fine.
        assertThat(planError(env, "INSERT INTO totals VALUES ('a', 1)")).isNull();
    }

    @Test
    void upsertWithoutPrimaryKeyIsRefusedForBothDirections() {
        TableEnvironment env = sql();
        sinkTable(env, "no_pk_out", "customer STRING, cnt BIGINT", ", 'changelog' = 'upsert'");
        env.executeSql(
                "CREATE TABLE no_pk_in (customer STRING, cnt BIGINT) WITH ("
                        + COMMON
                        + ", 'type' = 'source', 'changelog' = 'upsert')");

        assertThat(planError(env, "INSERT INTO no_pk_out " + UPDATING_QUERY))
                .contains("'changelog' = 'upsert', which needs a PRIMARY KEY");
        assertThat(planError(env, "SELECT * FROM no_pk_in"))
                .contains("'changelog' = 'upsert', which needs a PRIMARY KEY");
    }

    @Test
    void keyColumnsOtherThanThePrimaryKeyAreRefused() {
        TableEnvironment env = sql();
        sinkTable(
                env,
                "fewer",
                "region STRING, customer STRING, cnt BIGINT,"
                        + " PRIMARY KEY (region, customer) NOT ENFORCED",
                ", 'changelog' = 'upsert', 'key.fields' = 'customer'");
        sinkTable(
                env,
                "more",
                "region STRING, customer STRING, cnt BIGINT, PRIMARY KEY (customer) NOT ENFORCED",
                ", 'changelog' = 'upsert', 'key.fields' = 'region;customer'");
        sinkTable(
                env,
                "same",
                "region STRING, customer STRING, cnt BIGINT,"
                        + " PRIMARY KEY (region, customer) NOT ENFORCED",
                ", 'changelog' = 'upsert', 'key.fields' = 'customer;region'");
        String query =
                "INSERT INTO %s SELECT 'r', customer, COUNT(*) FROM (VALUES ('a')) AS v(customer)"
                        + " GROUP BY customer";

        assertThat(planError(env, String.format(query, "fewer")))
                .contains("PRIMARY KEY [region, customer]")
                .contains("are [customer]")
                .contains("make it 'region;customer'");
        assertThat(planError(env, String.format(query, "more")))
                .contains("PRIMARY KEY [customer]")
                .contains("are [region, customer]");
        assertThat(planError(env, String.format(query, "same"))).isNull();
    }

    @Test
    void theBufferNeedsAnUpsertTableAndAPositiveSize() {
        TableEnvironment env = sql();
        sinkTable(env, "append_buffered", "line STRING", ", 'sink.buffer_flush.max_rows' = '10'");
        sinkTable(
                env,
                "negative",
                "customer STRING, cnt BIGINT, PRIMARY KEY (customer) NOT ENFORCED",
                ", 'changelog' = 'upsert', 'sink.buffer_flush.max_rows' = '-1'");
        sinkTable(
                env,
                "flink_spelling",
                "customer STRING, cnt BIGINT, PRIMARY KEY (customer) NOT ENFORCED",
                ", 'changelog' = 'upsert', 'sink.buffer-flush.max-rows' = '100',"
                        + " 'sink.buffer-flush.interval' = '2 s'");

        assertThat(planError(env, "INSERT INTO append_buffered VALUES ('x')"))
                .contains("'sink.buffer_flush.max_rows'")
                .contains("Set 'changelog' = 'upsert'");
        assertThat(planError(env, "INSERT INTO negative " + UPDATING_QUERY))
                .contains("'sink.buffer_flush.max_rows' is -1");
        assertThat(planError(env, "INSERT INTO flink_spelling " + UPDATING_QUERY)).isNull();
    }

    @Test
    void anUpsertSourceIsNormalizedSoADownstreamAggregateIsCorrect() throws Exception {
        TableEnvironment env = sql();
        env.executeSql(
                "CREATE TABLE totals (customer STRING, cnt BIGINT,"
                        + " PRIMARY KEY (customer) NOT ENFORCED) WITH ("
                        + COMMON
                        + ", 'type' = 'source', 'changelog' = 'upsert')");

        String plan = env.explainSql("SELECT SUM(cnt) FROM totals");
        assertThat(plan).contains("ChangelogNormalize");
    }

    @Test
    void anUpsertTableIsWrittenButNotReadInBatchMode() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        sinkTable(
                env,
                "totals_out",
                "customer STRING, cnt BIGINT, PRIMARY KEY (customer) NOT ENFORCED",
                ", 'changelog' = 'upsert'");
        env.executeSql(
                "CREATE TABLE totals_in (customer STRING, cnt BIGINT,"
                        + " PRIMARY KEY (customer) NOT ENFORCED) WITH ("
                        + COMMON
                        + ", 'type' = 'source', 'changelog' = 'upsert')");

        assertThat(planError(env, "INSERT INTO totals_out " + UPDATING_QUERY)).isNull();
        assertThat(planError(env, "SELECT * FROM totals_in"))
                .contains("'changelog' = 'upsert' and cannot be read in batch mode")
                .contains("'source.bounded' = 'latest'");
    }

    @Test
    void anUnknownChangelogModeListsTheKnownOnes() {
        TableEnvironment env = sql();
        env.executeSql(
                "CREATE TABLE odd (line STRING) WITH ("
                        + COMMON
                        + ", 'type' = 'source', 'changelog' = 'sometimes')");

        assertThat(planError(env, "SELECT * FROM odd"))
                .contains("changelog")
                .containsIgnoringCase("append")
                .containsIgnoringCase("upsert");
    }
}
