package io.github.flinkconfluent.connector.table;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Which topic options a source and a sink accept when a query is planned (no broker needed: the
 * checks run before any connection).
 */
class TopicsPlanningTest {

    private static final String COMMON =
            "'connector' = 'confluent', 'bootstrap.servers' = 'b:9092', 'format' = 'json',"
                    + " 'schema_registry' = 'false'";

    private static TableEnvironment sql() {
        return TableEnvironment.create(EnvironmentSettings.inStreamingMode());
    }

    /** The innermost cause of the planning error (the error itself when it has none). */
    private static Throwable planningError(TableEnvironment env, String statement) {
        Throwable error = catchThrowable(() -> env.explainSql(statement));
        assertThat(error).isNotNull();
        while (error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    @Test
    void aSourceReadsATopicListOrAPatternWithTheTopicColumn() {
        TableEnvironment env = sql();
        env.executeSql(
                "CREATE TABLE listed (id BIGINT, `topic` STRING METADATA VIRTUAL) WITH ("
                        + COMMON
                        + ", 'topic' = 'a;b')");
        env.executeSql(
                "CREATE TABLE matched (id BIGINT, `topic` STRING METADATA VIRTUAL) WITH ("
                        + COMMON
                        + ", 'topic-pattern' = 'orders-.*')");
        assertThat(env.explainSql("SELECT * FROM listed UNION ALL SELECT * FROM matched"))
                .contains("listed")
                .contains("matched");
    }

    @Test
    void aSourceWithBothTopicAndPatternIsRefused() {
        TableEnvironment env = sql();
        env.executeSql(
                "CREATE TABLE src (id BIGINT) WITH ("
                        + COMMON
                        + ", 'topic' = 'a', 'topic-pattern' = 'a.*')");
        assertThat(planningError(env, "SELECT * FROM src"))
                .hasMessageContaining("'topic' and 'topic-pattern' are both set");
    }

    @Test
    void aSinkWithATopicListNeedsTheTopicColumn() {
        TableEnvironment env = sql();
        env.executeSql("CREATE TABLE dst (id BIGINT) WITH (" + COMMON + ", 'topic' = 'a;b')");
        assertThat(planningError(env, "INSERT INTO dst VALUES (1)"))
                .hasMessageContaining("writes to topics 'a', 'b'")
                .hasMessageContaining("declare a column `topic` STRING METADATA");

        env.executeSql(
                "CREATE TABLE routed (id BIGINT, `topic` STRING METADATA) WITH ("
                        + COMMON
                        + ", 'topic' = 'a;b')");
        assertThat(env.explainSql("INSERT INTO routed VALUES (1, 'b')")).contains("routed");
    }

    @Test
    void aSinkWithoutTopicNeedsTheTopicColumn() {
        TableEnvironment env = sql();
        env.executeSql("CREATE TABLE dst (id BIGINT) WITH (" + COMMON + ")");
        assertThat(planningError(env, "INSERT INTO dst VALUES (1)"))
                .hasMessageContaining("has no 'topic'")
                .hasMessageContaining("`topic` STRING METADATA");

        env.executeSql(
                "CREATE TABLE routed (id BIGINT, `topic` STRING METADATA) WITH (" + COMMON + ")");
        assertThat(env.explainSql("INSERT INTO routed VALUES (1, 'x')")).contains("routed");
    }

    @Test
    void anExactlyOnceSinkWithoutATopicIsRefused() {
        TableEnvironment env = sql();
        env.getConfig().set("execution.checkpointing.interval", "10 s");
        env.executeSql(
                "CREATE TABLE dst (id BIGINT, `topic` STRING METADATA) WITH ("
                        + COMMON
                        + ", 'topic-pattern' = 'out-.*', 'sink.commit_mode' = 'exactly_once')");
        assertThat(planningError(env, "INSERT INTO dst VALUES (1, 'out-1')"))
                .hasMessageContaining("'exactly_once' and has no 'topic'");
    }

    @Test
    void aSourceOverTopicsCannotUseOffsetsByPartitionNumber() {
        TableEnvironment env = sql();
        env.executeSql(
                "CREATE TABLE src (id BIGINT) WITH ("
                        + COMMON
                        + ", 'topic' = 'a;b', 'scan.bounded.mode' = 'specific-offsets',"
                        + " 'scan.bounded.specific-offsets' = 'partition:0,offset:1')");
        assertThat(planningError(env, "SELECT * FROM src"))
                .hasMessageContaining("'source.bounded.specific'")
                .hasMessageContaining("one topic only");
    }
}
