package io.github.flinkconfluent.connector.format.fuzz;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed regression corpus holds exactly the seeds {@link FuzzSeeds} generates (byte for
 * byte), so that a seed changed in code cannot silently stop being replayed. Rerun {@link
 * FuzzSeeds#main} after changing a seed or a table.
 */
class FuzzSeedsTest {

    @Test
    void committedSeedsAreTheGeneratedOnes() throws IOException {
        for (Map.Entry<String, Map<String, byte[]>> target : FuzzSeeds.all().entrySet()) {
            Path dir = FuzzSeeds.INPUTS.resolve(target.getKey());
            for (Map.Entry<String, byte[]> seed : target.getValue().entrySet()) {
                Path file = dir.resolve("seed-" + seed.getKey());
                assertThat(file).as("run FuzzSeeds.main to write " + file).exists();
                assertThat(Files.readAllBytes(file))
                        .as("run FuzzSeeds.main to rewrite " + file)
                        .isEqualTo(seed.getValue());
            }
            Set<String> generated =
                    target.getValue().keySet().stream()
                            .map(name -> "seed-" + name)
                            .collect(Collectors.toSet());
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(
                                files.map(file -> file.getFileName().toString())
                                        .filter(name -> name.startsWith("seed-")))
                        .as("seeds in " + dir + " that FuzzSeeds no longer generates")
                        .allMatch(generated::contains);
            }
        }
    }
}
