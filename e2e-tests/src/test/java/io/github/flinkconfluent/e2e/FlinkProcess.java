package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.testing.ServiceProcess;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JobManager or TaskManager of a {@link FlinkCluster}, in its own JVM, started the way Flink's
 * own scripts start it: memory settings from {@code BashJavaUtils}, Flink's Java 17 module options,
 * the configuration directory, and the dynamic properties {@code BashJavaUtils} derives.
 */
final class FlinkProcess extends ServiceProcess {

    /** What flink-dist's config.yaml passes to every Flink JVM on Java 17. */
    static final List<String> JAVA_17_OPTIONS =
            List.of(
                    "-XX:+IgnoreUnrecognizedVMOptions",
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final FlinkCluster cluster;
    private final String mainClass;
    private final String resourceParams;
    private final String readyMarker;

    FlinkProcess(
            String name,
            FlinkCluster cluster,
            String mainClass,
            String resourceParams,
            String readyMarker) {
        super(name);
        this.cluster = cluster;
        this.mainClass = mainClass;
        this.resourceParams = resourceParams;
        this.readyMarker = readyMarker;
    }

    @Override
    protected void prepare() {}

    @Override
    protected List<String> command() {
        List<String> results = bashJavaUtils();
        List<String> jvm = new ArrayList<>();
        jvm.addAll(Arrays.asList(results.get(0).trim().split("\\s+")));
        jvm.addAll(JAVA_17_OPTIONS);
        jvm.addAll(
                cluster.javaOptions(
                        resourceParams.equals("GET_TM_RESOURCE_PARAMS")
                                ? "taskmanager"
                                : "jobmanager"));
        jvm.add("-Dlog4j.configurationFile=file:" + cluster.confDir().resolve("log4j.properties"));
        jvm.add("-Dlog.file=" + logFile());
        List<String> main = new ArrayList<>();
        main.add(mainClass);
        main.add("--configDir");
        main.add(cluster.confDir().toString());
        for (String token : results.get(1).trim().split("\\s+")) {
            if (!token.isEmpty()) {
                main.add(token);
            }
        }
        return javaCommand(cluster.javaHome(), jvm, cluster.classpath(), main);
    }

    /** Runs Flink's own resource calculation: JVM memory options, then dynamic properties. */
    private List<String> bashJavaUtils() {
        try {
            Process process =
                    new ProcessBuilder(
                                    cluster.javaHome().resolve("bin/java").toString(),
                                    "-cp",
                                    cluster.classpath(),
                                    "org.apache.flink.runtime.util.bash.BashJavaUtils",
                                    resourceParams,
                                    "--configDir",
                                    cluster.confDir().toString())
                            .redirectErrorStream(true)
                            .start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("BashJavaUtils failed:\n" + output);
            }
            List<String> results = new ArrayList<>();
            for (String line : output.split("\n")) {
                if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                    results.add(line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()));
                }
            }
            if (results.size() < 2) {
                throw new IllegalStateException("Unexpected BashJavaUtils output:\n" + output);
            }
            return results;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected boolean isReady(long logOffset) {
        return logContainsSince(logOffset, readyMarker);
    }

    @Override
    protected Duration startTimeout() {
        return Duration.ofSeconds(120);
    }
}
