package io.github.flinkconfluent.connector.registry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.github.flinkconfluent.connector.registry.FakeRegistryServer.Answer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the registry client treats the transport: credentials only over TLS (or to this machine, or
 * with an explicit opt-in), no redirects, a cap on what it reads, and {@code Retry-After}.
 */
class RegistryTransportTest {

    private static final Map<String, String> ENV = Map.of("SR_KEY", "k", "SR_SECRET", "s");

    private static SchemaRegistryConfig.Builder config(String url) {
        return SchemaRegistryConfig.builder(url)
                .retries(3, Duration.ofMillis(1), Duration.ofSeconds(5))
                .requestTimeout(Duration.ofSeconds(5));
    }

    // ---- credentials over plain http ----------------------------------------------------------

    @Test
    void credentialsOverPlainHttpToAnotherHostAreRefused() {
        assertThatThrownBy(
                        () ->
                                config("http://registry.example:8081")
                                        .basicAuth("{{SR_KEY}}", "{{SR_SECRET}}")
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'http://registry.example:8081'")
                .hasMessageContaining("https://")
                .hasMessageContaining("schema-registry.allow-http-credentials");
        assertThatThrownBy(() -> config("http://registry.example").bearerAuth("{{T}}").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theOptInAllowsCredentialsOverPlainHttp() {
        SchemaRegistryConfig config =
                config("http://registry.example:8081")
                        .basicAuth("{{SR_KEY}}", "{{SR_SECRET}}")
                        .allowCredentialsOverHttp(true)
                        .build();

        assertThat(config.allowHttpCredentials()).isTrue();
    }

    @Test
    void loopbackAndHttpsAndNoCredentialsNeedNoOptIn() {
        for (String url :
                List.of(
                        "http://localhost:8081",
                        "http://127.0.0.1:8081",
                        "http://127.1.2.3",
                        "http://[::1]:8081",
                        "https://registry.example")) {
            config(url).basicAuth("{{SR_KEY}}", "{{SR_SECRET}}").build();
        }
        config("http://registry.example").build();
    }

    @Test
    void aProfileOptsInWithItsOwnField() {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("bootstrap.servers", "b:9092");
        options.put("schema-registry.endpoint", "http://registry.example:8081");
        options.put("schema-registry.api-key", "{{SR_KEY}}");
        options.put("schema-registry.api-secret", "{{SR_SECRET}}");
        org.apache.flink.configuration.Configuration none =
                new org.apache.flink.configuration.Configuration();

        assertThatThrownBy(
                        () ->
                                io.github.flinkconfluent.connector.profile.ConnectionProfiles
                                        .resolve(null, none, options))
                .isInstanceOf(org.apache.flink.table.api.ValidationException.class)
                .hasMessageContaining("Connection profile 'inline'")
                .hasMessageContaining("schema-registry.allow-http-credentials");
        options.put("schema-registry.allow-http-credentials", "true");
        assertThat(
                        io.github.flinkconfluent.connector.profile.ConnectionProfiles.resolve(
                                        null, none, options)
                                .schemaRegistry()
                                .orElseThrow()
                                .allowHttpCredentials())
                .isTrue();
    }

    @Test
    void aTemplatedEndpointIsCheckedWhenResolved() {
        SchemaRegistryConfig config =
                config("{{SR_URL}}").basicAuth("{{SR_KEY}}", "{{SR_SECRET}}").build();

        assertThatThrownBy(
                        () ->
                                new RestSchemaRegistryClient(
                                        config,
                                        Map.of(
                                                        "SR_URL",
                                                        "http://hidden-host.example",
                                                        "SR_KEY",
                                                        "k",
                                                        "SR_SECRET",
                                                        "s")
                                                ::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'{{SR_URL}}'")
                .hasMessageNotContaining("hidden-host");
    }

    // ---- redirects -----------------------------------------------------------------------------

    @Test
    void redirectsAreNotFollowedSoCredentialsStayWithTheEndpoint() {
        try (FakeRegistryServer elsewhere = new FakeRegistryServer(json(200, "[\"stolen\"]"));
                FakeRegistryServer server =
                        new FakeRegistryServer(
                                json(307, "")
                                        .withHeader("Location", elsewhere.url() + "/subjects"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(
                            config(server.url()).basicAuth("{{SR_KEY}}", "{{SR_SECRET}}").build(),
                            ENV::get);

            assertThatThrownBy(client::getSubjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind())
                                        .isEqualTo(SchemaRegistryException.Kind.REQUEST_REJECTED);
                                assertThat(e.getMessage())
                                        .contains("redirect")
                                        .contains("HTTP 307")
                                        .contains(elsewhere.url());
                            });
            assertThat(elsewhere.requests()).isEmpty();
            assertThat(server.requests()).hasSize(1);
        }
    }

    // ---- response size -------------------------------------------------------------------------

    @Test
    void anAnswerLargerThanTheCapIsAnErrorNotARetry() {
        String huge = "[\"" + "x".repeat(RestSchemaRegistryClient.MAX_RESPONSE_BYTES) + "\"]";
        try (FakeRegistryServer server = new FakeRegistryServer(json(200, huge))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(config(server.url()).build(), ENV::get);

            assertThatThrownBy(client::getSubjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind())
                                        .isEqualTo(SchemaRegistryException.Kind.PROTOCOL);
                                assertThat(e.getMessage())
                                        .contains("more than 16 MiB")
                                        .contains("GET /subjects");
                            });
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void anAnswerJustUnderTheCapIsRead() {
        String big = "[\"" + "x".repeat(RestSchemaRegistryClient.MAX_RESPONSE_BYTES - 4) + "\"]";
        try (FakeRegistryServer server = new FakeRegistryServer(json(200, big))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(config(server.url()).build(), ENV::get);

            assertThat(client.getSubjects()).hasSize(1);
        }
    }

    // ---- Retry-After ---------------------------------------------------------------------------

    @Test
    void retryAfterIsHonouredOn429And503() {
        List<Long> pauses = new CopyOnWriteArrayList<>();
        try (FakeRegistryServer server =
                new FakeRegistryServer(
                        json(429, "").withHeader("Retry-After", "2"),
                        json(503, "").withHeader("Retry-After", "1"),
                        json(200, "[\"a\"]"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(
                            config(server.url()).build(), ENV::get, pauses::add);

            assertThat(client.getSubjects()).containsExactly("a");
            assertThat(pauses).containsExactly(2000L, 1000L);
        }
    }

    @Test
    void retryAfterLongerThanTheLongestPauseEndsTheRetriesWithAClearError() {
        List<Long> pauses = new CopyOnWriteArrayList<>();
        try (FakeRegistryServer server =
                new FakeRegistryServer(json(429, "").withHeader("Retry-After", "120"))) {
            RestSchemaRegistryClient client =
                    new RestSchemaRegistryClient(
                            config(server.url()).build(), ENV::get, pauses::add);

            assertThatThrownBy(client::getSubjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind())
                                        .isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE);
                                assertThat(e.getMessage())
                                        .contains("Retry-After")
                                        .contains("120 s")
                                        .contains("HTTP 429");
                            });
            assertThat(pauses).isEmpty();
            assertThat(server.requests()).hasSize(1);
        }
    }

    @Test
    void withoutRetryAfterTheBackoffApplies() {
        List<Long> pauses = new CopyOnWriteArrayList<>();
        try (FakeRegistryServer server = new FakeRegistryServer(json(503, ""), json(200, "[]"))) {
            new RestSchemaRegistryClient(config(server.url()).build(), ENV::get, pauses::add)
                    .getSubjects();

            assertThat(pauses).hasSize(1);
            assertThat(pauses.get(0)).isLessThanOrEqualTo(1L);
        }
    }

    @Test
    void anHttpDateRetryAfterIsUnderstood() {
        assertThat(
                        RestSchemaRegistryClient.retryAfterMillis(
                                "Wed, 21 Oct 2026 07:28:10 GMT",
                                java.time.Instant.parse("2026-10-21T07:28:00Z")))
                .contains(10_000L);
        assertThat(RestSchemaRegistryClient.retryAfterMillis("3", java.time.Instant.EPOCH))
                .contains(3_000L);
        assertThat(RestSchemaRegistryClient.retryAfterMillis("soon", java.time.Instant.EPOCH))
                .isEmpty();
        assertThat(RestSchemaRegistryClient.retryAfterMillis("-5", java.time.Instant.EPOCH))
                .isEmpty();
    }
}
