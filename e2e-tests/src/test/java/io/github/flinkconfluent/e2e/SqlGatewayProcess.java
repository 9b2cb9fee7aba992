package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.testing.FreePorts;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.ServiceProcess;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Flink's SQL Gateway with its REST endpoint ({@code org.apache.flink:flink-sql-gateway}), started
 * as {@code bin/sql-gateway.sh start} would start it, against a {@link FlinkCluster}: the cluster's
 * class path and configuration (found as {@code conf/} in its working directory, Flink's fallback
 * when {@code FLINK_CONF_DIR} is not set), the endpoint on 127.0.0.1 and a free port.
 */
final class SqlGatewayProcess extends ServiceProcess {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FlinkCluster cluster;
    private final int port = FreePorts.pick();
    private final HttpClient http = HttpClient.newHttpClient();

    SqlGatewayProcess(FlinkCluster cluster) {
        super("flink-sql-gateway");
        this.cluster = cluster;
    }

    @Override
    protected void prepare() throws IOException {
        Files.createSymbolicLink(directory().resolve("conf"), cluster.confDir());
    }

    @Override
    protected List<String> command() {
        List<String> jvm = new ArrayList<>(FlinkProcess.JAVA_17_OPTIONS);
        jvm.add("-Xmx512m");
        jvm.add("-Dlog4j.configurationFile=file:" + cluster.confDir().resolve("log4j.properties"));
        return javaCommand(
                cluster.javaHome(),
                jvm,
                cluster.classpath(),
                List.of(
                        "org.apache.flink.table.gateway.SqlGateway",
                        "-Dsql-gateway.endpoint.rest.address=127.0.0.1",
                        "-Dsql-gateway.endpoint.rest.bind-address=127.0.0.1",
                        "-Dsql-gateway.endpoint.rest.port=" + port));
    }

    @Override
    protected boolean isReady(long logOffset) {
        return logContainsSince(logOffset, "Rest endpoint listening at");
    }

    @Override
    protected Duration startTimeout() {
        return Duration.ofSeconds(120);
    }

    private JsonNode call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json");
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    method + " " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** {@code POST /sessions}: a session with these properties; returns its handle. */
    String openSession(Map<String, String> properties) throws Exception {
        return call("POST", "/sessions", Map.of("properties", properties))
                .get("sessionHandle")
                .asText();
    }

    /**
     * {@code POST /sessions/<s>/statements}, then polls the operation's status until it ends;
     * returns the first page of its result ({@code rowFormat=JSON}). A failed statement fails with
     * the gateway's error.
     */
    JsonNode execute(String session, String statement, Duration timeout) throws Exception {
        String operation =
                call("POST", "/sessions/" + session + "/statements", Map.of("statement", statement))
                        .get("operationHandle")
                        .asText();
        String base = "/sessions/" + session + "/operations/" + operation;
        String[] status = {""};
        Poll.until(
                "'" + statement + "' to end",
                timeout,
                () -> {
                    try {
                        status[0] = call("GET", base + "/status", null).get("status").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return !status[0].equals("RUNNING")
                            && !status[0].equals("PENDING")
                            && !status[0].equals("INITIALIZED");
                },
                () -> "status " + status[0]);
        // An ERROR status answers the result request with the exception.
        JsonNode result = call("GET", base + "/result/0?rowFormat=JSON", null);
        if (!status[0].equals("FINISHED")) {
            throw new AssertionError("'" + statement + "' ended " + status[0] + ": " + result);
        }
        return result;
    }
}
