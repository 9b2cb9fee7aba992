package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.TestNames;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
        // Soft references cleared at every GC, so that the leak test counts only what stays
        // strongly reachable (softly reachable classes go when memory runs short: no leak).
        cluster =
                new FlinkCluster(
                        false,
                        Map.of("env.java.opts.taskmanager", "-XX:SoftRefLRUPolicyMSPerMB=0"));
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

    @Test
    void addJarInASqlClientSession(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names, @TempDir Path dir)
            throws Exception {
        SeedOrders seed = new SeedOrders(kafka, registry, names, 200);
        List<String> lines = new ArrayList<>();
        lines.add("ADD JAR '" + FlinkCluster.connectorJar() + "';");
        lines.addAll(seed.profileStatements());
        lines.addAll(streamingExactlyOnce());
        lines.addAll(seed.pipelineStatements());
        Path script = Files.writeString(dir.resolve("orders.sql"), String.join("\n", lines) + "\n");

        sqlClient(script);

        seed.assertCopied();
    }

    @Test
    void aSqlGatewaySessionOverHttp(KafkaBroker kafka, ApicurioRegistry registry, TestNames names)
            throws Exception {
        SeedOrders seed = new SeedOrders(kafka, registry, names, 200);
        try (SqlGatewayProcess gateway = new SqlGatewayProcess(cluster)) {
            gateway.start();
            Map<String, String> properties = new java.util.LinkedHashMap<>();
            properties.put(
                    "confluent.profiles.my_cluster.bootstrap.servers", kafka.bootstrapServers());
            properties.put(
                    "confluent.profiles.my_cluster.schema-registry.endpoint", registry.url());
            properties.put("execution.checkpointing.interval", "1 s");
            properties.put("parallelism.default", "2");
            properties.put("table.dml-sync", "true");
            String session = gateway.openSession(properties);
            // The jar lies on the gateway's machine; the session adds it, as a user of a shared
            // gateway (who cannot change its class path) would.
            gateway.execute(
                    session,
                    "ADD JAR '" + FlinkCluster.connectorJar() + "'",
                    Duration.ofMinutes(1));
            for (String statement : seed.pipelineStatements()) {
                gateway.execute(
                        session,
                        statement.substring(0, statement.length() - 1), // no ';' over REST
                        Duration.ofMinutes(5));
            }
        }
        seed.assertCopied();
    }

    @Test
    void aDataStreamJobJarThatBundlesTheConnector(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        SeedOrders seed = new SeedOrders(kafka, registry, names, 200);
        String jar = cluster.uploadJar(jobJar());

        String jobId =
                cluster.runJar(
                        jar,
                        SeedOrdersJob.class.getName(),
                        List.of(
                                kafka.bootstrapServers(),
                                registry.url(),
                                seed.input,
                                seed.output,
                                "bounded"));
        cluster.awaitJobState(jobId, "FINISHED", Duration.ofMinutes(5));

        seed.assertCopied();
    }

    /** This module's job jar: SeedOrdersJob and CopyJob with the connector and its dependencies. */
    private static Path jobJar() {
        return Path.of(System.getProperty("job.jar"));
    }

    /**
     * A job's class loader must be collectable once the job is gone, even though the connector,
     * loaded by it, kept a JVM-wide registry client for the job's tasks. The test runs the seed's
     * job from the user jar several times, cancels each run, and then waits until no user-code
     * class loader is strongly reachable in the TaskManager, apart from the one that Java 17's own
     * method-handle cache may keep (see {@link #JDK_17_PINS}).
     *
     * <p>Each check counts the loaders with {@code jmap -histo:live} (which collects garbage
     * first); while any is left, it dumps the heap and looks for a chain of strong references from
     * a GC root to each loader ({@link HeapPaths}). A loader held by anything of ours (a client's
     * thread, a cache, an MBean of an unclosed Kafka client) has such a chain, and the failure
     * prints it. The wait covers what ends on its own after a GC: on Java 17 the selector thread of
     * a closed {@code java.net.http.HttpClient} (whose context class loader is the job's) ends
     * within 3 s of the client becoming unreachable.
     */
    @Test
    void aCancelledJobLeavesNoClassLoaderBehind(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        SeedOrders seed = new SeedOrders(kafka, registry, names, 50);
        String jar = cluster.uploadJar(jobJar());
        int runs = 3;
        for (int run = 1; run <= runs; run++) {
            String jobId =
                    cluster.runJar(
                            jar,
                            SeedOrdersJob.class.getName(),
                            List.of(
                                    kafka.bootstrapServers(),
                                    registry.url(),
                                    seed.input,
                                    seed.output,
                                    "unbounded"));
            int expected = run * seed.expectedCount();
            // The run decoded and wrote everything: its tasks have used the registry client.
            Poll.until(
                    expected + " committed copies after run " + run,
                    Duration.ofMinutes(3),
                    () -> kafka.readCommitted(seed.output).size() >= expected);
            cluster.cancel(jobId);
            cluster.awaitJobState(jobId, "CANCELED", Duration.ofMinutes(5));
        }

        long pid = cluster.taskManagers().get(0).pid();
        String[] held = {""};
        Poll.until(
                "no user-code class loader held after " + runs + " cancelled runs",
                Duration.ofMinutes(3),
                () -> {
                    held[0] = loadersHeld(pid);
                    return held[0].isEmpty();
                },
                () -> held[0] + "\nthreads:\n" + threads(pid));
    }

    /**
     * References that Java 17 itself keeps to a job's classes, and that no code of the job can
     * drop. {@code java.lang.runtime.ObjectMethods} links every record's {@code equals} through one
     * static method handle, and {@code MethodHandle.asTypeCache} keeps the last adaptation of it,
     * whose type names the last record class linked so (JDK-8078641, fixed in Java 18: the cache is
     * soft there). So the last job that compared records keeps its loader until another record's
     * {@code equals} is linked: one loader at most, not one per job.
     */
    private static final Set<String> JDK_17_PINS =
            Set.of("java.lang.invoke.MethodHandle.asTypeCache");

    /**
     * "" when no user-code class loader is strongly reachable in the JVM {@code pid} other than
     * through {@link #JDK_17_PINS}; otherwise the loaders and, for each, a chain of references from
     * a GC root that holds it.
     */
    private static String loadersHeld(long pid) {
        String histogram = liveUserCodeClassLoaders(pid);
        if (instances(histogram) == 0) {
            return "";
        }
        Path dump = Path.of("target", "taskmanager-" + pid + ".hprof").toAbsolutePath();
        try {
            Files.deleteIfExists(dump);
            run(
                    List.of(
                            cluster.javaHome().resolve("bin/jmap").toString(),
                            "-dump:live,format=b,file=" + dump,
                            String.valueOf(pid)));
            StringBuilder paths = new StringBuilder();
            for (String loader : USER_CODE_LOADERS) {
                for (List<HeapPaths.Step> path :
                        HeapPaths.pathsToInstancesOf(dump, loader, JDK_17_PINS)) {
                    paths.append(HeapPaths.format(path)).append('\n');
                }
            }
            Files.delete(dump);
            return paths.length() == 0 ? "" : "reachable:\n" + histogram + "held by:\n" + paths;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class names of Flink's user-code class loaders (as {@code jmap -histo} prints them). */
    private static final List<String> USER_CODE_LOADERS =
            List.of(
                    "org.apache.flink.util.ChildFirstClassLoader",
                    "org.apache.flink.util.FlinkUserCodeClassLoaders$ParentFirstClassLoader");

    /** Runs a JDK tool; its output, or an exception when it fails. */
    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException(command.get(0) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return output;
    }

    /** The total of the instance counts (second column) of {@code jmap -histo} lines. */
    private static long instances(String histogramLines) {
        long total = 0;
        for (String line : histogramLines.split("\n")) {
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4) {
                total += Long.parseLong(columns[1]);
            }
        }
        return total;
    }

    /** Thread names of a JVM (jstack), for a failure message. */
    private static String threads(long pid) {
        try {
            Process jstack =
                    new ProcessBuilder(
                                    cluster.javaHome().resolve("bin/jstack").toString(),
                                    String.valueOf(pid))
                            .redirectErrorStream(true)
                            .start();
            String output =
                    new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jstack.waitFor();
            StringBuilder names = new StringBuilder();
            for (String line : output.split("\n")) {
                if (line.startsWith("\"")) {
                    names.append(line, 0, line.indexOf('"', 1) + 1).append('\n');
                }
            }
            return names.toString();
        } catch (IOException e) {
            return "(jstack failed: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /** The histogram lines of Flink's user-code class loaders that survive a full GC. */
    private static String liveUserCodeClassLoaders(long pid) {
        String output;
        try {
            output =
                    run(
                            List.of(
                                    cluster.javaHome().resolve("bin/jmap").toString(),
                                    "-histo:live",
                                    String.valueOf(pid)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder loaders = new StringBuilder();
        for (String line : output.split("\n")) {
            // The loaders that hold a job's classes; the SafetyNetWrapperClassLoader around one
            // lets go of it when Flink releases the job, so a wrapper that something still
            // references pins nothing.
            for (String loader : USER_CODE_LOADERS) {
                if (line.endsWith(" " + loader)) {
                    loaders.append(line.trim()).append('\n');
                }
            }
        }
        return loaders.toString();
    }
}
