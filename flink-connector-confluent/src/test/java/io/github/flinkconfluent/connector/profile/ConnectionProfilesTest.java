package io.github.flinkconfluent.connector.profile;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where profiles come from: Flink configuration, the profiles file, inline table options. */
class ConnectionProfilesTest {

    private static final Map<String, String> NO_TABLE_OPTIONS = Map.of();

    @TempDir Path dir;

    static Configuration config(String... keyValues) {
        Configuration config = new Configuration();
        for (int i = 0; i < keyValues.length; i += 2) {
            config.setString(keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    private Path profilesFile(String yaml) throws IOException {
        Path file = dir.resolve("profiles.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void resolvesANamedProfileFromFlinkConfiguration() {
        Configuration config =
                config(
                        "confluent.profiles.my_cluster.bootstrap.servers", "pkc-1:9092",
                        "confluent.profiles.my_cluster.key", "{{KAFKA_KEY}}",
                        "confluent.profiles.my_cluster.secret", "{{KAFKA_SECRET}}",
                        "confluent.profiles.other.bootstrap.servers", "other:9092");

        ConnectionProfile profile =
                ConnectionProfiles.resolve("my_cluster", config, NO_TABLE_OPTIONS);

        assertThat(profile.name()).isEqualTo("my_cluster");
        assertThat(profile.bootstrapServers()).isEqualTo("pkc-1:9092");
        assertThat(profile.origin().kind()).isEqualTo(ProfileOrigin.Kind.FLINK_CONFIG);
        assertThat(profile.kafkaProperties(Map.of("KAFKA_KEY", "k", "KAFKA_SECRET", "s")::get))
                .containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void resolvesANamedProfileFromTheProfilesFile() throws IOException {
        Path file =
                profilesFile(
                        """
                        profiles:
                          my_cluster:
                            bootstrap.servers: pkc-xxx:9092
                            key: '{{KAFKA_KEY}}'
                            secret: '{{KAFKA_SECRET}}'
                            schema-registry.endpoint: https://psrc-xxx
                            schema-registry.api-key: '{{SR_KEY}}'
                            schema-registry.api-secret: '{{SR_SECRET}}'
                        """);

        ConnectionProfile profile =
                ConnectionProfiles.resolve(
                        "my_cluster",
                        config("confluent.profiles-file", file.toString()),
                        NO_TABLE_OPTIONS);

        assertThat(profile.origin().kind()).isEqualTo(ProfileOrigin.Kind.FILE);
        assertThat(profile.bootstrapServers()).isEqualTo("pkc-xxx:9092");
        assertThat(profile.schemaRegistry())
                .get()
                .extracting(r -> r.username())
                .isEqualTo("{{SR_KEY}}");
    }

    @Test
    void flinkConfigurationWinsOverTheFileWithoutMixingFields() throws IOException {
        Path file =
                profilesFile(
                        """
                        profiles:
                          my_cluster:
                            bootstrap.servers: from-file:9092
                            schema-registry.endpoint: https://from-file
                        """);
        Configuration config =
                config(
                        "confluent.profiles-file",
                        file.toString(),
                        "confluent.profiles.my_cluster.bootstrap.servers",
                        "from-config:9092");

        ConnectionProfile profile =
                ConnectionProfiles.resolve("my_cluster", config, NO_TABLE_OPTIONS);

        assertThat(profile.bootstrapServers()).isEqualTo("from-config:9092");
        assertThat(profile.schemaRegistry())
                .as("the file's profile of the same name is ignored as a whole")
                .isEmpty();
    }

    @Test
    void theFileIsNotReadWhenFlinkConfigurationDefinesTheProfile() {
        Configuration config =
                config(
                        "confluent.profiles-file",
                        dir.resolve("absent.yaml").toString(),
                        "confluent.profiles.a.bootstrap.servers",
                        "a:9092");

        assertThat(ConnectionProfiles.resolve("a", config, NO_TABLE_OPTIONS).bootstrapServers())
                .isEqualTo("a:9092");
    }

    @Test
    void resolvesAnInlineProfileFromTableOptionsIgnoringOtherOptions() {
        Map<String, String> options =
                Map.of(
                        "connector", "confluent",
                        "topic", "orders",
                        "bootstrap.servers", "localhost:9092",
                        "properties.client.id", "me");

        ConnectionProfile profile = ConnectionProfiles.resolve(null, new Configuration(), options);

        assertThat(profile.name()).isEqualTo("inline");
        assertThat(profile.origin().kind()).isEqualTo(ProfileOrigin.Kind.INLINE);
        assertThat(profile.kafkaProperties(name -> null))
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "bootstrap.servers", "localhost:9092",
                                "security.protocol", "PLAINTEXT",
                                "client.id", "me"));
    }

    @Test
    void inlineOptionKeysAreTheProfileFields() {
        assertThat(ConnectionProfiles.inlineOptionKeys())
                .contains("bootstrap.servers", "key", "secret", "schema-registry.endpoint")
                .noneMatch(k -> k.startsWith("properties."))
                .hasSize(ProfileField.values().length);
        assertThatThrownBy(() -> ConnectionProfiles.inlineOptionKeys().add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void tablePropertiesAreAddedToANamedProfileAndWin() {
        Configuration config =
                config(
                        "confluent.profiles.a.bootstrap.servers", "a:9092",
                        "confluent.profiles.a.properties.linger.ms", "5",
                        "confluent.profiles.a.properties.client.id", "profile");

        ConnectionProfile profile =
                ConnectionProfiles.resolve(
                        "a", config, Map.of("topic", "t", "properties.client.id", "table"));

        assertThat(profile.kafkaProperties(name -> null))
                .containsEntry("linger.ms", "5")
                .containsEntry("client.id", "table");
    }

    @Test
    void aNamedProfileRejectsInlineConnectionOptions() {
        Configuration config = config("confluent.profiles.a.bootstrap.servers", "a:9092");

        assertThatThrownBy(
                        () ->
                                ConnectionProfiles.resolve(
                                        "a", config, Map.of("bootstrap.servers", "b:9092")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("connection profile 'a'")
                .hasMessageContaining("[bootstrap.servers]");
    }

    @Test
    void missingProfileSaysWhereItLookedWhenNoFileIsConfigured() {
        Configuration config = config("confluent.profiles.other.bootstrap.servers", "o:9092");

        assertThatThrownBy(() -> ConnectionProfiles.resolve("my_cluster", config, NO_TABLE_OPTIONS))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Connection profile 'my_cluster' not found")
                .hasMessageContaining("'confluent.profiles.my_cluster.*'")
                .hasMessageContaining("profiles defined there: [other]")
                .hasMessageContaining("'confluent.profiles-file' is not set");
    }

    @Test
    void missingProfileNamesTheFileAndItsProfiles() throws IOException {
        Path file =
                profilesFile(
                        """
                        profiles:
                          prod: {bootstrap.servers: 'p:9092'}
                          dev: {bootstrap.servers: 'd:9092'}
                        """);

        assertThatThrownBy(
                        () ->
                                ConnectionProfiles.resolve(
                                        "staging",
                                        config("confluent.profiles-file", file.toString()),
                                        NO_TABLE_OPTIONS))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'staging' not found")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("profiles there: [dev, prod]");
    }

    @Test
    void missingProfilesFileIsNamed() {
        Path absent = dir.resolve("nope.yaml");

        assertThatThrownBy(
                        () ->
                                ConnectionProfiles.resolve(
                                        "a",
                                        config("confluent.profiles-file", absent.toString()),
                                        NO_TABLE_OPTIONS))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(absent.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void tableWithoutProfileOrBootstrapServersIsAnError() {
        assertThatThrownBy(
                        () ->
                                ConnectionProfiles.resolve(
                                        null, new Configuration(), Map.of("topic", "t")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'connection_profile'")
                .hasMessageContaining("'bootstrap.servers'");
    }

    @Test
    void profileNamesWithDotsAreRejected() {
        assertThatThrownBy(
                        () ->
                                ConnectionProfiles.resolve(
                                        "a.b", new Configuration(), NO_TABLE_OPTIONS))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'a.b'")
                .hasMessageContaining("without dots");
    }
}
