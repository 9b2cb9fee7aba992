package io.github.flinkconfluent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a JDK of a given major version on this machine.
 *
 * <p>The project builds and runs on Java 17, but Apicurio Registry 3.x is compiled for Java 21, so
 * the registry needs a second runtime. Machines of this kind ship one under {@code /usr/lib/jvm};
 * {@code REGISTRY_JAVA_HOME} (or {@code -Dconfluent.test.registry.java.home}) picks another.
 */
public final class JavaRuntimes {

    private static final Pattern JAVA_VERSION =
            Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE);

    private JavaRuntimes() {}

    /** The newest JDK with major version {@code >= minimumMajor}, or a clear error. */
    public static Path findAtLeast(int minimumMajor) {
        Set<Path> candidates = candidates();
        return candidates.stream()
                .filter(home -> majorVersion(home).orElse(0) >= minimumMajor)
                .max(Comparator.comparingInt(home -> majorVersion(home).orElse(0)))
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "The Schema Registry used by the tests (Apicurio "
                                                + "Registry) needs Java "
                                                + minimumMajor
                                                + " or newer, and none was found among "
                                                + candidates
                                                + ". Install one (for example Temurin 21+ under"
                                                + " /usr/lib/jvm, or the Debian package"
                                                + " openjdk-21-jre-headless where available) or"
                                                + " set REGISTRY_JAVA_HOME to its home"
                                                + " directory."));
    }

    /** The major version of the JDK at {@code home}, read from its {@code release} file. */
    static Optional<Integer> majorVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
            return Optional.empty();
        }
        try {
            Matcher matcher =
                    JAVA_VERSION.matcher(Files.readString(release, StandardCharsets.UTF_8));
            if (!matcher.find()) {
                return Optional.empty();
            }
            int major = Integer.parseInt(matcher.group(1));
            // Java 8 and older report "1.8"; they are below any minimum asked for here.
            return Optional.of(major == 1 ? 8 : major);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Set<Path> candidates() {
        Set<Path> homes = new LinkedHashSet<>();
        addIfSet(homes, System.getProperty("confluent.test.registry.java.home"));
        addIfSet(homes, System.getenv("REGISTRY_JAVA_HOME"));
        addIfSet(homes, System.getProperty("java.home"));
        addIfSet(homes, System.getenv("JAVA_HOME"));
        List<Path> roots = new ArrayList<>();
        roots.add(Path.of("/usr/lib/jvm"));
        roots.add(Path.of("/opt/java"));
        roots.add(Path.of("/opt"));
        String userHome = System.getProperty("user.home");
        if (userHome != null) {
            roots.add(Path.of(userHome, ".sdkman", "candidates", "java"));
            roots.add(Path.of(userHome, ".jdks"));
        }
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> children = Files.list(root)) {
                children.sorted().forEach(homes::add);
            } catch (IOException e) {
                // An unreadable directory holds no usable JDK.
            }
        }
        return homes;
    }

    private static void addIfSet(Set<Path> homes, String home) {
        if (home != null && !home.isBlank()) {
            homes.add(Path.of(home));
        }
    }
}
