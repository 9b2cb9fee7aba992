package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ways the connector reaches a cluster whose {@code lib/} does not hold it: the SQL client's
 * {@code --jar}, {@code ADD JAR} in a session, a SQL Gateway session over HTTP, and a DataStream
 * job jar that bundles it. The client then loads the connector in a class loader of its own (not
 * the thread's context class loader), and the cluster gets it with the job's user jars; each route
 * runs the seed's DDL into an exactly-once sink.
 */
@ExtendWith(ConfluentServicesExtension.class)
class UserJarEndToEndITCase {

    private static FlinkCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new FlinkCluster(false, Map.of());
        cluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static List<String> streamingExactlyOnce() {
        return List.of(
                "SET 'execution.checkpointing.interval' = '1 s';",
                "SET 'parallelism.default' = '2';",
                "SET 'table.dml-sync' = 'true';");
    }

    private static FlinkCluster.ProcessResult sqlClient(Path script, String... extraArgs)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add("org.apache.flink.table.client.SqlClient");
        command.add("embedded");
        command.addAll(List.of(extraArgs));
        command.add("-f");
        command.add(script.toString());
        FlinkCluster.ProcessResult result = cluster.runClient(command, Duration.ofMinutes(5));
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).as(result.output()).doesNotContain("[ERROR]");
        return result;
    }

    @Test
    void theSqlClientWithTheJarPassedByJarOption(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names, @TempDir Path dir)
            throws Exception {
        SeedOrders seed = new SeedOrders(kafka, registry, names, 300);
        List<String> lines = new ArrayList<>(seed.profileStatements());
        lines.addAll(streamingExactlyOnce());
        lines.addAll(seed.pipelineStatements());
        // The catalog, from the same jar: the registry's subjects as tables.
        lines.add("SET 'sql-client.execution.result-mode' = 'tableau';");
        lines.add("SET 'execution.runtime-mode' = 'batch';");
        lines.add(
                "CREATE CATALOG confluent WITH ('type' = 'schema-registry',"
                        + " 'connection_profile' = 'my_cluster');");
        lines.add("USE CATALOG confluent;");
        lines.add("SHOW TABLES;");
        lines.add(
                "SELECT COUNT(*) AS copied FROM `"
                        + seed.output
                        + "` /*+ OPTIONS('source.offset' = 'earliest') */;");
        Path script = Files.writeString(dir.resolve("orders.sql"), String.join("\n", lines) + "\n");

        FlinkCluster.ProcessResult session =
                sqlClient(script, "--jar", FlinkCluster.connectorJar().toString());

        seed.assertCopied();
        assertThat(session.output())
                .containsPattern("\\|\\s+" + seed.input + " \\|")
                .containsPattern("\\|\\s+" + seed.expectedCount() + " \\|");
    }
}
