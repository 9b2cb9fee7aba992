package io.github.flinkconfluent.testing;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unique topic and subject names for one test, so tests that share a broker and a registry never
 * see each other's data.
 *
 * <p>Names carry the test's name (readable in broker and registry logs) and a per-JVM counter.
 */
public final class TestNames {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String prefix;

    public TestNames(String testName) {
        String cleaned =
                testName.replaceAll("[^A-Za-z0-9._-]+", "-")
                        .replaceAll("-+", "-")
                        .replaceAll("^-|-$", "")
                        .toLowerCase(Locale.ROOT);
        this.prefix = cleaned.length() > 120 ? cleaned.substring(0, 120) : cleaned;
    }

    /** A topic name used by no other call in this JVM, e.g. {@code mytest-orders-7}. */
    public String topic(String role) {
        return prefix + "-" + role + "-" + COUNTER.incrementAndGet();
    }

    /** The value subject of {@code topic} under the default TopicNameStrategy. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    /** The key subject of {@code topic} under the default TopicNameStrategy. */
    public static String keySubject(String topic) {
        return topic + "-key";
    }
}
