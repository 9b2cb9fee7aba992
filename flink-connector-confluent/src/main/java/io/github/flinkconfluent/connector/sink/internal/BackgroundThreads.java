package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The sink's helper threads (commit markers, checks after commits): one daemon thread per use,
 * named for thread dumps, so that work off the task thread never keeps a TaskManager's JVM alive.
 */
@Internal
final class BackgroundThreads {

    private BackgroundThreads() {}

    /** An executor on one daemon thread called {@code name}. */
    static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(
                runnable -> {
                    Thread thread = new Thread(runnable, name);
                    thread.setDaemon(true);
                    return thread;
                });
    }
}
