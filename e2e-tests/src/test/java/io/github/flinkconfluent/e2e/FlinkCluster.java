package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.testing.FreePorts;
import io.github.flinkconfluent.testing.Poll;

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

/**
 * A real Flink standalone session cluster: one JobManager and any number of TaskManagers, each in
 * its own JVM, from the Flink jars the build copied to {@code target/flink/lib} (Flink publishes no
 * distribution to Maven Central). Everything binds to 127.0.0.1 on free ports.
 */
final class FlinkCluster implements AutoCloseable {

    private final Path home = Path.of(System.getProperty("flink.home"));
    private final Path conf;
    private final int restPort = FreePorts.pick();
    private final FlinkProcess jobManager;
    private final List<FlinkProcess> taskManagers = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    FlinkCluster(Map<String, String> extraConfig) throws IOException {
        conf =
                Files.createDirectories(Path.of("target", "e2e", "conf-" + UUID.randomUUID()))
                        .toAbsolutePath();
        Path checkpoints =
                Files.createDirectories(conf.resolveSibling(conf.getFileName() + "-checkpoints"));
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
                                Map.entry("taskmanager.numberOfTaskSlots", "2"),
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

    /** Waits until the job's state (as the REST API spells it) is {@code state}. */
    void awaitJobState(String jobId, String state, Duration timeout) {
        Poll.until(
                "job " + jobId + " to be " + state,
                timeout,
                () -> {
                    try {
                        return get("/jobs/" + jobId).contains("\"state\":\"" + state + "\"");
                    } catch (IOException e) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                });
    }

    /**
     * Runs {@code main} with the cluster's class path and configuration; returns exit and output.
     */
    ProcessResult runClient(List<String> mainAndArgs, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaHome().resolve("bin/java").toString());
        command.addAll(FlinkProcess.JAVA_17_OPTIONS);
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
