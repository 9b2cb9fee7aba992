package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.connector.secrets.SecretTemplates;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;

import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a profile turns into: Kafka client properties, a registry config, and its errors. */
class ConnectionProfileTest {

    /** An inline profile from alternating field names and values. */
    static ConnectionProfile profile(String... keyValues) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return ConnectionProfiles.resolve(null, new Configuration(), options);
    }

    static ConnectionProfile named(String name, String... keyValues) {
        Configuration config = new Configuration();
        for (int i = 0; i < keyValues.length; i += 2) {
            config.setString("confluent.profiles." + name + "." + keyValues[i], keyValues[i + 1]);
        }
        return ConnectionProfiles.resolve(name, config, Map.of());
    }

    @Test
    void apiKeyBecomesSaslSslPlainWithResolvedCredentials() {
        ConnectionProfile profile =
                profile("bootstrap.servers", "pkc:9092", "key", "{{K}}", "secret", "{{S}}");

        assertThat(profile.kafkaProperties(Map.of("K", "ABCKEY", "S", "s3cr3t")::get))
                .containsExactlyEntriesOf(
                        ordered(
                                "bootstrap.servers", "pkc:9092",
                                "security.protocol", "SASL_SSL",
                                "sasl.mechanism", "PLAIN",
                                "sasl.jaas.config",
                                        "org.apache.kafka.common.security.plain.PlainLoginModule"
                                                + " required username=\"ABCKEY\""
                                                + " password=\"s3cr3t\";"));
    }

    @Test
    void saslScramUsesTheScramLoginModuleAndTheChosenProtocol() {
        ConnectionProfile profile =
                profile(
                        "bootstrap.servers", "b:9093",
                        "auth.type", "sasl",
                        "auth.protocol", "SASL_PLAINTEXT",
                        "auth.mechanism", "SCRAM-SHA-512",
                        "auth.username", "alice",
                        "auth.password", "{{PW}}");

        assertThat(profile.kafkaProperties(Map.of("PW", "pw")::get))
                .containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"alice\" password=\"pw\";");
    }

    @Test
    void saslDefaultsToSaslSslAndPlain() {
        ConnectionProfile profile =
                profile(
                        "bootstrap.servers", "b:9093",
                        "auth.type", "sasl",
                        "auth.username", "u",
                        "auth.password", "p");

        assertThat(profile.kafkaProperties(n -> null))
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void bootstrapServersMayBeATemplate() {
        ConnectionProfile profile = profile("bootstrap.servers", "{{BROKERS}}");

        assertThat(profile.bootstrapServers()).isEqualTo("{{BROKERS}}");
        assertThat(profile.kafkaProperties(Map.of("BROKERS", "b1:9092,b2:9092")::get))
                .containsEntry("bootstrap.servers", "b1:9092,b2:9092");
    }

    @Test
    void noCredentialsMeansPlaintext() {
        assertThat(profile("bootstrap.servers", "localhost:9092").kafkaProperties(n -> null))
                .containsExactlyEntriesOf(
                        ordered(
                                "bootstrap.servers",
                                "localhost:9092",
                                "security.protocol",
                                "PLAINTEXT"));
    }

    @Test
    void tlsTrustSettingsBecomeKafkaSslProperties() {
        ConnectionProfile profile =
                profile(
                        "bootstrap.servers", "b:9093",
                        "auth.protocol", "SSL",
                        "ssl.truststore.location", "/etc/trust.p12",
                        "ssl.truststore.password", "{{TS_PW}}",
                        "ssl.truststore.type", "pkcs12");

        assertThat(profile.kafkaProperties(Map.of("TS_PW", "changeit")::get))
                .containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.location", "/etc/trust.p12")
                .containsEntry("ssl.truststore.password", "changeit")
                .containsEntry("ssl.truststore.type", "PKCS12");
    }

    @Test
    void clientPropertiesPassThroughResolvedAndWinOverDerivedOnes() {
        ConnectionProfile profile =
                profile(
                        "bootstrap.servers", "b:9092",
                        "properties.client.id", "{{APP}}-client",
                        "properties.security.protocol", "SSL");

        assertThat(profile.kafkaProperties(Map.of("APP", "orders")::get))
                .containsEntry("client.id", "orders-client")
                .containsEntry("security.protocol", "SSL");
    }

    @Test
    void jaasValuesAreEscapedSoKafkaReadsThemBack() {
        String awkward = "pa\"ss\\word\nend";
        ConnectionProfile profile =
                profile("bootstrap.servers", "b:9092", "key", "us\"er", "secret", "{{S}}");

        String jaas = profile.kafkaProperties(Map.of("S", awkward)::get).get("sasl.jaas.config");
        JaasContext context =
                JaasContext.loadClientContext(Map.of("sasl.jaas.config", new Password(jaas)));

        Map<String, ?> options = context.configurationEntries().get(0).getOptions();
        assertThat(options.get("username")).isEqualTo("us\"er");
        assertThat(options.get("password")).isEqualTo(awkward);
    }

    @Test
    void registryConfigKeepsEveryValueAsWritten() {
        ConnectionProfile profile =
                profile(
                        "bootstrap.servers", "b:9092",
                        "schema-registry.endpoint", "https://{{SR_HOST}}/",
                        "schema-registry.api-key", "{{SR_KEY}}",
                        "schema-registry.api-secret", "{{SR_SECRET}}",
                        "schema-registry.ssl.truststore.location", "/etc/sr.pem",
                        "schema-registry.ssl.truststore.type", "pem");

        SchemaRegistryConfig registry = profile.schemaRegistry().orElseThrow();

        assertThat(registry.urls()).containsExactly("https://{{SR_HOST}}");
        assertThat(registry.authType()).isEqualTo(SchemaRegistryConfig.AuthType.BASIC);
        assertThat(registry.username()).isEqualTo("{{SR_KEY}}");
        assertThat(registry.password()).isEqualTo("{{SR_SECRET}}");
        assertThat(registry.truststoreLocation()).isEqualTo("/etc/sr.pem");
        assertThat(registry.truststoreType()).isEqualTo("PEM");
    }

    @Test
    void registryWithoutCredentialsHasNoAuth() {
        SchemaRegistryConfig registry =
                profile("bootstrap.servers", "b:9092", "schema-registry.endpoint", "http://sr:8081")
                        .schemaRegistry()
                        .orElseThrow();

        assertThat(registry.authType()).isEqualTo(SchemaRegistryConfig.AuthType.NONE);
    }

    @Test
    void noEndpointMeansNoRegistry() {
        assertThat(profile("bootstrap.servers", "b:9092").schemaRegistry()).isEmpty();
    }

    @Test
    void missingBootstrapServersIsNamedWithTheValidFields() {
        assertThatThrownBy(() -> named("c", "key", "{{K}}", "secret", "{{S}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Connection profile 'c'")
                .hasMessageContaining("'bootstrap.servers' is missing")
                .hasMessageContaining("confluent.profiles.c.bootstrap.servers")
                .hasMessageContaining("schema-registry.api-secret");
    }

    @Test
    void unknownFieldIsNamedWithTheValidFields() {
        assertThatThrownBy(() -> named("c", "bootstrap.servers", "b:9092", "bootstrap.server", "x"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Connection profile 'c'")
                .hasMessageContaining("unknown field 'bootstrap.server'")
                .hasMessageContaining("confluent.profiles.c.bootstrap.server")
                .hasMessageContaining("Valid fields: bootstrap.servers, key, secret")
                .hasMessageContaining("properties.*");
    }

    @Test
    void keyWithoutSecretIsAnError() {
        assertThatThrownBy(() -> named("c", "bootstrap.servers", "b:9092", "key", "{{K}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Connection profile 'c'")
                .hasMessageContaining("'key' is set but 'secret' is missing");
    }

    @Test
    void secretWithoutKeyIsAnError() {
        assertThatThrownBy(() -> profile("bootstrap.servers", "b:9092", "secret", "{{S}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'secret' is set but 'key' is missing");
    }

    @Test
    void apiKeyAndAuthFieldsTogetherAreAnError() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "key", "k",
                                        "secret", "s",
                                        "auth.type", "sasl"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("either 'key'/'secret'")
                .hasMessageContaining("[auth.type]");
    }

    @Test
    void saslWithoutCredentialsListsTheMissingFields() {
        assertThatThrownBy(() -> profile("bootstrap.servers", "b:9092", "auth.type", "sasl"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("needs [auth.username, auth.password]");
    }

    @Test
    void unsupportedChoicesListTheValidValues() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "auth.type", "sasl",
                                        "auth.mechanism", "GSSAPI",
                                        "auth.username", "u",
                                        "auth.password", "p"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'auth.mechanism' is 'GSSAPI'")
                .hasMessageContaining("PLAIN, SCRAM-SHA-256, SCRAM-SHA-512");
        assertThatThrownBy(() -> profile("bootstrap.servers", "b:9092", "auth.type", "kerberos"))
                .hasMessageContaining("valid values: none, sasl");
        assertThatThrownBy(
                        () -> profile("bootstrap.servers", "b:9092", "auth.protocol", "SASL_SSL"))
                .hasMessageContaining("'auth.protocol' is 'SASL_SSL'")
                .hasMessageContaining("PLAINTEXT, SSL");
    }

    @Test
    void trustStoreOnAPlaintextConnectionIsAnError() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "ssl.truststore.location", "/t.jks"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("PLAINTEXT, which has no TLS")
                .hasMessageContaining("set 'auth.protocol' to SSL");
    }

    @Test
    void registryFieldsWithoutEndpointAndHalfCredentialsAreErrors() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers",
                                        "b:9092",
                                        "schema-registry.api-key",
                                        "k"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'schema-registry.endpoint' is not");
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "schema-registry.endpoint", "https://sr",
                                        "schema-registry.api-key", "k"))
                .hasMessageContaining("'schema-registry.api-secret' is missing");
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "schema-registry.endpoint", "sr:8081"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("must start with http:// or https://");
    }

    @Test
    void missingEnvironmentVariableIsNamedWithTheSetting() {
        ConnectionProfile profile =
                named(
                        "my_cluster",
                        "bootstrap.servers",
                        "b:9092",
                        "key",
                        "{{KAFKA_KEY}}",
                        "secret",
                        "{{KAFKA_SECRET}}");

        assertThatThrownBy(() -> profile.kafkaProperties(Map.of("KAFKA_KEY", "k")::get))
                .isInstanceOf(SecretTemplates.MissingSecretException.class)
                .hasMessageContaining("'KAFKA_SECRET'")
                .hasMessageContaining("'confluent.profiles.my_cluster.secret'");
    }

    @Test
    void templatesAreNotAcceptedInChoiceFields() {
        assertThatThrownBy(() -> profile("bootstrap.servers", "b:9092", "auth.type", "{{AUTH}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'auth.type' does not accept {{VAR}} templates");
    }

    @Test
    void javaSerializationKeepsTemplatesUnresolved() throws Exception {
        ConnectionProfile profile =
                named(
                        "c",
                        "bootstrap.servers",
                        "b:9092",
                        "key",
                        "{{K}}",
                        "secret",
                        "{{S}}",
                        "schema-registry.endpoint",
                        "https://sr",
                        "properties.client.id",
                        "x");

        byte[] bytes = serialize(profile);
        ConnectionProfile copy = deserialize(bytes);

        assertThat(copy).isEqualTo(profile);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("{{S}}");
        assertThat(copy.kafkaProperties(Map.of("K", "k2", "S", "s2")::get).get("sasl.jaas.config"))
                .contains("password=\"s2\"");
        assertThat(copy.schemaRegistry()).isEqualTo(profile.schemaRegistry());
    }

    static byte[] serialize(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }

    static ConnectionProfile deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (ConnectionProfile) in.readObject();
        }
    }

    private static Map<String, String> ordered(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
