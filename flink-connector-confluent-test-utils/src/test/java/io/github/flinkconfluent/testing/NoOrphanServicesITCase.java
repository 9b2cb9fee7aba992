package io.github.flinkconfluent.testing;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A JVM killed with SIGKILL cannot run shutdown hooks; the services it started must die anyway. */
class NoOrphanServicesITCase {

    @Test
    void servicesDieWhenTheirJvmIsKilled() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process probe =
                new ProcessBuilder(
                                java.toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                "-Dconfluent.test.services.dir=target/test-services/orphan-probe",
                                OrphanProbe.class.getName())
                        .redirectErrorStream(true)
                        .start();
        long kafkaPid;
        long registryPid;
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.startsWith("PIDS ")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("probe output:\n%s", seen).isNotNull();
            String[] pids = line.split(" ");
            kafkaPid = Long.parseLong(pids[1]);
            registryPid = Long.parseLong(pids[2]);

            assertThat(isAlive(kafkaPid)).isTrue();
            assertThat(isAlive(registryPid)).isTrue();

            probe.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(probe.waitFor(120, TimeUnit.SECONDS)).isTrue();
        } finally {
            probe.destroyForcibly();
        }

        for (long pid : List.of(kafkaPid, registryPid)) {
            Poll.until(
                    "service pid " + pid + " to exit after its JVM was killed",
                    Duration.ofSeconds(120),
                    () -> !isAlive(pid));
        }
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
