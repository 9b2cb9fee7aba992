package io.github.flinkconfluent.connector.profile;

import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The YAML profiles file format. */
class ProfilesFileTest {

    @TempDir Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("profiles.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void nestedMappingsJoinWithDotsAndListsWithCommas() throws IOException {
        Path file =
                write(
                        """
                        profiles:
                          local:
                            bootstrap.servers: [broker-1:9092, broker-2:9092]
                            schema-registry:
                              endpoint: http://localhost:8081
                            properties:
                              linger.ms: 5
                              enable.idempotence: true
                        """);

        assertThat(ProfilesFile.load(file))
                .containsOnlyKeys("local")
                .extractingByKey("local")
                .isEqualTo(
                        Map.of(
                                "bootstrap.servers", "broker-1:9092,broker-2:9092",
                                "schema-registry.endpoint", "http://localhost:8081",
                                "properties.linger.ms", "5",
                                "properties.enable.idempotence", "true"));
    }

    @Test
    void emptyFileHasNoProfiles() throws IOException {
        assertThat(ProfilesFile.load(write(""))).isEmpty();
    }

    @Test
    void unknownTopLevelKeyIsAnError() throws IOException {
        Path file = write("profile:\n  a:\n    bootstrap.servers: a:9092\n");

        assertThatThrownBy(() -> ProfilesFile.load(file))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("unknown top-level key 'profile'")
                .hasMessageContaining("'profiles'");
    }

    @Test
    void duplicateKeysAreAnError() throws IOException {
        Path file =
                write(
                        """
                        profiles:
                          a:
                            bootstrap.servers: a:9092
                            bootstrap.servers: b:9092
                        """);

        assertThatThrownBy(() -> ProfilesFile.load(file))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("not valid YAML at line 4");
    }

    @Test
    void sameFieldNestedAndDottedIsAnError() throws IOException {
        Path file =
                write(
                        """
                        profiles:
                          a:
                            schema-registry.endpoint: http://one
                            schema-registry:
                              endpoint: http://two
                        """);

        assertThatThrownBy(() -> ProfilesFile.load(file))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("profiles.a.schema-registry.endpoint is given twice");
    }

    @Test
    void fieldWithoutValueIsAnError() throws IOException {
        Path file = write("profiles:\n  a:\n    bootstrap.servers:\n");

        assertThatThrownBy(() -> ProfilesFile.load(file))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("profiles.a.bootstrap.servers has no value");
    }

    @Test
    void syntaxErrorsGiveThePositionButNotTheText() throws IOException {
        Path file =
                write(
                        """
                        profiles:
                          a:
                            secret: hunter2-very-secret: [
                        """);

        assertThatThrownBy(() -> ProfilesFile.load(file))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("not valid YAML at line 3")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void profileThatIsNotAMappingIsAnError() throws IOException {
        Path file = write("profiles:\n  a: pkc:9092\n");

        assertThatThrownBy(() -> ProfilesFile.load(file))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("profile 'a' must be a mapping of fields");
    }
}
