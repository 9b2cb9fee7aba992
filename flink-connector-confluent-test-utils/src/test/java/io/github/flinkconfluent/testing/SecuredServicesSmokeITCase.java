package io.github.flinkconfluent.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The secured test services are real: each secured listener of the broker admits a client with the
 * right credentials and turns away one without; one registry admits basic and bearer clients over
 * HTTPS and nobody else; the mutual TLS front of the shared registry only clients with a
 * certificate of the test CA.
 */
class SecuredServicesSmokeITCase {

    private static final String PASSWORD = "store-secret";

    @TempDir static Path directory;

    private static TestCertificates certificates;
    private static OAuthTokenServer tokens;
    private static KafkaBroker kafka;
    private static ApicurioRegistry registry;
    private static RecordingHttpProxy mtlsRegistry;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.create(directory.resolve("tls"), PASSWORD);
        tokens = new OAuthTokenServer().allowForKafkaClients();
        kafka =
                new KafkaBroker(
                        Map.of(),
                        SecuredListeners.with(certificates)
                                .plain("alice", "alice-secret")
                                .scram("bob", "bob-secret")
                                .oauth(tokens, "flink-client", "client-secret")
                                .mutualTls());
        registry =
                ApicurioRegistry.withBasicAuth("sr-key", "sr-secret")
                        .tls(certificates.serverKeystore(), PASSWORD)
                        .bearerTokens(tokens);
        // They start in parallel: together they take about as long as the slower.
        ServiceProcess.startAll(kafka, registry);
        mtlsRegistry =
                RecordingHttpProxy.mutualTls(ConfluentTestServices.registry().url(), certificates);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (registry != null) {
            registry.close();
        }
        if (mtlsRegistry != null) {
            mtlsRegistry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    @ParameterizedTest
    @EnumSource(SecuredListeners.Listener.class)
    void eachSecuredListenerAdmitsItsClient(SecuredListeners.Listener listener) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties(listener))) {
            Set<String> names = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            assertThat(names).isNotNull();
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Map<String, Object> props = kafka.clientProperties(SecuredListeners.Listener.SASL_PLAIN);
        props.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required"
                        + " username=\"alice\" password=\"wrong\";");
        assertThatThrownBy(() -> listTopics(props)).isInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void aClientWithoutCertificateIsRefusedByTheMutualTlsListener() {
        Map<String, Object> props = kafka.clientProperties(SecuredListeners.Listener.MTLS);
        props.remove("ssl.keystore.location");
        props.remove("ssl.keystore.type");
        props.remove("ssl.keystore.password");
        assertThatThrownBy(() -> listTopics(props)).isInstanceOf(SslAuthenticationException.class);
    }

    @Test
    void anExpiredTokenIsRefused() {
        Map<String, Object> props = kafka.clientProperties(SecuredListeners.Listener.SASL_OAUTH);
        tokens.tokenLifetime(Duration.ofMinutes(-10));
        try {
            assertThatThrownBy(() -> listTopics(props))
                    .isInstanceOf(SaslAuthenticationException.class)
                    .hasMessageContaining("invalid_token");
        } finally {
            tokens.tokenLifetime(Duration.ofHours(1));
        }
    }

    @Test
    void theMutualTlsFrontAdmitsOnlyClientsWithACertificate() throws Exception {
        String subjects = mtlsRegistry.url().replaceAll("/$", "") + "/subjects";
        assertThat(get(http(true), subjects, null)).isEqualTo(200);
        assertThatThrownBy(() -> get(http(false), subjects, null))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void theRegistryAdmitsBasicAndBearerClientsOnly() throws Exception {
        HttpClient trusting = http(false);
        String subjects = registry.url() + "/subjects";

        assertThat(get(trusting, subjects, null)).isEqualTo(401);
        assertThat(
                        get(
                                trusting,
                                subjects,
                                "Basic "
                                        + Base64.getEncoder()
                                                .encodeToString(
                                                        "sr-key:sr-secret"
                                                                .getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(200);
        assertThat(get(trusting, subjects, "Bearer " + tokens.issueToken("flink-client", null)))
                .isEqualTo(200);
        assertThat(get(trusting, subjects, "Bearer not-a-token")).isEqualTo(401);

        tokens.tokenLifetime(Duration.ofMinutes(-10));
        try {
            assertThat(get(trusting, subjects, "Bearer " + tokens.issueToken("flink-client", null)))
                    .isEqualTo(401);
        } finally {
            tokens.tokenLifetime(Duration.ofHours(1));
        }
    }

    private static void listTopics(Map<String, Object> props) throws Exception {
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            admin.listTopics().names().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static int get(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpClient http(boolean withClientCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.truststore())) {
            trust.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trustManagers =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        KeyManagerFactory keyManagers = null;
        if (withClientCertificate) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(certificates.clientKeystore())) {
                keys.load(in, PASSWORD.toCharArray());
            }
            keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                keyManagers == null ? null : keyManagers.getKeyManagers(),
                trustManagers.getTrustManagers(),
                null);
        return HttpClient.newBuilder().sslContext(context).build();
    }
}
