package io.github.flinkconfluent.connector.table;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ExplainDetail;
import org.apache.flink.table.api.TableEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code scan.parallelism} and {@code sink.parallelism} (Flink's names) reach the job graph the
 * planner builds: the source and sink operators run with them, the rest with the default.
 */
class ParallelismOptionsPlanningTest {

    private static final String COMMON =
            "'connector' = 'confluent', 'bootstrap.servers' = 'b:9092', 'format' = 'json',"
                    + " 'schema_registry' = 'false'";

    private static TableEnvironment sql() {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("table.exec.resource.default-parallelism", "1");
        return env;
    }

    /** The parallelism of each operator whose description contains {@code word}. */
    private static List<Integer> parallelismOf(String jsonPlan, String word) throws Exception {
        List<Integer> result = new ArrayList<>();
        for (JsonNode node : new ObjectMapper().readTree(jsonPlan).get("nodes")) {
            if (node.get("contents").asText().contains(word)
                    || node.get("type").asText().contains(word)) {
                result.add(node.get("parallelism").asInt());
            }
        }
        return result;
    }

    @Test
    void sourceAndSinkRunWithTheirOwnParallelism() throws Exception {
        TableEnvironment env = sql();
        env.executeSql(
                "CREATE TABLE src (id BIGINT, name STRING) WITH ("
                        + COMMON
                        + ", 'topic' = 'in', 'scan.parallelism' = '3',"
                        + " 'scan.watermark.idle-timeout' = '5 s')");
        env.executeSql(
                "CREATE TABLE dst (id BIGINT, name STRING) WITH ("
                        + COMMON
                        + ", 'topic' = 'out', 'sink.parallelism' = '2')");

        String plan =
                env.explainSql(
                        "INSERT INTO dst SELECT id, UPPER(name) FROM src WHERE id > 0",
                        ExplainDetail.JSON_EXECUTION_PLAN);
        String json =
                plan.substring(plan.indexOf("{", plan.indexOf("== Physical Execution Plan ==")));

        assertThat(parallelismOf(json, "Source")).containsOnly(3);
        assertThat(parallelismOf(json, "Writer")).containsOnly(2);
        assertThat(parallelismOf(json, "Calc")).containsOnly(1);
    }

    @Test
    void aParallelismBelowOneNamesTheOption() {
        TableEnvironment env = sql();
        env.executeSql(
                "CREATE TABLE src (id BIGINT) WITH ("
                        + COMMON
                        + ", 'topic' = 'in', 'scan.parallelism' = '0')");

        assertThat(catchThrowable(() -> env.explainSql("SELECT * FROM src")))
                .rootCause()
                .hasMessageContaining("'scan.parallelism' must be at least 1");
    }
}
