package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.UnrecoverableException;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.DisconnectException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import javax.security.auth.login.LoginException;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which Kafka client failures are permanent, and what the explanation says. The same failures from
 * real brokers are in {@code ConfluentCloudSecurityITCase}.
 */
class KafkaConnectionFailuresTest {

    private static final String PASSWORD = "pa55-w0rd";

    private static Map<String, Object> config(String protocol, String mechanism) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", "pkc-1.confluent.cloud:9092");
        config.put("security.protocol", protocol);
        if (mechanism != null) {
            config.put("sasl.mechanism", mechanism);
            config.put(
                    "sasl.jaas.config", "x required username=\"u\" password=\"" + PASSWORD + "\";");
        }
        config.put("ssl.keystore.password", PASSWORD);
        return config;
    }

    private static String explained(Throwable failure, Map<String, Object> config) {
        Optional<UnrecoverableException> explained =
                KafkaConnectionFailures.explain(failure, config, "read topic 'orders'");
        assertThat(explained).as("explained as permanent").isPresent();
        assertThat(explained.get()).hasCause(failure);
        String message = explained.get().getMessage();
        assertThat(message)
                .contains("pkc-1.confluent.cloud:9092")
                .contains("read topic 'orders'")
                .contains("not restarted")
                .doesNotContain(PASSWORD);
        return message;
    }

    @Test
    void refusedApiKeyNamesTheBrokersAndTheKeyFields() {
        Throwable failure =
                new IllegalStateException(
                        "Could not describe topic",
                        new ExecutionException(
                                new SaslAuthenticationException(
                                        "Authentication failed: Invalid username or password")));

        assertThat(explained(failure, config("SASL_SSL", "PLAIN")))
                .contains("(SASL_SSL, PLAIN) rejected the SASL credentials")
                .contains("Invalid username or password")
                .contains("'key' and 'secret'");
    }

    @Test
    void refusedScramCredentialsNameTheUserFields() {
        assertThat(
                        explained(
                                new SaslAuthenticationException("Authentication failed"),
                                config("SASL_SSL", "SCRAM-SHA-512")))
                .contains("'auth.username' and 'auth.password'")
                .doesNotContain("'key'");
    }

    @Test
    void aRejectedTokenNamesTheTokenEndpointAndWhatToCheck() {
        Map<String, Object> config = config("SASL_SSL", "OAUTHBEARER");
        config.put("sasl.oauthbearer.token.endpoint.url", "https://idp.example/token");

        assertThat(
                        explained(
                                new SaslAuthenticationException("{\"status\":\"invalid_token\"}"),
                                config))
                .contains("rejected the OAuth token from https://idp.example/token")
                .contains("invalid_token")
                .contains("expired")
                .contains("logicalCluster");
    }

    @Test
    void aTokenRequestTheProviderRefusesNamesTheEndpointAndClientFields() {
        Map<String, Object> config = config("SASL_SSL", "OAUTHBEARER");
        config.put("sasl.oauthbearer.token.endpoint.url", "https://idp.example/token");
        Throwable failure =
                new KafkaException(
                        "Failed to create new KafkaAdminClient",
                        new KafkaException(
                                new LoginException(
                                        "java.io.IOException: The response code 401 and error"
                                                + " response {\"invalid_client\"} was encountered"
                                                + " reading the token endpoint response; will not"
                                                + " attempt further retries")));

        assertThat(explained(failure, config))
                .contains("Could not get an OAuth token from https://idp.example/token")
                .contains("response code 401")
                .contains("auth.oauth.client-secret");
    }

    @Test
    void aTokenEndpointTheJvmDoesNotAllowNamesTheSystemProperty() {
        Map<String, Object> config = config("SASL_SSL", "OAUTHBEARER");
        config.put("sasl.oauthbearer.token.endpoint.url", "https://idp.example/token");
        Throwable failure =
                new KafkaException(
                        "Failed to construct kafka consumer",
                        new ConfigException(
                                "The URL cannot be accessed due to restrictions. Update the system"
                                    + " property 'org.apache.kafka.sasl.oauthbearer.allowed.urls'"
                                    + " to allow the URL to be accessed."));

        assertThat(explained(failure, config))
                .contains(
                        "-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=https://idp.example/token");
    }

    @Test
    void anUntrustedCertificateNamesTheTrustStoreFields() {
        Throwable failure =
                new SslAuthenticationException(
                        "SSL handshake failed",
                        new SSLHandshakeException(
                                "PKIX path building failed: unable to find valid certification"
                                        + " path to requested target"));

        assertThat(explained(failure, config("SASL_SSL", "PLAIN")))
                .contains("TLS handshake with the Kafka brokers")
                .contains("is not trusted")
                .contains("set ssl.truststore.location");

        Map<String, Object> withTrustStore = config("SSL", null);
        withTrustStore.put("ssl.truststore.location", "/etc/ca.p12");
        assertThat(explained(failure, withTrustStore))
                .contains("does not hold the CA that signed it");
    }

    @Test
    void aCertificateForAnotherHostSaysSo() {
        Throwable failure =
                new SslAuthenticationException(
                        "SSL handshake failed",
                        new SSLHandshakeException(
                                "No subject alternative names matching IP address 10.0.0.1"
                                        + " found"));

        assertThat(explained(failure, config("SSL", null)))
                .contains("does not name the host")
                .contains("hostname verification stays on");
    }

    @Test
    void aMissingClientCertificateNamesTheKeyStoreFields() {
        Throwable failure =
                new SslAuthenticationException(
                        "Failed to process post-handshake messages",
                        new SSLHandshakeException("Received fatal alert: bad_certificate"));

        assertThat(explained(failure, config("SSL", null)))
                .contains("refused this client's certificate, or require one")
                .contains("Set ssl.keystore.location");
    }

    @Test
    void aMissingAclNamesTheTopic() {
        assertThat(
                        explained(
                                new TopicAuthorizationException(Set.of("orders")),
                                config("SASL_SSL", "PLAIN")))
                .contains("denied access to topic(s) [orders]")
                .contains("role bindings or ACLs");
    }

    @Test
    void passingTroubleIsLeftToRestarts() {
        Map<String, Object> config = config("SASL_SSL", "PLAIN");
        for (Throwable passing :
                new Throwable[] {
                    new TimeoutException("Timed out waiting for a node assignment"),
                    new DisconnectException("Cancelled due to disconnect"),
                    new KafkaException(
                            new LoginException(
                                    "java.net.ConnectException: Connection refused (the identity"
                                            + " provider is down)")),
                    new IOException("Broken pipe")
                }) {
            assertThat(KafkaConnectionFailures.explain(passing, config, "read"))
                    .as(passing.toString())
                    .isEmpty();
        }
    }

    @Test
    void anExplainedFailureIsNotExplainedTwice() {
        UnrecoverableException explained =
                KafkaConnectionFailures.explain(
                                new SaslAuthenticationException("no"),
                                config("SASL_SSL", "PLAIN"),
                                "read")
                        .orElseThrow();

        assertThat(
                        KafkaConnectionFailures.explain(
                                new RuntimeException(explained), config("SASL_SSL", "PLAIN"), "x"))
                .isEmpty();
    }
}
