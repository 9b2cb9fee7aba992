package io.github.flinkconfluent.connector.registry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SchemaRegistryClients#shared} keeps one client per equal configuration, so equality must
 * cover every setting (it did for free while the configuration was a record).
 */
class SchemaRegistryConfigEqualityTest {

    private static SchemaRegistryConfig.Builder config() {
        return SchemaRegistryConfig.builder("https://registry.example:8081")
                .basicAuth("{{SR_KEY}}", "{{SR_SECRET}}");
    }

    @Test
    void equalSettingsAreEqual() {
        assertThat(config().build()).isEqualTo(config().build());
        assertThat(config().build().hashCode()).isEqualTo(config().build().hashCode());
    }

    @Test
    void everySettingCounts() {
        SchemaRegistryConfig base = config().build();
        assertThat(config().missingTtl(Duration.ofSeconds(5)).build()).isNotEqualTo(base);
        assertThat(config().cacheCapacity(7).build()).isNotEqualTo(base);
        assertThat(config().allowCredentialsOverHttp(true).build()).isNotEqualTo(base);
        assertThat(config().basicAuth("{{SR_KEY}}", "{{OTHER}}").build()).isNotEqualTo(base);
    }
}
