package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.testing.LogCapture;

import org.apache.flink.configuration.Configuration;

import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A secret written as a literal value instead of a {@code {{VAR}}} template works, but travels with
 * the profile into plans, job graphs and catalogs: it is accepted with a warning that names the
 * field, never the value.
 */
class LiteralSecretsTest {

    private static final String LITERAL = "literal-secret-4711";

    private static List<String> warningsWhileResolving(Runnable resolve) {
        try (LogCapture.Collecting logs = LogCapture.collecting(Level.WARN)) {
            resolve.run();
            assertThat(String.join("\n", logs.lines())).doesNotContain(LITERAL);
            return logs.containing("literal value");
        }
    }

    @Test
    void aLiteralSecretFieldIsAcceptedWithAWarningNamingTheField() {
        Configuration config = new Configuration();
        config.setString("confluent.profiles.lit.bootstrap.servers", "b:9092");
        config.setString("confluent.profiles.lit.key", "{{KAFKA_KEY}}");
        config.setString("confluent.profiles.lit.secret", LITERAL);
        config.setString("confluent.profiles.lit.properties.sasl.jaas.config", LITERAL);

        List<String> warnings =
                warningsWhileResolving(() -> ConnectionProfiles.resolve("lit", config, Map.of()));

        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0) + warnings.get(1))
                .contains("'confluent.profiles.lit.secret'")
                .contains("'confluent.profiles.lit.properties.sasl.jaas.config'")
                .contains("{{VAR}}")
                .doesNotContain("'confluent.profiles.lit.key'");
    }

    @Test
    void inlineAndTableSecretsAreNamedByTheirOption() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("bootstrap.servers", "b:9092");
        options.put("auth.type", "sasl");
        options.put("auth.username", "{{U}}");
        options.put("auth.password", LITERAL);
        options.put("properties.ssl.truststore.password", LITERAL);
        options.put("properties.linger.ms", "5");

        List<String> warnings =
                warningsWhileResolving(
                        () -> ConnectionProfiles.resolve(null, new Configuration(), options));

        assertThat(String.join("\n", warnings))
                .contains("'auth.password'")
                .contains("'properties.ssl.truststore.password'")
                .doesNotContain("linger.ms")
                .doesNotContain("auth.username");
    }

    @Test
    void templatesGiveNoWarning() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("bootstrap.servers", "b:9092");
        options.put("key", "{{K}}");
        options.put("secret", "{{S}}");
        options.put(
                "properties.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\""
                        + " password=\"{{P}}\";");

        assertThat(
                        warningsWhileResolving(
                                () ->
                                        ConnectionProfiles.resolve(
                                                null, new Configuration(), options)))
                .isEmpty();
    }
}
