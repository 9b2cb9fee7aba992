package io.github.flinkconfluent.connector.registry;

import io.github.flinkconfluent.connector.secrets.SecretTemplates;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static io.github.flinkconfluent.connector.registry.FakeRegistryServer.Answer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The REST client's own behaviour against a scripted server: credentials, retries, timeouts and the
 * mapping of error answers. Calls against a real registry are in {@code
 * SchemaRegistryClientITCase}.
 */
class RestSchemaRegistryClientTest {

    private static final Map<String, String> ENV =
            Map.of("SR_KEY", "the-key", "SR_SECRET", "s3cr3t-value", "SR_TOKEN", "tok-123");

    private static SchemaRegistryConfig.Builder config(String url) {
        return SchemaRegistryConfig.builder(url)
                .retries(4, Duration.ofMillis(1), Duration.ofMillis(5))
                .requestTimeout(Duration.ofSeconds(5));
    }

    @Test
    void basicAuthSendsTheResolvedKeyAndSecret() {
        try (FakeRegistryServer server = new FakeRegistryServer(json(200, "[\"a\"]"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(
                            config(server.url()).basicAuth("{{SR_KEY}}", "{{SR_SECRET}}").build(),
                            ENV::get);

            assertThat(client.getSubjects()).containsExactly("a");
            String expected =
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            "the-key:s3cr3t-value"
                                                    .getBytes(StandardCharsets.UTF_8));
            assertThat(server.requests().get(0).authorization()).isEqualTo(expected);
        }
    }

    @Test
    void bearerAuthSendsTheToken() {
        try (FakeRegistryServer server = new FakeRegistryServer(json(200, "[]"))) {
            new RestSchemaRegistryClient(
                            config(server.url()).bearerAuth("{{SR_TOKEN}}").build(), ENV::get)
                    .getSubjects();
            assertThat(server.requests().get(0).authorization()).isEqualTo("Bearer tok-123");
        }
    }

    @Test
    void missingSecretVariableIsNamed() {
        assertThatThrownBy(
                        () ->
                                new RestSchemaRegistryClient(
                                        config("http://127.0.0.1:1")
                                                .basicAuth("{{SR_KEY}}", "{{NOPE}}")
                                                .build(),
                                        ENV::get))
                .isInstanceOf(SecretTemplates.MissingSecretException.class)
                .hasMessageContaining("NOPE")
                .hasMessageContaining("schema-registry.api-secret");
    }

    @Test
    void rejectedCredentialsNameTheEndpointButNeverTheSecret() {
        try (FakeRegistryServer server =
                new FakeRegistryServer(
                        json(401, "{\"error_code\":401,\"message\":\"Unauthorized\"}"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(
                            config(server.url()).basicAuth("{{SR_KEY}}", "{{SR_SECRET}}").build(),
                            ENV::get);

            assertThatThrownBy(client::getSubjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind())
                                        .isEqualTo(SchemaRegistryException.Kind.AUTHENTICATION);
                                assertThat(e.getMessage())
                                        .contains(server.url())
                                        .contains("schema-registry.api-key")
                                        .doesNotContain("s3cr3t-value")
                                        .doesNotContain("the-key");
                            });
            assertThat(server.requests()).hasSize(1);
            assertThat(client.toString()).doesNotContain("s3cr3t-value");
        }
    }

    @Test
    void serverErrorsAreRetriedUntilSuccess() {
        try (FakeRegistryServer server =
                new FakeRegistryServer(
                        json(503, ""),
                        json(500, "{\"error_code\":50001}"),
                        json(429, ""),
                        json(200, "{\"id\":7}"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(config(server.url()).build(), ENV::get);

            assertThat(client.register("s", SchemaDefinition.avro("\"string\""))).isEqualTo(7);
            assertThat(server.requests()).hasSize(4);
            assertThat(server.requests().get(0).body())
                    .isEqualTo("{\"schema\":\"\\\"string\\\"\"}");
        }
    }

    @Test
    void clientErrorsAreNeverRetried() {
        try (FakeRegistryServer server =
                new FakeRegistryServer(
                        json(404, "{\"error_code\":40401,\"message\":\"Subject not found\"}"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(config(server.url()).build(), ENV::get);

            assertThatThrownBy(() -> client.getLatest("orders-value"))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind())
                                        .isEqualTo(SchemaRegistryException.Kind.SUBJECT_NOT_FOUND);
                                assertThat(e.errorCode()).isEqualTo(40401);
                                assertThat(e.getMessage()).contains("'orders-value'");
                            });
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void persistentServerErrorsEndAsUnavailableAfterAllAttempts() {
        try (FakeRegistryServer server = new FakeRegistryServer(json(502, "bad gateway"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(config(server.url()).build(), ENV::get);

            assertThatThrownBy(client::getSubjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind())
                                        .isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE);
                                assertThat(e.getMessage())
                                        .contains("failed 4 times")
                                        .contains("HTTP 502");
                            });
            assertThat(server.requests()).hasSize(4);
        }
    }

    @Test
    void aHangingRegistryTimesOutAndIsRetried() {
        try (FakeRegistryServer server =
                new FakeRegistryServer(
                        FakeRegistryServer.Answer.hanging(), json(200, "[\"late\"]"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(
                            // Long enough for the second, answered request on a loaded machine:
                            // the first one hangs for exactly this long.
                            config(server.url()).requestTimeout(Duration.ofSeconds(3)).build(),
                            ENV::get);

            assertThat(client.getSubjects()).containsExactly("late");
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    void aDeadEndpointFailsOverToTheNextOne() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        try (FakeRegistryServer server = new FakeRegistryServer(json(200, "[\"x\"]"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(
                            config("http://127.0.0.1:" + deadPort + "," + server.url()).build(),
                            ENV::get);

            assertThat(client.getSubjects()).containsExactly("x");
        }
    }

    private static final String FORBIDDEN =
            "{\"error_code\":40301,\"message\":\"User is denied operation Read\"}";

    @Test
    void aForbiddenSchemaIdWhileTheCredentialsWorkIsAccessDeniedForThatId() {
        // 403 for the id; the check that the credentials work (a cheap call) passes.
        try (FakeRegistryServer server =
                new FakeRegistryServer(json(403, FORBIDDEN), json(200, "[\"AVRO\"]"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(
                            config(server.url()).basicAuth("{{SR_KEY}}", "{{SR_SECRET}}").build(),
                            ENV::get);

            assertThatThrownBy(() -> client.getById(42))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind())
                                        .isEqualTo(SchemaRegistryException.Kind.ACCESS_DENIED);
                                assertThat(e.httpStatus()).isEqualTo(403);
                                assertThat(e.getMessage())
                                        .contains("schema id 42")
                                        .contains("read access")
                                        .doesNotContain("s3cr3t-value");
                            });
            assertThat(server.requests())
                    .extracting(FakeRegistryServer.Request::uri)
                    .containsExactly("/schemas/ids/42", "/schemas/types");
        }
    }

    @Test
    void aForbiddenReferencedVersionIsAccessDeniedForThatVersion() {
        try (FakeRegistryServer server =
                new FakeRegistryServer(json(403, FORBIDDEN), json(200, "[\"AVRO\"]"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(config(server.url()).build(), ENV::get);

            assertThatThrownBy(() -> client.getVersion("money-value", 3))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind())
                                        .isEqualTo(SchemaRegistryException.Kind.ACCESS_DENIED);
                                assertThat(e.getMessage())
                                        .contains("version 3 of subject 'money-value'");
                            });
        }
    }

    @Test
    void aForbiddenSchemaIdAfterASuccessNeedsNoCheck() {
        try (FakeRegistryServer server =
                new FakeRegistryServer(
                        json(200, "{\"schema\":\"\\\"int\\\"\"}"), json(403, FORBIDDEN))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(config(server.url()).build(), ENV::get);
            client.getById(1);

            assertThatThrownBy(() -> client.getById(2))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e ->
                                    assertThat(e.kind())
                                            .isEqualTo(SchemaRegistryException.Kind.ACCESS_DENIED));
            assertThat(server.requests()).hasSize(2);
        }
    }

    @Test
    void forbiddenEverywhereIsAnAuthenticationFailure() {
        // The credentials are refused for the check too: nothing is readable, the job must fail.
        try (FakeRegistryServer server = new FakeRegistryServer(json(403, FORBIDDEN))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(config(server.url()).build(), ENV::get);

            assertThatThrownBy(() -> client.getById(42))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e ->
                                    assertThat(e.kind())
                                            .isEqualTo(
                                                    SchemaRegistryException.Kind.AUTHENTICATION));
        }
        try (FakeRegistryServer server =
                new FakeRegistryServer(json(401, "{\"error_code\":401}"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(config(server.url()).build(), ENV::get);

            assertThatThrownBy(() -> client.getById(42))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e ->
                                    assertThat(e.kind())
                                            .isEqualTo(
                                                    SchemaRegistryException.Kind.AUTHENTICATION));
            assertThat(server.requests()).as("401 is never about one id").hasSize(1);
        }
    }

    @Test
    void errorCodesMapToKindsWithUsefulMessages() {
        assertKind(
                json(404, "{\"error_code\":40402,\"message\":\"Version not found\"}"),
                client -> client.getVersion("s-value", 9),
                SchemaRegistryException.Kind.VERSION_NOT_FOUND,
                "Version 9 of subject 's-value'");
        assertKind(
                json(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"),
                client -> client.getById(12345),
                SchemaRegistryException.Kind.SCHEMA_NOT_FOUND,
                "Schema id 12345");
        assertKind(
                json(
                        409,
                        "{\"error_code\":409,\"message\":\"READER_FIELD_MISSING_DEFAULT_VALUE\"}"),
                client -> client.register("s-value", SchemaDefinition.avro("\"int\"")),
                SchemaRegistryException.Kind.INCOMPATIBLE,
                "READER_FIELD_MISSING_DEFAULT_VALUE");
        assertKind(
                json(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}"),
                client -> client.register("s-value", SchemaDefinition.avro("{")),
                SchemaRegistryException.Kind.INVALID_SCHEMA,
                "'s-value'");
        assertKind(
                json(200, "not json"),
                SchemaRegistryClient::getSubjects,
                SchemaRegistryException.Kind.PROTOCOL,
                "not JSON");
    }

    private static void assertKind(
            FakeRegistryServer.Answer answer,
            java.util.function.Consumer<SchemaRegistryClient> call,
            SchemaRegistryException.Kind kind,
            String messagePart) {
        try (FakeRegistryServer server = new FakeRegistryServer(answer)) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(config(server.url()).build(), ENV::get);
            assertThatThrownBy(() -> call.accept(client))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind()).isEqualTo(kind);
                                assertThat(e.getMessage()).contains(messagePart);
                            });
        }
    }
}
