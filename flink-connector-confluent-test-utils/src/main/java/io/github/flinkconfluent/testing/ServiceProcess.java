package io.github.flinkconfluent.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * A real service (broker, registry) running in a JVM of its own, which a test can start, stop
 * gracefully, kill with SIGKILL and start again on the same ports and the same data.
 *
 * <p>Fault tests need exactly these four moves, so they live here once. Every launch goes through
 * {@link ParentWatchdog}, so no service outlives the JVM that started it; output goes to {@code
 * service.log} in the service's own directory under {@code target/test-services}.
 */
public abstract class ServiceProcess implements AutoCloseable {

    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);

    private final String name;
    private final Path directory;
    private final Path logFile;
    private Process process;
    private boolean prepared;
    private boolean paused;

    protected ServiceProcess(String name) {
        this.name = name;
        this.directory = TestServicesConfig.newServiceDirectory(name);
        this.logFile = directory.resolve("service.log");
    }

    /** Writes configuration and formats storage before the very first start. */
    protected abstract void prepare() throws IOException;

    /** The command after {@code java}, watchdog and classpath: JVM options then the main class. */
    protected abstract List<String> command();

    /** True once the service, launched at log offset {@code logOffset}, accepts requests. */
    protected abstract boolean isReady(long logOffset);

    /**
     * How long a start may take before it counts as failed: generous, because a start takes 4–10 s
     * alone but several times that on a 2-core machine shared with other builds, and a service that
     * dies is noticed at once anyway.
     */
    protected Duration startTimeout() {
        return Duration.ofSeconds(180);
    }

    /** Starts the service and waits until it is ready; does nothing when it already runs. */
    public final synchronized void start() {
        if (isRunning()) {
            return;
        }
        try {
            if (!prepared) {
                Files.createDirectories(directory);
                prepare();
                prepared = true;
            }
            long logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
            ProcessBuilder builder =
                    new ProcessBuilder(command())
                            .directory(directory.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            // Standard input stays a pipe that this JVM never closes: see ParentWatchdog.
            builder.redirectInput(ProcessBuilder.Redirect.PIPE);
            Process started = builder.start();
            process = started;
            Poll.until(
                    name + " to start (log: " + logFile + ")",
                    startTimeout(),
                    () -> {
                        if (!started.isAlive()) {
                            throw new IllegalStateException(
                                    name
                                            + " exited with status "
                                            + started.exitValue()
                                            + " while starting; last log lines:\n"
                                            + logTail(40));
                        }
                        return isReady(logOffset);
                    },
                    () -> logTail(40));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        } catch (RuntimeException | Error e) {
            destroyNow();
            throw e;
        }
    }

    /**
     * Starts several services at once and waits until all are ready: a test that needs a broker and
     * two registries waits about as long as the slowest start, not the sum. Throws the first
     * failure after every start has ended.
     */
    public static void startAll(ServiceProcess... services) {
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (ServiceProcess service : services) {
            starts.add(CompletableFuture.runAsync(service::start));
        }
        RuntimeException failure = null;
        for (CompletableFuture<Void> start : starts) {
            try {
                start.join();
            } catch (CompletionException e) {
                if (failure == null) {
                    failure =
                            e.getCause() instanceof RuntimeException runtime
                                    ? runtime
                                    : new IllegalStateException(e.getCause());
                } else {
                    failure.addSuppressed(e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops the service gracefully (SIGTERM), killing it if it takes longer than 20 s. */
    public final synchronized void stop() {
        if (process == null) {
            return;
        }
        resume(); // a stopped process would not act on SIGTERM
        process.destroy();
        try {
            if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                destroyNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroyNow();
        }
        process = null;
    }

    /** Kills the service with SIGKILL, as a crash would, and waits until it is gone. */
    public final synchronized void kill() {
        destroyNow();
        process = null;
        paused = false;
    }

    /**
     * Freezes the service with SIGSTOP: its sockets stay open but nothing answers, as with a long
     * GC pause or a hung host, which clients see as request timeouts rather than refused
     * connections. {@link #resume()} lets it go on.
     */
    public final synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** Lets a {@link #pause() paused} service go on (SIGCONT); does nothing when not paused. */
    public final synchronized void resume() {
        if (paused) {
            signal("CONT");
            paused = false;
        }
    }

    private void signal(String signal) {
        long pid = pid();
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
            if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException(
                        "kill -" + signal + " " + pid + " failed for " + name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not signal " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while signalling " + name, e);
        }
    }

    /** Stops the service gracefully and starts it again on the same ports and data. */
    public final synchronized void restart() {
        stop();
        start();
    }

    public final synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Process id of the running service; for tests that check nothing is left behind. */
    public final synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return process.pid();
    }

    public final Path directory() {
        return directory;
    }

    public final Path logFile() {
        return logFile;
    }

    public final String name() {
        return name;
    }

    @Override
    public void close() {
        stop();
    }

    /** The last {@code lines} lines of the service log, for failure messages. */
    public final String logTail(int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "(no log yet)";
            }
            List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** True if the log, from byte {@code offset} on, contains {@code marker}. */
    protected final boolean logContainsSince(long offset, String marker) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            if (length <= offset) {
                return false;
            }
            file.seek(offset);
            byte[] bytes = new byte[(int) Math.min(length - offset, 64L * 1024 * 1024)];
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).contains(marker);
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code java [jvmArgs] -cp <watchdog>:<classpath> ParentWatchdog <mainAndArgs>}. */
    protected static List<String> javaCommand(
            Path javaHome, List<String> jvmArgs, String classpath, List<String> mainAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(watchdogClasspath() + java.io.File.pathSeparator + classpath);
        command.add(ParentWatchdog.class.getName());
        command.addAll(mainAndArgs);
        return command;
    }

    private static String watchdogClasspath() {
        try {
            return Path.of(
                            ParentWatchdog.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the ParentWatchdog class", e);
        }
    }

    private void destroyNow() {
        Process current = process;
        if (current == null) {
            return;
        }
        current.destroyForcibly();
        try {
            current.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
