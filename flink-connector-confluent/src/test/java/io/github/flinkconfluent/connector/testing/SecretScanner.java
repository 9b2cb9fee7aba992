package io.github.flinkconfluent.connector.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Looks for secret values in text and files, in every form a leak could take: the value itself and
 * the HTTP basic {@code Authorization} value it becomes together with its user.
 *
 * <p>A secret is looked for without its last character, which also finds it in Kryo's encoding of
 * ASCII strings (the last byte carries a flag bit). A finding names the secret by its label and
 * where it was found, never the value or the text around it: a failing test must not print the
 * secret it caught.
 */
public final class SecretScanner {

    /** Label to the bytes to look for. */
    private final Map<String, byte[]> needles = new LinkedHashMap<>();

    private final List<String> findings = new CopyOnWriteArrayList<>();

    /** Adds a secret under {@code label} (e.g. the variable that holds it). */
    public SecretScanner secret(String label, String value) {
        if (value == null || value.length() < 6) {
            throw new IllegalArgumentException(label + " must be a secret of 6 characters or more");
        }
        // Without its last character: Kryo writes an ASCII string with the last byte's high bit
        // set, so the full value would not match its bytes in serialized state.
        needles.put(label, value.substring(0, value.length() - 1).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Adds the basic-auth header value of {@code user}:{@code password} under {@code label}. */
    public SecretScanner basicAuth(String label, String user, String password) {
        String encoded =
                Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        needles.put(label + " (basic auth header)", encoded.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Records a finding for every secret in {@code text}; {@code where} names the text. */
    public void scan(String where, String text) {
        if (text == null) {
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, byte[]> needle : needles.entrySet()) {
            if (indexOf(bytes, needle.getValue()) >= 0) {
                findings.add(needle.getKey() + " in " + where);
            }
        }
    }

    /** Scans the bytes of every regular file under {@code directory}. */
    public void scanFiles(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (java.nio.file.NoSuchFileException e) {
                    continue; // removed meanwhile (a subsumed checkpoint)
                }
                for (Map.Entry<String, byte[]> needle : needles.entrySet()) {
                    if (indexOf(bytes, needle.getValue()) >= 0) {
                        findings.add(needle.getKey() + " in file " + directory.relativize(file));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A sink for {@link LogCapture}: scans each log event's text. */
    public Consumer<String> logLines() {
        return line -> scan("a log line (" + firstWords(line) + ")", line);
    }

    /** What was found so far: labels and places, never values. */
    public List<String> findings() {
        return new ArrayList<>(findings);
    }

    public void clear() {
        findings.clear();
    }

    /** The level and logger of a log line: what precedes the message. */
    private static String firstWords(String line) {
        String[] words = line.split(" ", 3);
        return words.length >= 2 ? words[0] + " " + words[1] : "?";
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
