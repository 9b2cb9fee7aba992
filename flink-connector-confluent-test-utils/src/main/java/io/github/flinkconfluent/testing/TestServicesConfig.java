package io.github.flinkconfluent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the test services come from on this machine.
 *
 * <p>The build writes the broker classpath and the unpacked registry location into {@code
 * test-services.properties} (resource filtering in this module's pom), so tests never download or
 * resolve anything themselves. Each value can be overridden with a system property of the same name
 * prefixed by {@code confluent.test.}, e.g. to run a test from an IDE against another registry
 * distribution.
 */
final class TestServicesConfig {

    private static final String RESOURCE = "test-services.properties";
    private static final Properties PROPERTIES = load();
    private static final AtomicInteger DIRECTORY_COUNTER = new AtomicInteger();
    private static final String RUN_ID =
            LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + "-"
                    + ProcessHandle.current().pid();

    private TestServicesConfig() {}

    static String kafkaBrokerClasspath() {
        return value("kafka.broker.classpath");
    }

    static Path apicurioHome() {
        Path home = Path.of(value("apicurio.home"));
        if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(
                    "The Apicurio Registry distribution is missing at "
                            + home
                            + ". Build the test-utils module first (./mvnw -pl"
                            + " flink-connector-confluent-test-utils install), which fetches"
                            + " io.apicurio:apicurio-registry-app:tar.gz:all from Maven Central.");
        }
        return home;
    }

    static String apicurioVersion() {
        return value("apicurio.version");
    }

    /** The JDK that runs the current JVM: the broker runs on the same one. */
    static Path currentJavaHome() {
        return Path.of(System.getProperty("java.home"));
    }

    /**
     * A fresh directory for one service under {@code target/test-services} of the module whose
     * tests run (the working directory of Surefire and Failsafe), or under {@code
     * confluent.test.services.dir}.
     */
    static Path newServiceDirectory(String serviceName) {
        String root = System.getProperty("confluent.test.services.dir", "target/test-services");
        Path dir =
                Path.of(root)
                        .toAbsolutePath()
                        .resolve(
                                serviceName
                                        + "-"
                                        + RUN_ID
                                        + "-"
                                        + DIRECTORY_COUNTER.incrementAndGet());
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }

    private static String value(String key) {
        String value = System.getProperty("confluent.test." + key, PROPERTIES.getProperty(key));
        if (value == null || value.isBlank() || value.contains("${")) {
            throw new IllegalStateException(
                    "Test service setting '"
                            + key
                            + "' is not set. It is written by the Maven build of"
                            + " flink-connector-confluent-test-utils; run the tests through"
                            + " ./mvnw, or pass -Dconfluent.test."
                            + key
                            + "=...");
        }
        return value;
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = TestServicesConfig.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        return properties;
    }
}
