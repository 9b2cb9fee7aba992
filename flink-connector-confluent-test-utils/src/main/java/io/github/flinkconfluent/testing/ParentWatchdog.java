package io.github.flinkconfluent.testing;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Main class placed in front of a service's real main class so the service dies with the JVM that
 * started it.
 *
 * <p>A JVM shutdown hook cannot run when the test JVM is killed with {@code kill -9} (or when
 * Surefire gives up on a hung fork), and an orphaned broker or registry would then keep its ports
 * and memory on a shared machine. The parent keeps the write end of this process's standard input
 * open for as long as it lives; the operating system closes it whatever way the parent ends, and
 * this watchdog halts the service as soon as it reads end-of-file.
 *
 * <p>Usage: {@code java -cp <this>:<service classpath> ParentWatchdog <real main class> [args]}.
 */
public final class ParentWatchdog {

    /** Exit status of a service halted because its parent went away. */
    static final int PARENT_GONE_EXIT_CODE = 86;

    private ParentWatchdog() {}

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: ParentWatchdog <main class> [args...]");
        }
        Thread watcher = new Thread(ParentWatchdog::haltWhenStdinCloses, "parent-watchdog");
        watcher.setDaemon(true);
        watcher.start();

        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void haltWhenStdinCloses() {
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // The parent never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end-of-file: the parent is gone.
        }
        Runtime.getRuntime().halt(PARENT_GONE_EXIT_CODE);
    }
}
