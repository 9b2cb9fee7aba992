package io.github.flinkconfluent.connector.profile;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.TableConfig;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code SET 'confluent.profiles-file'} must not let a SQL session make the connector read any YAML
 * file of the host (and tell from the error which exist): a session may only name a file in the
 * directory the operator allows ({@code confluent.profiles-file-directory}).
 */
class ProfilesFileRestrictionTest {

    private static final String PROFILE = "profiles:\n  team:\n    bootstrap.servers: t:9092\n";

    @TempDir Path dir;

    private Path allowed;
    private Path elsewhere;

    @BeforeEach
    void files() throws IOException {
        allowed = Files.createDirectories(dir.resolve("allowed"));
        elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Files.writeString(allowed.resolve("team.yaml"), PROFILE);
        Files.writeString(elsewhere.resolve("team.yaml"), PROFILE);
        // Not a profiles file: the connector must not even try to parse it for a session.
        Files.writeString(elsewhere.resolve("private.yaml"), "database:\n  password: hunter2\n");
    }

    private static TableConfig sqlConfig(
            Map<String, String> operator, Map<String, String> session) {
        TableConfig config = TableConfig.getDefault();
        config.setRootConfiguration(Configuration.fromMap(operator));
        config.addConfiguration(Configuration.fromMap(operator));
        session.forEach(config::set);
        return config;
    }

    private static ConnectionProfile team(TableConfig config) {
        return ConnectionProfiles.resolveForSql("team", config, Map.of());
    }

    private Map<String, String> withDirectory() {
        Map<String, String> operator = new HashMap<>();
        operator.put("confluent.profiles-file-directory", allowed.toString());
        return operator;
    }

    @Test
    void theFileTheOperatorNamedIsRead() {
        String file = elsewhere.resolve("team.yaml").toString();

        assertThat(team(sqlConfig(Map.of("confluent.profiles-file", file), Map.of())).origin())
                .hasToString("profiles file " + file);
    }

    @Test
    void aFileTheSessionNamedIsRefusedWithoutAnAllowedDirectory() {
        String file = elsewhere.resolve("private.yaml").toString();

        assertThatThrownBy(() -> team(sqlConfig(Map.of(), Map.of("confluent.profiles-file", file))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'" + file + "' is named by this SQL session")
                .hasMessageContaining("confluent.profiles-file-directory")
                .hasMessageNotContaining("YAML")
                .hasMessageNotContaining("database");
    }

    @Test
    void aFileTheSessionNamedInTheAllowedDirectoryIsRead() {
        ConnectionProfile byName =
                team(sqlConfig(withDirectory(), Map.of("confluent.profiles-file", "team.yaml")));
        ConnectionProfile byPath =
                team(
                        sqlConfig(
                                withDirectory(),
                                Map.of(
                                        "confluent.profiles-file",
                                        allowed.resolve("team.yaml").toString())));

        assertThat(byName.bootstrapServers()).isEqualTo("t:9092");
        assertThat(byName.origin()).hasToString("profiles file " + allowed.resolve("team.yaml"));
        assertThat(byPath.bootstrapServers()).isEqualTo("t:9092");
    }

    @Test
    void filesOutsideTheAllowedDirectoryAreRefusedWhetherTheyExistOrNot() throws IOException {
        Files.createSymbolicLink(allowed.resolve("link.yaml"), elsewhere.resolve("team.yaml"));
        for (String file :
                new String[] {
                    elsewhere.resolve("private.yaml").toString(),
                    elsewhere.resolve("absent.yaml").toString(),
                    "../elsewhere/private.yaml",
                    "link.yaml"
                }) {
            assertThatThrownBy(
                            () ->
                                    team(
                                            sqlConfig(
                                                    withDirectory(),
                                                    Map.of("confluent.profiles-file", file))))
                    .as(file)
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("is not in the directory the operator allows")
                    .hasMessageNotContaining("does not exist")
                    .hasMessageNotContaining("database");
        }
    }

    @Test
    void aSessionCannotSetTheAllowedDirectory() {
        Map<String, String> session = new HashMap<>();
        session.put("confluent.profiles-file-directory", elsewhere.toString());
        session.put("confluent.profiles-file", elsewhere.resolve("team.yaml").toString());

        assertThatThrownBy(() -> team(sqlConfig(Map.of(), session)))
                .hasMessageContaining("is named by this SQL session");
    }

    @Test
    void programsMayNameAnyFile() {
        Configuration config = new Configuration();
        config.set(ConnectionProfiles.PROFILES_FILE, elsewhere.resolve("team.yaml").toString());

        assertThat(ConnectionProfiles.resolve("team", config, Map.of()).bootstrapServers())
                .isEqualTo("t:9092");
    }
}
