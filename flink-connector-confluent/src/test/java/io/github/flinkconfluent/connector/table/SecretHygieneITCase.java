package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.testing.JobWatch;
import io.github.flinkconfluent.connector.testing.LogCapture;
import io.github.flinkconfluent.connector.testing.SecretScanner;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.JobID;
import org.apache.flink.client.program.ClusterClient;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.test.junit5.InjectClusterClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;

import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The secret hygiene proof: source and sink jobs run with real secrets, given only as {@code
 * {{VAR}}} templates (the variables are set for this JVM by the build), and no secret value appears
 * in any log line of this JVM at any level (JobManager, TaskManager and client alike, a MiniCluster
 * being in-process), in exception messages, in {@code EXPLAIN}, {@code SHOW CREATE TABLE}, the
 * catalog's table options, what Flink's REST API shows of the job and the cluster, or the bytes of
 * the checkpoint files.
 *
 * <p>The secrets: the registry's basic-auth key and password (the registry refuses requests without
 * them, so they are really used), a Kafka secret in {@code sasl.jaas.config} (a secret by kind that
 * reaches the clients' configuration; the test broker has no SASL listener, so the clients carry it
 * unused), and a wrong password used by a table that must fail. {@link
 * #theScannerFindsPlantedSecrets} shows that each check can fail.
 */
@ExtendWith(ConfluentServicesExtension.class)
class SecretHygieneITCase {

    private static final String SR_KEY = "FLINK_CONFLUENT_IT_SR_KEY";
    private static final String SR_SECRET = "FLINK_CONFLUENT_IT_SR_SECRET";
    private static final String KAFKA_SECRET = "FLINK_CONFLUENT_IT_KAFKA_SECRET";
    private static final String WRONG_SECRET = "FLINK_CONFLUENT_IT_WRONG_SECRET";

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
        for (String variable : List.of(SR_KEY, SR_SECRET, KAFKA_SECRET, WRONG_SECRET)) {
            assertThat(System.getenv(variable)).as(variable + " is set by the build").isNotBlank();
        }
        secured = ApicurioRegistry.withBasicAuth(System.getenv(SR_KEY), System.getenv(SR_SECRET));
        secured.start();
    }

    @AfterAll
    static void stopSecuredRegistry() {
        if (secured != null) {
            secured.close();
        }
    }

    @TempDir Path checkpoints;

    private static SecretScanner scanner() {
        return new SecretScanner()
                .secret(SR_KEY, System.getenv(SR_KEY))
                .secret(SR_SECRET, System.getenv(SR_SECRET))
                .secret(KAFKA_SECRET, System.getenv(KAFKA_SECRET))
                .secret(WRONG_SECRET, System.getenv(WRONG_SECRET))
                .basicAuth(SR_SECRET, System.getenv(SR_KEY), System.getenv(SR_SECRET))
                .basicAuth(WRONG_SECRET, System.getenv(SR_KEY), System.getenv(WRONG_SECRET));
    }

    /** A SQL session whose profiles carry only templates, as a user would SET them. */
    private TableEnvironment session(KafkaBroker kafka) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        for (String profile : List.of("secured", "wrong")) {
            String p = "confluent.profiles." + profile + ".";
            env.getConfig().set(p + "bootstrap.servers", kafka.bootstrapServers());
            env.getConfig()
                    .set(
                            p + "properties.sasl.jaas.config",
                            "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                    + " username=\"flink\" password=\"{{"
                                    + KAFKA_SECRET
                                    + "}}\";");
            env.getConfig().set(p + "schema-registry.endpoint", secured.url());
            env.getConfig().set(p + "schema-registry.api-key", "{{" + SR_KEY + "}}");
            env.getConfig()
                    .set(
                            p + "schema-registry.api-secret",
                            "{{" + (profile.equals("wrong") ? WRONG_SECRET : SR_SECRET) + "}}");
        }
        env.getConfig().set("execution.checkpointing.interval", "500 ms");
        env.getConfig()
                .set(
                        CheckpointingOptions.CHECKPOINTS_DIRECTORY.key(),
                        checkpoints.toUri().toString());
        env.getConfig().set("table.exec.resource.default-parallelism", "1");
        return env;
    }

    private static String table(String name, String profile, String topic, String extra) {
        return "CREATE TABLE "
                + name
                + " (customer_id INT, order_id INT) WITH ('connector' = 'confluent',"
                + " 'connection_profile' = '"
                + profile
                + "', 'format' = 'avro', 'topic' = '"
                + topic
                + "', "
                + extra
                + ")";
    }

    @Test
    void noSecretAppearsAnywhereFlinkOrTheConnectorWritesOrShows(
            KafkaBroker kafka, TestNames names, @InjectClusterClient ClusterClient<?> cluster)
            throws Exception {
        String in = names.topic("in");
        String out = names.topic("out");
        kafka.createTopic(in, 1);
        kafka.createTopic(out, 1);
        SecretScanner scanner = scanner();
        AtomicLong debugEvents = new AtomicLong();
        List<String> texts = new ArrayList<>();
        java.util.function.Consumer<String> scanLine = scanner.logLines();
        try (LogCapture logs =
                LogCapture.everything(
                        line -> {
                            if (line.startsWith("DEBUG") || line.startsWith("TRACE")) {
                                debugEvents.incrementAndGet();
                            }
                            scanLine.accept(line);
                        })) {
            TableEnvironment env = session(kafka);
            env.executeSql(table("orders_in_writer", "secured", in, "'type' = 'sink'"));
            env.executeSql(
                    table(
                            "orders_in",
                            "secured",
                            in,
                            "'type' = 'source', 'source.offset' = 'earliest'"));
            env.executeSql(
                    table(
                            "orders_out",
                            "secured",
                            out,
                            "'type' = 'sink', 'sink.commit_mode' = 'exactly_once'"));
            env.executeSql(
                    table(
                            "orders_out_reader",
                            "secured",
                            out,
                            "'type' = 'source', 'source.offset' = 'earliest',"
                                    + " 'source.read_mode' = 'read_committed',"
                                    + " 'source.bounded' = 'latest'"));

            // A sink job: the input, written through the secured registry.
            env.executeSql(
                            "INSERT INTO orders_in_writer VALUES (1, 10), (2, 20), (3, 30), (4,"
                                    + " 40)")
                    .await();

            // A source-to-sink job, exactly-once, checkpointing into the scanned directory.
            String copy = "INSERT INTO orders_out SELECT * FROM orders_in";
            texts.add("EXPLAIN " + env.explainSql(copy));
            TableResult running = env.executeSql(copy);
            JobClient job = running.getJobClient().orElseThrow();
            String rest = cluster.getWebInterfaceURL();
            JobWatch.until(
                    job,
                    "the copy job committed its output and completed two checkpoints",
                    Duration.ofMinutes(2),
                    () ->
                            kafka.readCommitted(out).size() == 4
                                    && completedCheckpoints(rest, job.getJobID()) >= 2,
                    () -> "committed: " + kafka.readCommitted(out).size());
            for (String path :
                    List.of(
                            "/jobmanager/config",
                            "/jobs/" + job.getJobID() + "/config",
                            "/jobs/" + job.getJobID() + "/jobmanager/config",
                            "/jobs/" + job.getJobID(),
                            "/jobs/" + job.getJobID() + "/plan",
                            "/jobs/" + job.getJobID() + "/checkpoints",
                            "/jobs/" + job.getJobID() + "/checkpoints/config",
                            "/jobs/" + job.getJobID() + "/exceptions")) {
                String body = get(rest + path);
                scanner.scan("REST " + path, body);
                if (path.endsWith(job.getJobID().toString())) {
                    // The job scanned is the copy job, with the connector's operators.
                    assertThat(body).contains("orders_out").contains("orders_in");
                }
            }
            assertThat(checkpointFiles()).as("checkpoint files to scan").isNotEmpty();
            scanner.scanFiles(checkpoints);
            job.cancel().get();

            // A source job reading the sink's output back.
            List<Row> rows = new ArrayList<>();
            try (CloseableIterator<Row> it =
                    env.executeSql("SELECT * FROM orders_out_reader").collect()) {
                it.forEachRemaining(rows::add);
            }
            assertThat(rows)
                    .containsExactlyInAnyOrder(
                            Row.of(1, 10), Row.of(2, 20), Row.of(3, 30), Row.of(4, 40));

            texts.add("EXPLAIN " + env.explainSql("SELECT * FROM orders_out_reader"));
            for (String table :
                    List.of("orders_in_writer", "orders_in", "orders_out", "orders_out_reader")) {
                texts.add(
                        "SHOW CREATE TABLE "
                                + table
                                + "\n"
                                + collectText(env, "SHOW CREATE TABLE " + table));
                CatalogBaseTable stored =
                        env.getCatalog(env.getCurrentCatalog())
                                .orElseThrow()
                                .getTable(new ObjectPath(env.getCurrentDatabase(), table));
                texts.add("catalog options of " + table + ": " + stored.getOptions());
            }

            // Failures: wrong registry credentials, and a template whose value is no URL.
            env.executeSql(
                    table(
                            "orders_wrong",
                            "wrong",
                            in,
                            "'type' = 'source', 'source.offset' = 'earliest',"
                                    + " 'source.bounded' = 'latest'"));
            env.executeSql(
                    "CREATE TABLE leaky (customer_id INT, order_id INT) WITH ('connector' ="
                            + " 'confluent', 'bootstrap.servers' = '"
                            + kafka.bootstrapServers()
                            + "', 'schema-registry.endpoint' = '{{"
                            + KAFKA_SECRET
                            + "}}', 'format' = 'avro', 'topic' = '"
                            + in
                            + "', 'type' = 'source')");
            List<Throwable> errors = new ArrayList<>();
            errors.add(catchThrowable(() -> collectText(env, "SELECT * FROM orders_wrong")));
            errors.add(catchThrowable(() -> env.explainSql("SELECT * FROM leaky")));
            assertThat(errors).doesNotContainNull();
            assertThat(ExceptionUtils.stringifyException(errors.get(0))).contains("401");
            assertThat(errors.get(1)).hasMessageContaining("{{" + KAFKA_SECRET + "}}");
            for (Throwable error : errors) {
                texts.add("exception\n" + ExceptionUtils.stringifyException(error));
            }

            for (String text : texts) {
                scanner.scan(text.lines().findFirst().orElse("?"), text);
            }
            assertThat(logs.events()).as("log events captured").isGreaterThan(1000);
            assertThat(debugEvents.get()).as("DEBUG/TRACE events captured").isGreaterThan(100);
        }
        assertThat(scanner.findings()).as("places where a secret was found").isEmpty();
    }

    /** Each check above can fail: the same scanner finds a secret planted in each medium. */
    @Test
    void theScannerFindsPlantedSecrets() throws Exception {
        SecretScanner scanner = scanner();
        String secret = System.getenv(SR_SECRET);
        try (LogCapture logs = LogCapture.everything(scanner.logLines())) {
            // TRACE, on a logger the test configuration sets to ERROR.
            LogManager.getLogger("org.apache.kafka.clients.Planted").trace("x {} y", secret);
        }
        scanner.scan("a planted text", "SHOW CREATE TABLE ... '" + secret + "' ...");
        Path planted = checkpoints.resolve("chk-1").resolve("_metadata");
        Files.createDirectories(planted.getParent());
        Files.write(
                planted,
                ("\u0000\u0001" + System.getenv(KAFKA_SECRET) + "\u0002")
                        .getBytes(StandardCharsets.UTF_8));
        scanner.scanFiles(checkpoints);
        scanner.scan(
                "a planted header",
                "Authorization: Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(
                                        (System.getenv(SR_KEY) + ":" + secret)
                                                .getBytes(StandardCharsets.UTF_8)));

        assertThat(scanner.findings())
                .contains(
                        SR_SECRET + " in a log line (TRACE org.apache.kafka.clients.Planted)",
                        SR_SECRET + " in a planted text",
                        KAFKA_SECRET + " in file chk-1/_metadata",
                        SR_SECRET + " (basic auth header) in a planted header");
        assertThat(String.join("\n", scanner.findings())).doesNotContain(secret);
    }

    private List<Path> checkpointFiles() throws Exception {
        try (Stream<Path> files = Files.walk(checkpoints)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static int completedCheckpoints(String rest, JobID job) {
        try {
            HttpResponse<String> response = fetch(rest + "/jobs/" + job + "/checkpoints");
            return response.statusCode() != 200
                    ? 0
                    : new ObjectMapper()
                            .readTree(response.body())
                            .path("counts")
                            .path("completed")
                            .asInt(0);
        } catch (Exception e) {
            return 0;
        }
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = fetch(url);
        assertThat(response.statusCode()).as("GET " + url).isEqualTo(200);
        return response.body();
    }

    private static HttpResponse<String> fetch(String url) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url)).GET().build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String collectText(TableEnvironment env, String statement) throws Exception {
        StringBuilder text = new StringBuilder();
        try (CloseableIterator<Row> it = env.executeSql(statement).collect()) {
            it.forEachRemaining(r -> text.append(r).append('\n'));
        }
        return text.toString();
    }
}
