package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.profile.ProfileField;

import org.apache.flink.configuration.ConfigOption;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/source.md and docs/sink.md cannot drift from the options the table factory accepts. */
class TableOptionsDocsTest {

    @Test
    void everyTableOptionHasARowInTheDocs() throws IOException {
        String docs =
                Files.readString(Path.of("..", "docs", "source.md"))
                        + Files.readString(Path.of("..", "docs", "sink.md"));
        ConfluentDynamicTableFactory factory = new ConfluentDynamicTableFactory();
        Set<ConfigOption<?>> options = new HashSet<>(factory.requiredOptions());
        options.addAll(factory.optionalOptions());

        assertThat(options).hasSizeGreaterThan(30);
        for (ConfigOption<?> option : options) {
            if (ProfileField.of(option.key()).isPresent()) {
                continue; // inline connection fields: docs/profiles.md, checked there
            }
            assertThat(docs).as(option.key()).contains("`" + option.key() + "`");
        }
        for (ReadableMetadata metadata : ReadableMetadata.values()) {
            assertThat(docs).contains("| `" + metadata.key() + "` |");
        }
        for (WritableMetadata metadata : WritableMetadata.values()) {
            assertThat(docs).contains("| `" + metadata.key() + "` |");
        }
        String changelog = Files.readString(Path.of("..", "docs", "changelog.md"));
        for (DebeziumMetadata metadata : DebeziumMetadata.values()) {
            assertThat(changelog).contains("| `" + metadata.key() + "` |");
        }
    }
}
