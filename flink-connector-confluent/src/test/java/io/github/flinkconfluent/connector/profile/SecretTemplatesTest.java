package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.secrets.SecretTemplates;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretTemplatesTest {

    private static final Map<String, String> ENV = Map.of("KAFKA_KEY", "k3y", "DOLLAR", "a$b\\c");

    @Test
    void placeholdersAreReplacedFromTheEnvironment() {
        assertThat(SecretTemplates.resolve("{{KAFKA_KEY}}", "key", ENV::get)).isEqualTo("k3y");
        assertThat(SecretTemplates.resolve("user-{{ KAFKA_KEY }}-x", "key", ENV::get))
                .isEqualTo("user-k3y-x");
        assertThat(SecretTemplates.resolve("{{DOLLAR}}", "key", ENV::get)).isEqualTo("a$b\\c");
    }

    @Test
    void plainValuesAreLeftAlone() {
        assertThat(SecretTemplates.resolve("plain", "key", ENV::get)).isEqualTo("plain");
        assertThat(SecretTemplates.resolve(null, "key", ENV::get)).isNull();
        assertThat(SecretTemplates.isTemplate("{{A}}")).isTrue();
        assertThat(SecretTemplates.isTemplate("{A}")).isFalse();
    }

    @Test
    void missingVariableNamesTheVariableAndTheSetting() {
        assertThatThrownBy(
                        () ->
                                SecretTemplates.resolve(
                                        "{{SR_SECRET}}", "schema-registry.api-secret", ENV::get))
                .isInstanceOf(SecretTemplates.MissingSecretException.class)
                .hasMessageContaining("'SR_SECRET'")
                .hasMessageContaining("schema-registry.api-secret");
    }
}
