package io.github.flinkconfluent.connector.profile;

import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.github.flinkconfluent.connector.profile.ConnectionProfileTest.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SASL PLAIN sends the password as it is; over {@code SASL_PLAINTEXT} anyone on the network reads
 * it. That combination needs an explicit opt-in ({@code auth.allow-plain-without-tls}), for local
 * test clusters.
 */
class PlainWithoutTlsTest {

    private static final Map<String, String> ENV = Map.of("U", "user", "P", "pass");

    @Test
    void plainOverSaslPlaintextIsRefusedWithWhatToDo() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "auth.type", "sasl",
                                        "auth.protocol", "SASL_PLAINTEXT",
                                        "auth.username", "{{U}}",
                                        "auth.password", "{{P}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Connection profile 'inline'")
                .hasMessageContaining("PLAIN over SASL_PLAINTEXT")
                .hasMessageContaining("SASL_SSL")
                .hasMessageContaining("'auth.allow-plain-without-tls' = 'true'");
    }

    @Test
    void theSameThroughPropertiesIsRefusedToo() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "properties.security.protocol", "SASL_PLAINTEXT",
                                        "properties.sasl.mechanism", "PLAIN"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("PLAIN over SASL_PLAINTEXT");
        ConnectionProfile templated =
                profile(
                        "bootstrap.servers", "b:9092",
                        "properties.security.protocol", "{{PROTO}}",
                        "properties.sasl.mechanism", "PLAIN");
        assertThatThrownBy(() -> templated.kafkaProperties(Map.of("PROTO", "SASL_PLAINTEXT")::get))
                .hasMessageContaining("PLAIN over SASL_PLAINTEXT");
    }

    @Test
    void theOptInAllowsIt() {
        ConnectionProfile profile =
                profile(
                        "bootstrap.servers", "b:9092",
                        "auth.type", "sasl",
                        "auth.protocol", "SASL_PLAINTEXT",
                        "auth.username", "{{U}}",
                        "auth.password", "{{P}}",
                        "auth.allow-plain-without-tls", "true");

        assertThat(profile.kafkaProperties(ENV::get))
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void scramOverSaslPlaintextAndPlainOverSaslSslNeedNoOptIn() {
        profile(
                "bootstrap.servers", "b:9092",
                "auth.type", "sasl",
                "auth.protocol", "SASL_PLAINTEXT",
                "auth.mechanism", "SCRAM-SHA-512",
                "auth.username", "{{U}}",
                "auth.password", "{{P}}");
        profile(
                "bootstrap.servers", "b:9092",
                "auth.type", "sasl",
                "auth.username", "{{U}}",
                "auth.password", "{{P}}");
    }

    @Test
    void theOptInTakesTrueOrFalse() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "auth.allow-plain-without-tls", "sure"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'auth.allow-plain-without-tls' is 'sure'");
    }
}
