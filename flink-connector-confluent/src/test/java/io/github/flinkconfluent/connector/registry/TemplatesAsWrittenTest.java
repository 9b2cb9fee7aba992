package io.github.flinkconfluent.connector.registry;

import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A {@code {{VAR}}} template can name any variable of the process, so whatever the connector shows
 * (messages, plans, descriptions) must show the template as written and never what it resolved to:
 * otherwise {@code 'schema-registry.endpoint' = '{{AWS_SECRET_ACCESS_KEY}}'} prints that variable
 * to whoever wrote the table.
 */
class TemplatesAsWrittenTest {

    /** Stands for the value of a variable the SQL user must not see. */
    private static final String HIDDEN = "hidden-value-not-a-url-4711";

    private static ConnectionProfile inline(String... keyValues) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        options.put("bootstrap.servers", "b:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return ConnectionProfiles.resolve(null, new Configuration(), options);
    }

    @Test
    void theRegistryConfigKeepsTheEndpointAsWritten() {
        SchemaRegistryConfig config =
                inline("schema-registry.endpoint", "{{SR_URL}}").schemaRegistry().orElseThrow();

        assertThat(config.urls()).containsExactly("{{SR_URL}}");
        assertThat(config.toString()).contains("{{SR_URL}}");
    }

    @Test
    void anEndpointThatResolvesToSomethingInvalidIsReportedAsWritten() {
        SchemaRegistryConfig config =
                inline("schema-registry.endpoint", "{{SR_URL}}").schemaRegistry().orElseThrow();

        Throwable error =
                catchThrowable(
                        () -> new RestSchemaRegistryClient(config, Map.of("SR_URL", HIDDEN)::get));

        assertThat(error).isInstanceOf(IllegalArgumentException.class);
        assertThat(error.getMessage())
                .contains("{{SR_URL}}")
                .contains("http://")
                .doesNotContain(HIDDEN);
    }

    @Test
    void aTrustStoreThatCannotBeReadIsReportedAsWritten() {
        String location = "/nonexistent/" + HIDDEN + "/trust.p12";
        SchemaRegistryConfig config =
                inline(
                                "schema-registry.endpoint", "https://sr.example",
                                "schema-registry.ssl.truststore.location", "{{SR_TRUST}}")
                        .schemaRegistry()
                        .orElseThrow();

        assertThat(config.truststoreLocation()).isEqualTo("{{SR_TRUST}}");
        Throwable error =
                catchThrowable(
                        () ->
                                new RestSchemaRegistryClient(
                                        config, Map.of("SR_TRUST", location)::get));

        assertThat(error.getMessage()).contains("{{SR_TRUST}}").doesNotContain(HIDDEN);
        assertThat(org.apache.flink.util.ExceptionUtils.stringifyException(error))
                .doesNotContain(HIDDEN);
    }

    @Test
    void describeShowsTheEndpointTemplate() {
        assertThat(inline("schema-registry.endpoint", "{{SR_URL}}").describe())
                .contains("schema-registry={{SR_URL}}");
    }
}
