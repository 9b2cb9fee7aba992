package io.github.flinkconfluent.connector.util;

import org.apache.flink.annotation.Internal;

import java.util.function.Supplier;

/**
 * Runs code with the connector's own class loader as the thread's context class loader.
 *
 * <p>kafka-clients resolves class-typed configuration defaults (for example {@code
 * sasl.oauthbearer.jwt.retriever.class}) through the context class loader, and Avro, Jackson and
 * {@link java.util.ServiceLoader} look things up there too. Inside a Flink task that loader is the
 * job's, which sees the connector. Outside a task it often does not: the SQL client and the SQL
 * Gateway load a jar given by {@code --jar} or {@code ADD JAR} in a class loader of their own,
 * while the thread that plans the query keeps another one as its context loader. Kafka's static
 * configuration definitions then fail once and for all ({@code ConfigException: Invalid value
 * ...DefaultJwtRetriever ... could not be found}, wrapped in an {@code
 * ExceptionInInitializerError}).
 *
 * <p>So every Kafka client, registry client, and Avro or Jackson object created outside a task
 * (planning checks, the catalog, the validate command, a builder's checks) is created through
 * {@link #call}. Threads started meanwhile (an HTTP client's selector, a Kafka network thread)
 * inherit the connector's loader rather than a job's, so they do not pin a job's class loader
 * either.
 */
@Internal
public final class ConnectorClassLoader {

    private static final ClassLoader CONNECTOR = ConnectorClassLoader.class.getClassLoader();

    private ConnectorClassLoader() {}

    /** Returns what {@code action} returns, computed with the connector's loader as context. */
    public static <T> T call(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        if (previous == CONNECTOR) {
            return action.get();
        }
        thread.setContextClassLoader(CONNECTOR);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Runs {@code action} with the connector's loader as context. */
    public static void run(Runnable action) {
        call(
                () -> {
                    action.run();
                    return null;
                });
    }

    /** The loader that loaded the connector (and, in the shaded jar, its dependencies). */
    public static ClassLoader get() {
        return CONNECTOR;
    }
}
