package io.github.flinkconfluent.connector.profile;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The field table in docs/profiles.md cannot drift from the fields the code accepts. */
class ProfilesDocsTest {

    @Test
    void everyFieldHasARowInTheDocs() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "profiles.md"));

        for (ProfileField field : ProfileField.values()) {
            assertThat(docs).contains("| `" + field.key() + "` |");
        }
        assertThat(docs)
                .contains("| `properties.*` |")
                .contains(ConnectionProfiles.PROFILES_FILE.key());
    }
}
