package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.annotation.VisibleForTesting;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One caching client per registry configuration and JVM, shared while anyone holds it.
 *
 * <p>All sources, sinks and formats of a TaskManager that talk to the same registry share one HTTP
 * connection pool and one cache, so a schema id is fetched once per JVM rather than once per
 * parallel subtask.
 *
 * <p>Sharing is reference-counted: {@link #shared} hands out a handle, and closing the last handle
 * of a configuration closes the client and forgets it. A TaskManager outlives its jobs; a client
 * kept forever would keep its threads, its cache (Avro schemas, whose classes may come from a job's
 * jar) and, when the connector came with the job, the job's whole class loader alive after the job
 * ended.
 */
@PublicEvolving
public final class SchemaRegistryClients {

    /** Guarded by itself. */
    private static final Map<SchemaRegistryConfig, Shared> SHARED = new HashMap<>();

    private SchemaRegistryClients() {}

    /**
     * A handle on the shared caching client for {@code config}, created on first use. Close the
     * handle when done with it (each handle once; further closes do nothing); the client goes with
     * the last handle.
     */
    public static SchemaRegistryClient shared(SchemaRegistryConfig config) {
        synchronized (SHARED) {
            Shared shared = SHARED.get(config);
            if (shared == null) {
                shared = new Shared(config, create(config));
                SHARED.put(config, shared);
            }
            shared.handles++;
            return new Handle(shared);
        }
    }

    /** A new caching client for {@code config}, owned (and closed) by the caller. */
    public static SchemaRegistryClient create(SchemaRegistryConfig config) {
        return new CachingSchemaRegistryClient(
                new RestSchemaRegistryClient(config),
                config.cacheCapacity(),
                config.latestTtl(),
                config.missingTtl());
    }

    /** How many handles on the shared client for {@code config} are open (0: no client). */
    @VisibleForTesting
    public static int openHandles(SchemaRegistryConfig config) {
        synchronized (SHARED) {
            Shared shared = SHARED.get(config);
            return shared == null ? 0 : shared.handles;
        }
    }

    private static void release(Shared shared) {
        synchronized (SHARED) {
            if (--shared.handles > 0) {
                return;
            }
            SHARED.remove(shared.config, shared);
        }
        shared.client.close();
    }

    /** A shared client and how many handles on it are open. */
    private static final class Shared {
        final SchemaRegistryConfig config;
        final SchemaRegistryClient client;
        int handles;

        Shared(SchemaRegistryConfig config, SchemaRegistryClient client) {
            this.config = config;
            this.client = client;
        }
    }

    /** One user's share of a {@link Shared} client; unusable once closed. */
    private static final class Handle implements SchemaRegistryClient {

        private final Shared shared;
        private final AtomicBoolean closed = new AtomicBoolean();

        Handle(Shared shared) {
            this.shared = shared;
        }

        private SchemaRegistryClient client() {
            if (closed.get()) {
                throw new IllegalStateException(
                        "This handle on the registry client for "
                                + shared.config.endpoints()
                                + " was closed");
            }
            return shared.client;
        }

        @Override
        public int register(String subject, SchemaDefinition schema) {
            return client().register(subject, schema);
        }

        @Override
        public RegisteredSchema lookup(String subject, SchemaDefinition schema) {
            return client().lookup(subject, schema);
        }

        @Override
        public SchemaDefinition getById(int id) {
            return client().getById(id);
        }

        @Override
        public RegisteredSchema getVersion(String subject, int version) {
            return client().getVersion(subject, version);
        }

        @Override
        public RegisteredSchema getLatest(String subject) {
            return client().getLatest(subject);
        }

        @Override
        public List<Integer> getVersions(String subject) {
            return client().getVersions(subject);
        }

        @Override
        public List<String> getSubjects() {
            return client().getSubjects();
        }

        @Override
        public CompatibilityResult testCompatibility(String subject, SchemaDefinition schema) {
            return client().testCompatibility(subject, schema);
        }

        @Override
        public String getCompatibility(String subject) {
            return client().getCompatibility(subject);
        }

        @Override
        public void setCompatibility(String subject, String level) {
            client().setCompatibility(subject, level);
        }

        @Override
        public List<Integer> deleteSubject(String subject, boolean permanent) {
            return client().deleteSubject(subject, permanent);
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(shared);
            }
        }

        @Override
        public String toString() {
            return "Shared(" + shared.client + ")";
        }
    }
}
