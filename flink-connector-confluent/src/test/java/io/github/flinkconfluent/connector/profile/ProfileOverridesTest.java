package io.github.flinkconfluent.connector.profile;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A table that names a profile must not redirect the profile's credentials: overriding its
 * bootstrap servers, security, SASL, TLS, config providers or classes with {@code properties.*} is
 * refused unless the profile sets {@code allow-overrides}.
 */
class ProfileOverridesTest {

    private static Configuration prod(String... extra) {
        Configuration config = new Configuration();
        config.setString("confluent.profiles.prod.bootstrap.servers", "prod:9092");
        config.setString("confluent.profiles.prod.key", "{{PROD_KEY}}");
        config.setString("confluent.profiles.prod.secret", "{{PROD_SECRET}}");
        for (int i = 0; i < extra.length; i += 2) {
            config.setString("confluent.profiles.prod." + extra[i], extra[i + 1]);
        }
        return config;
    }

    @Test
    void overridesThatRedirectCredentialsAreRefusedNamingTheOption() {
        List<String> guarded =
                List.of(
                        "properties.bootstrap.servers",
                        "properties.security.protocol",
                        "properties.sasl.jaas.config",
                        "properties.sasl.mechanism",
                        "properties.sasl.oauthbearer.token.endpoint.url",
                        "properties.ssl.truststore.location",
                        "properties.ssl.endpoint.identification.algorithm",
                        "properties.config.providers",
                        "properties.config.providers.file.class",
                        "properties.sasl.login.callback.handler.class",
                        "properties.partitioner.class",
                        "properties.interceptor.classes",
                        "properties.metric.reporters",
                        "properties.security.providers");
        for (String option : guarded) {
            assertThatThrownBy(
                            () ->
                                    ConnectionProfiles.resolve(
                                            "prod",
                                            prod(),
                                            Map.of(option, "attacker.example:9092")))
                    .as(option)
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("[" + option + "]")
                    .hasMessageContaining("connection profile 'prod'")
                    .hasMessageContaining("'allow-overrides' = 'true'")
                    .hasMessageNotContaining("attacker.example");
        }
    }

    @Test
    void theFirstClassConnectionOptionsAreRefusedToo() {
        assertThatThrownBy(
                        () ->
                                ConnectionProfiles.resolve(
                                        "prod", prod(), Map.of("bootstrap.servers", "x:9092")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("[bootstrap.servers]");
    }

    @Test
    void tuningPropertiesStayOpenToTables() {
        ConnectionProfile profile =
                ConnectionProfiles.resolve(
                        "prod",
                        prod(),
                        Map.of(
                                "properties.linger.ms", "20",
                                "properties.client.id", "orders",
                                "properties.max.poll.records", "100"));

        assertThat(profile.kafkaProperties(Map.of("PROD_KEY", "k", "PROD_SECRET", "s")::get))
                .containsEntry("linger.ms", "20")
                .containsEntry("bootstrap.servers", "prod:9092");
    }

    @Test
    void aProfileThatAllowsOverridesLetsTablesOverrideIt() {
        ConnectionProfile profile =
                ConnectionProfiles.resolve(
                        "prod",
                        prod("allow-overrides", "true"),
                        Map.of("properties.bootstrap.servers", "other:9092"));

        assertThat(profile.kafkaProperties(Map.of("PROD_KEY", "k", "PROD_SECRET", "s")::get))
                .containsEntry("bootstrap.servers", "other:9092");
    }

    @Test
    void allowOverridesTakesTrueOrFalseAndNoTemplate() {
        assertThatThrownBy(
                        () ->
                                ConnectionProfiles.resolve(
                                        "prod", prod("allow-overrides", "yes"), Map.of()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'allow-overrides' is 'yes'; valid values: true, false");
        assertThatThrownBy(
                        () ->
                                ConnectionProfiles.resolve(
                                        "prod", prod("allow-overrides", "{{ALLOW}}"), Map.of()))
                .hasMessageContaining("'allow-overrides' does not accept {{VAR}} templates");
        assertThat(
                        ConnectionProfiles.resolve(
                                        "prod",
                                        prod("allow-overrides", "false"),
                                        Map.of("properties.linger.ms", "1"))
                                .allowsOverrides())
                .isFalse();
    }

    @Test
    void aTableCannotAllowOverridesItself() {
        assertThatThrownBy(
                        () ->
                                ConnectionProfiles.resolve(
                                        "prod",
                                        prod(),
                                        Map.of(
                                                "allow-overrides", "true",
                                                "properties.bootstrap.servers", "x:9092")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("[allow-overrides]");
    }
}
