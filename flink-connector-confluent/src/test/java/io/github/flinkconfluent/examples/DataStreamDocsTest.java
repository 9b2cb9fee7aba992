package io.github.flinkconfluent.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java snippets of {@code docs/datastream.md} are the compiled example classes of this package:
 * each code block that follows a {@code <!-- snippet: File.java#name -->} line must equal the
 * region between {@code // [START name]} and {@code // [END name]} of that file (indentation
 * removed), so the documentation cannot show code that does not build.
 */
class DataStreamDocsTest {

    private static final Path DOC = Path.of("..", "docs", "datastream.md");
    private static final Path EXAMPLES =
            Path.of("src", "test", "java", "io", "github", "flinkconfluent", "examples");
    private static final Pattern SNIPPET =
            Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->\\n```java\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everySnippetIsItsExampleRegion() throws IOException {
        String doc = Files.readString(DOC);
        Matcher m = SNIPPET.matcher(doc);
        int snippets = 0;
        while (m.find()) {
            snippets++;
            String expected = region(EXAMPLES.resolve(m.group(1)), m.group(2));
            assertThat(m.group(3))
                    .as(
                            "the snippet %s#%s of %s; replace its code block with the region of"
                                    + " the example file",
                            m.group(1), m.group(2), DOC)
                    .isEqualTo(expected);
        }
        assertThat(snippets).as("snippets in " + DOC).isGreaterThanOrEqualTo(6);
        assertThat(doc.split("<!-- snippet: ", -1).length - 1)
                .as("snippet markers followed by a java code block")
                .isEqualTo(snippets);
    }

    /** The lines between the markers of {@code name}, without their common indentation. */
    static String region(Path file, String name) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int start = lines.indexOf(indentOf(lines, "// [START " + name + "]"));
        int end = lines.indexOf(indentOf(lines, "// [END " + name + "]"));
        assertThat(start).as("[START %s] in %s", name, file).isNotNegative();
        assertThat(end).as("[END %s] in %s", name, file).isGreaterThan(start);
        List<String> body = new ArrayList<>(lines.subList(start + 1, end));
        int indent =
                body.stream()
                        .filter(l -> !l.isBlank())
                        .mapToInt(l -> l.length() - l.stripLeading().length())
                        .min()
                        .orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : body) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    private static String indentOf(List<String> lines, String marker) {
        return lines.stream().filter(l -> l.strip().equals(marker)).findFirst().orElse(marker);
    }
}
