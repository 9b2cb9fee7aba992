package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.testing.FreePorts;
import io.github.flinkconfluent.testing.Poll;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Flink standalone session cluster: one JobManager and any number of TaskManagers, each in
 * its own JVM, from the Flink jars the build copied to {@code target/flink/lib} (Flink publishes no
 * distribution to Maven Central). Everything binds to 127.0.0.1 on free ports.
 *
 * <p>Each cluster has a Flink home of its own whose {@code lib/} links to those jars and, when
 * asked, to the shaded connector jar: with it, the connector is on the cluster's (and its SQL
 * client's) class path, as after copying the jar into {@code lib/}; without it, the connector
 * reaches the cluster only as a job's user jar ({@code --jar}, {@code ADD JAR}, the SQL Gateway, a
 * DataStream job jar), which is what the user-jar routes test.
 */
final class FlinkCluster implements AutoCloseable {

    private final Map<String, String> settings;
    private final Path home;
    private final Path conf;
    private final int restPort = FreePorts.pick();
    private final FlinkProcess jobManager;
    private final List<FlinkProcess> taskManagers = new ArrayList<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();

    /**
     * @param connectorInLib whether the shaded connector jar is in the cluster's {@code lib/}
     */
    FlinkCluster(boolean connectorInLib, Map<String, String> extraConfig) throws IOException {
        home =
                Files.createDirectories(Path.of("target", "e2e", "home-" + UUID.randomUUID()))
                        .toAbsolutePath();
        Path lib = Files.createDirectories(home.resolve("lib"));
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("flink.home"), "lib"))) {
            // (A connector jar left in target/flink/lib by an older build is not Flink's.)
            for (Path jar :
                    jars.filter(j -> !j.getFileName().toString().startsWith("flink-sql-connector"))
                            .toList()) {
                Files.createSymbolicLink(lib.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        }
        if (connectorInLib) {
            Path connector = connectorJar();
            Files.createSymbolicLink(lib.resolve(connector.getFileName()), connector);
        }
        conf = Files.createDirectories(home.resolve("conf"));
        Path checkpoints = Files.createDirectories(home.resolve("checkpoints"));
        StringBuilder config = new StringBuilder();
        Map<String, String> settings =
                new java.util.LinkedHashMap<>(
                        Map.ofEntries(
                                Map.entry("jobmanager.rpc.address", "127.0.0.1"),
                                Map.entry("jobmanager.rpc.port", String.valueOf(FreePorts.pick())),
                                Map.entry("jobmanager.bind-host", "127.0.0.1"),
                                Map.entry("rest.address", "127.0.0.1"),
                                Map.entry("rest.bind-address", "127.0.0.1"),
                                Map.entry("rest.port", String.valueOf(restPort)),
                                Map.entry("blob.server.port", String.valueOf(FreePorts.pick())),
                                Map.entry("taskmanager.host", "127.0.0.1"),
                                Map.entry("taskmanager.bind-host", "127.0.0.1"),
                                Map.entry("taskmanager.numberOfTaskSlots", "6"),
                                Map.entry("jobmanager.memory.process.size", "1024m"),
                                Map.entry("taskmanager.memory.process.size", "1280m"),
                                Map.entry("parallelism.default", "1"),
                                Map.entry("execution.target", "remote"),
                                Map.entry("restart-strategy.type", "fixed-delay"),
                                Map.entry("restart-strategy.fixed-delay.attempts", "30"),
                                Map.entry("restart-strategy.fixed-delay.delay", "1 s"),
                                Map.entry("heartbeat.interval", "1000"),
                                Map.entry("heartbeat.timeout", "5000"),
                                Map.entry(
                                        "execution.checkpointing.dir",
                                        checkpoints.toUri().toString())));
        settings.putAll(extraConfig);
        this.settings = settings;
        settings.forEach((k, v) -> config.append(k).append(": '").append(v).append("'\n"));
        Files.writeString(conf.resolve("config.yaml"), config, StandardCharsets.UTF_8);
        Files.writeString(
                conf.resolve("log4j.properties"),
                String.join(
                        "\n",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.out.ref = OUT",
                        "appender.out.type = Console",
                        "appender.out.name = OUT",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} %m%n",
                        "logger.kafka.name = org.apache.kafka",
                        "logger.kafka.level = WARN",
                        "logger.shaded.name = io.github.flinkconfluent.shaded.org.apache.kafka",
                        "logger.shaded.level = WARN",
                        ""),
                StandardCharsets.UTF_8);
        jobManager =
                new FlinkProcess(
                        "flink-jobmanager",
                        this,
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                        "GET_JM_RESOURCE_PARAMS",
                        "Rest endpoint listening at");
    }

    void start() {
        jobManager.start();
        startTaskManager();
    }

    /** Starts one more TaskManager and waits until it registered with the JobManager. */
    FlinkProcess startTaskManager() {
        FlinkProcess taskManager =
                new FlinkProcess(
                        "flink-taskmanager",
                        this,
                        "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                        "GET_TM_RESOURCE_PARAMS",
                        "Successful registration at resource manager");
        taskManager.start();
        taskManagers.add(taskManager);
        return taskManager;
    }

    List<FlinkProcess> taskManagers() {
        return taskManagers;
    }

    Path javaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    /**
     * Extra JVM options of a JobManager, TaskManager or client ({@code env.java.opts.jobmanager} /
     * {@code .taskmanager} / {@code .client}), which Flink's start scripts add and {@code
     * BashJavaUtils} does not.
     */
    List<String> javaOptions(String process) {
        String options = settings.getOrDefault("env.java.opts." + process, "").trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    /** The shaded connector jar (in the build's {@code target/flink/opt}). */
    static Path connectorJar() {
        return Path.of(System.getProperty("connector.jar")).toAbsolutePath();
    }

    Path confDir() {
        return conf;
    }

    Path home() {
        return home;
    }

    String classpath() {
        return home.resolve("lib") + "/*";
    }

    String restUrl() {
        return "http://127.0.0.1:" + restPort;
    }

    int restPort() {
        return restPort;
    }

    /** GET on the REST API; the body as text. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl() + path))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    "GET " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    HttpClient http() {
        return http;
    }

    /** Uploads a job jar ({@code POST /jars/upload}); returns the id the cluster stored it as. */
    String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "----e2e" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\n"
                                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> upload =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl() + "/jars/upload"))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (upload.statusCode() != 200) {
            throw new IOException("Upload of " + jar + " failed: " + upload.body());
        }
        return Path.of(JSON.readTree(upload.body()).get("filename").asText())
                .getFileName()
                .toString();
    }

    /** Runs {@code entryClass} of an uploaded jar ({@code POST /jars/<id>/run}); the job id. */
    String runJar(String jarId, String entryClass, List<String> programArgs)
            throws IOException, InterruptedException {
        Map<String, Object> run =
                Map.of(
                        "entryClass", entryClass,
                        "programArgsList", programArgs,
                        "parallelism", 2);
        HttpResponse<String> started =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl() + "/jars/" + jarId + "/run"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                JSON.writeValueAsString(run)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 200) {
            throw new IOException("Run of " + entryClass + " failed: " + started.body());
        }
        return JSON.readTree(started.body()).get("jobid").asText();
    }

    /**
     * Asks the cluster to cancel a job and returns at once. Tests that do not test cancellation do
     * not wait for it: the cluster has slots to spare, and the processes go at the end anyway.
     */
    void cancel(String jobId) throws IOException, InterruptedException {
        http.send(
                HttpRequest.newBuilder(URI.create(restUrl() + "/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Waits until the job's state (as the REST API spells it) is {@code state}; fails at once, with
     * the job's exceptions, when the job reaches another terminal state instead.
     */
    void awaitJobState(String jobId, String state, Duration timeout) {
        Poll.until(
                "job " + jobId + " to be " + state,
                timeout,
                () -> {
                    String current = jobState(jobId);
                    if (!current.equals(state) && TERMINAL.contains(current)) {
                        throw new AssertionError(
                                "job "
                                        + jobId
                                        + " is "
                                        + current
                                        + ", not "
                                        + state
                                        + ": "
                                        + exceptions(jobId));
                    }
                    return current.equals(state);
                },
                () -> "last state: " + jobState(jobId));
    }

    private static final java.util.Set<String> TERMINAL =
            java.util.Set.of("FINISHED", "CANCELED", "FAILED");

    /** The job's state as the REST API spells it, or "UNKNOWN" when the API does not answer. */
    String jobState(String jobId) {
        try {
            return JSON.readTree(get("/jobs/" + jobId)).get("state").asText();
        } catch (IOException e) {
            return "UNKNOWN";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "UNKNOWN";
        }
    }

    private String exceptions(String jobId) {
        try {
            return get("/jobs/" + jobId + "/exceptions");
        } catch (IOException e) {
            return "(no exceptions: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    /**
     * Runs {@code main} with the cluster's class path and configuration; returns exit and output.
     */
    ProcessResult runClient(List<String> mainAndArgs, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaHome().resolve("bin/java").toString());
        command.addAll(FlinkProcess.JAVA_17_OPTIONS);
        command.addAll(javaOptions("client"));
        command.add("-Dlog4j.configurationFile=file:" + conf.resolve("log4j.properties"));
        command.add("-cp");
        command.add(classpath());
        command.addAll(mainAndArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FLINK_CONF_DIR", conf.toString());
        builder.environment().put("FLINK_HOME", home.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        StringBuilder output = new StringBuilder();
        Thread reader =
                new Thread(
                        () -> {
                            try {
                                output.append(
                                        new String(
                                                process.getInputStream().readAllBytes(),
                                                StandardCharsets.UTF_8));
                            } catch (IOException e) {
                                output.append("(output unreadable: ").append(e).append(')');
                            }
                        });
        reader.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            reader.join(5000);
            throw new IllegalStateException("Timed out after " + timeout + ":\n" + output);
        }
        reader.join(5000);
        return new ProcessResult(process.exitValue(), output.toString());
    }

    record ProcessResult(int exitCode, String output) {}

    @Override
    public void close() {
        taskManagers.forEach(FlinkProcess::stop);
        jobManager.stop();
    }
}
