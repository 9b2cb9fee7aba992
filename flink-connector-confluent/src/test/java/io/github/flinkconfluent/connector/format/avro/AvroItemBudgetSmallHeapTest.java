package io.github.flinkconfluent.connector.format.avro;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile records (the issue's, and one of 1 MiB) under a 256 MiB heap, through every Avro decoding
 * path with the default item budget: each is the per-record error, and the JVM survives. Without a
 * per-record budget the first one needs gigabytes (a billion array slots) and the JVM dies of
 * {@link OutOfMemoryError}. The decoding runs in a JVM of its own ({@link HostileAvroDecoding}) so
 * that the heap is small whatever the test JVM's is, and so that a failure cannot take the test JVM
 * down with it.
 */
class AvroItemBudgetSmallHeapTest {

    @Test
    void hostileRecordsAreRejectedWithinA256MiBHeap() throws Exception {
        String java =
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        Process child =
                new ProcessBuilder(
                                List.of(
                                        java,
                                        "-Xmx256m",
                                        "-XX:+ExitOnOutOfMemoryError",
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        HostileAvroDecoding.class.getName()))
                        .redirectErrorStream(true)
                        .start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = child.waitFor();

        assertThat(exit).as(output).isZero();
        assertThat(output)
                .contains("max heap")
                .contains("all as expected")
                .doesNotContain("OutOfMemoryError");
        assertThat(output.lines().filter(line -> line.endsWith(": LIMIT_EXCEEDED")))
                .as(output)
                .hasSize(28);
    }
}
