package io.github.flinkconfluent.connector.registry;

import io.github.flinkconfluent.testing.OAuthTokenServer;
import io.github.flinkconfluent.testing.RecordingHttpProxy;
import io.github.flinkconfluent.testing.TestCertificates;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.flinkconfluent.connector.registry.FakeRegistryServer.Answer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bearer tokens fetched with OAuth client credentials, and client certificates, as the REST client
 * uses them: against a real (in-process) token server, a scripted registry and a mutual-TLS front.
 * Apicurio validating real tokens is in {@code SecuredConnectionsITCase}.
 */
class RegistryBearerAndMutualTlsTest {

    private static final String CLIENT = "sr-client";
    private static final String SECRET = "sr-client-s3cret";
    private static final Map<String, String> ENV =
            Map.of("SR_CLIENT", CLIENT, "SR_SECRET", SECRET, "WRONG", "not-the-secret");

    @TempDir static Path directory;

    private static OAuthTokenServer tokens;
    private static TestCertificates certificates;

    @BeforeAll
    static void startTokenServer() {
        tokens = new OAuthTokenServer().client(CLIENT, SECRET);
        certificates = TestCertificates.create(directory, "store-pw");
    }

    @AfterAll
    static void stopTokenServer() {
        tokens.close();
    }

    private static SchemaRegistryConfig.Builder config(String url, String secretTemplate) {
        return SchemaRegistryConfig.builder(url)
                .retries(3, Duration.ofMillis(1), Duration.ofMillis(5))
                .requestTimeout(Duration.ofSeconds(10))
                .oauthBearer(
                        new SchemaRegistryConfig.OAuthClientCredentials(
                                tokens.tokenEndpoint(),
                                "{{SR_CLIENT}}",
                                secretTemplate,
                                "schema_registry",
                                "schema-registry.oauth"));
    }

    @Test
    void oneTokenServesManyRequestsWithConfluentCloudRouting() {
        int before = tokens.tokensIssued();
        try (FakeRegistryServer registry = new FakeRegistryServer(json(200, "[\"a\"]"));
                RestSchemaRegistryClient client =
                        new RestSchemaRegistryClient(
                                config(registry.url(), "{{SR_SECRET}}")
                                        .bearerCluster("lsrc-abc", "pool-Ab1")
                                        .build(),
                                ENV::get)) {
            for (int i = 0; i < 3; i++) {
                assertThat(client.getSubjects()).containsExactly("a");
            }

            assertThat(tokens.tokensIssued() - before).isEqualTo(1);
            assertThat(registry.requests()).hasSize(3);
            FakeRegistryServer.Request request = registry.requests().get(2);
            assertThat(request.authorization()).startsWith("Bearer ey");
            assertThat(request.header("target-sr-cluster")).isEqualTo("lsrc-abc");
            assertThat(request.header("Confluent-Identity-Pool-Id")).isEqualTo("pool-Ab1");
        }
    }

    @Test
    void aTokenIsRenewedWhenAFifthOfItsLifetimeIsLeft() throws Exception {
        tokens.tokenLifetime(Duration.ofSeconds(100));
        try {
            AtomicLong now = new AtomicLong();
            OAuthTokens source =
                    new OAuthTokens(
                            config("http://127.0.0.1:1", "{{SR_SECRET}}").build().oauth(),
                            ENV::get,
                            HttpClient.newHttpClient(),
                            Duration.ofSeconds(10),
                            false,
                            now::get);
            int before = tokens.tokensIssued();

            String first = source.token();
            now.set(Duration.ofSeconds(79).toNanos());
            assertThat(source.token()).isEqualTo(first);
            assertThat(tokens.tokensIssued() - before).isEqualTo(1);

            now.set(Duration.ofSeconds(81).toNanos());
            source.token();
            assertThat(tokens.tokensIssued() - before).isEqualTo(2);
        } finally {
            tokens.tokenLifetime(Duration.ofHours(1));
        }
    }

    @Test
    void aRejectedTokenIsReplacedOnceAndTheRequestGoesThrough() {
        int before = tokens.tokensIssued();
        try (FakeRegistryServer registry =
                        new FakeRegistryServer(
                                json(401, "{\"error_code\":401,\"message\":\"expired\"}"),
                                json(200, "[\"a\"]"));
                RestSchemaRegistryClient client =
                        new RestSchemaRegistryClient(
                                config(registry.url(), "{{SR_SECRET}}").build(), ENV::get)) {
            assertThat(client.getSubjects()).containsExactly("a");
            assertThat(tokens.tokensIssued() - before).isEqualTo(2);
            assertThat(registry.requests().get(0).authorization())
                    .isNotEqualTo(registry.requests().get(1).authorization());
        }
    }

    @Test
    void aTokenTheRegistryKeepsRejectingFailsNamingTheTokenEndpointAndFields() {
        int before = tokens.tokensIssued();
        try (FakeRegistryServer registry =
                        new FakeRegistryServer(json(401, "{\"error_code\":401}"));
                RestSchemaRegistryClient client =
                        new RestSchemaRegistryClient(
                                config(registry.url(), "{{SR_SECRET}}").build(), ENV::get)) {
            assertThatThrownBy(client::getSubjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e ->
                                    assertThat(e.kind())
                                            .isEqualTo(SchemaRegistryException.Kind.AUTHENTICATION))
                    .hasMessageContaining(registry.url())
                    .hasMessageContaining("the bearer token from the OAuth token endpoint")
                    .hasMessageContaining(tokens.tokenEndpoint())
                    .hasMessageContaining("schema-registry.oauth.client-id")
                    .hasMessageNotContaining(SECRET);
            // One fresh token, then the answer stands: no loop.
            assertThat(registry.requests()).hasSize(2);
            assertThat(tokens.tokensIssued() - before).isEqualTo(2);
        }
    }

    @Test
    void anAlreadyExpiredTokenIsCalledSo() {
        tokens.tokenLifetime(Duration.ofMinutes(-5));
        try (FakeRegistryServer registry =
                        new FakeRegistryServer(json(401, "{\"error_code\":401}"));
                RestSchemaRegistryClient client =
                        new RestSchemaRegistryClient(
                                config(registry.url(), "{{SR_SECRET}}").build(), ENV::get)) {
            assertThatThrownBy(client::getSubjects)
                    .hasMessageContaining("issued a token that had already expired")
                    .hasMessageContaining("clocks");
        } finally {
            tokens.tokenLifetime(Duration.ofHours(1));
        }
    }

    @Test
    void refusedClientCredentialsNameTheTokenEndpointNotTheSecret() {
        try (FakeRegistryServer registry = new FakeRegistryServer(json(200, "[]"));
                RestSchemaRegistryClient client =
                        new RestSchemaRegistryClient(
                                config(registry.url(), "{{WRONG}}").build(), ENV::get)) {
            assertThatThrownBy(client::getSubjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind())
                                        .isEqualTo(SchemaRegistryException.Kind.AUTHENTICATION);
                                assertThat(e.httpStatus()).isEqualTo(401);
                            })
                    .hasMessageContaining(
                            "The OAuth token endpoint "
                                    + tokens.tokenEndpoint()
                                    + " refused the client credentials")
                    .hasMessageContaining("invalid_client")
                    .hasMessageContaining("schema-registry.oauth.client-secret")
                    .hasMessageNotContaining("not-the-secret")
                    .hasMessageNotContaining(CLIENT);
            assertThat(registry.requests()).isEmpty();
        }
    }

    @Test
    void anUnreachableTokenEndpointIsRetriedThenReported() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SchemaRegistryConfig config =
                SchemaRegistryConfig.builder("http://127.0.0.1:1")
                        .retries(2, Duration.ofMillis(1), Duration.ofMillis(2))
                        .oauthBearer(
                                new SchemaRegistryConfig.OAuthClientCredentials(
                                        "http://127.0.0.1:" + closedPort + "/token",
                                        "id",
                                        "secret",
                                        null,
                                        "auth.oauth"))
                        .build();
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config, ENV::get)) {
            assertThatThrownBy(client::getSubjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e ->
                                    assertThat(e.kind())
                                            .isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE))
                    .hasMessageContaining(
                            "cannot get a token from the OAuth token endpoint http://127.0.0.1:"
                                    + closedPort);
        }
    }

    @Test
    void aPlainHttpTokenEndpointOnAnotherHostIsRefusedUnlessAllowed() {
        SchemaRegistryConfig.Builder config =
                SchemaRegistryConfig.builder("http://127.0.0.1:1")
                        .oauthBearer(
                                new SchemaRegistryConfig.OAuthClientCredentials(
                                        "http://idp.example/token",
                                        "{{SR_CLIENT}}",
                                        "{{SR_SECRET}}",
                                        null,
                                        "auth.oauth"));

        assertThatThrownBy(() -> new RestSchemaRegistryClient(config.build(), ENV::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'http://idp.example/token' (auth.oauth.token-endpoint)")
                .hasMessageContaining("schema-registry.allow-http-credentials");
        new RestSchemaRegistryClient(config.allowCredentialsOverHttp(true).build(), ENV::get)
                .close();
    }

    @Test
    void aTemplatedTokenEndpointIsShownAsWritten() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SchemaRegistryConfig config =
                SchemaRegistryConfig.builder("http://127.0.0.1:1")
                        .retries(1, Duration.ofMillis(1), Duration.ofMillis(1))
                        .oauthBearer(
                                new SchemaRegistryConfig.OAuthClientCredentials(
                                        "{{IDP}}/token",
                                        "{{SR_CLIENT}}",
                                        "{{SR_SECRET}}",
                                        null,
                                        "auth.oauth"))
                        .build();
        Map<String, String> env =
                Map.of(
                        "IDP", "http://127.0.0.1:" + closedPort,
                        "SR_CLIENT", CLIENT,
                        "SR_SECRET", SECRET);
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(config, env::get)) {
            assertThatThrownBy(client::getSubjects)
                    .hasMessageContaining("the OAuth token endpoint {{IDP}}/token")
                    .hasMessageNotContaining(String.valueOf(closedPort));
        }
    }

    @Test
    void aClientKeyStoreOpensARegistryThatRequiresCertificates() {
        try (FakeRegistryServer registry = new FakeRegistryServer(json(200, "[\"a\"]"));
                RecordingHttpProxy front =
                        RecordingHttpProxy.mutualTls(registry.url(), certificates)) {
            SchemaRegistryConfig.Builder trusting =
                    SchemaRegistryConfig.builder(front.url())
                            .retries(1, Duration.ofMillis(1), Duration.ofMillis(1))
                            .truststore(certificates.caPem().toString(), null, "PEM");
            try (RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(
                            trusting.keystore(
                                            certificates.clientKeystore().toString(),
                                            "{{PW}}",
                                            "PKCS12")
                                    .build(),
                            Map.of("PW", "store-pw")::get)) {
                assertThat(client.getSubjects()).containsExactly("a");
            }

            SchemaRegistryConfig withoutKeyStore =
                    SchemaRegistryConfig.builder(front.url())
                            .retries(1, Duration.ofMillis(1), Duration.ofMillis(1))
                            .truststore(certificates.caPem().toString(), null, "PEM")
                            .build();
            try (RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(withoutKeyStore, ENV::get)) {
                assertThatThrownBy(client::getSubjects)
                        .isInstanceOf(SchemaRegistryException.class)
                        .hasMessageContaining(front.url().replaceAll("/$", ""));
            }
        }
    }

    @Test
    void aWrongKeyStorePasswordNamesTheStoreAndFieldNotThePassword() {
        SchemaRegistryConfig config =
                SchemaRegistryConfig.builder("https://127.0.0.1:1")
                        .keystore(certificates.clientKeystore().toString(), "{{PW}}", "PKCS12")
                        .build();

        assertThatThrownBy(
                        () ->
                                new RestSchemaRegistryClient(
                                        config, Map.of("PW", "wrong-pw-value")::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(certificates.clientKeystore().toString())
                .hasMessageContaining("schema-registry.ssl.keystore.location, .type and .password")
                .hasMessageNotContaining("wrong-pw-value");
    }
}
