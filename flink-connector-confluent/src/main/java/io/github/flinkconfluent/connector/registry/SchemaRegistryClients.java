package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.PublicEvolving;

import java.util.concurrent.ConcurrentHashMap;

/**
 * One caching client per registry configuration and JVM.
 *
 * <p>All sources, sinks and formats of a TaskManager that talk to the same registry share one HTTP
 * connection pool and one cache, so a schema id is fetched once per JVM rather than once per
 * parallel subtask.
 */
@PublicEvolving
public final class SchemaRegistryClients {

    private static final ConcurrentHashMap<SchemaRegistryConfig, SchemaRegistryClient> SHARED =
            new ConcurrentHashMap<>();

    private SchemaRegistryClients() {}

    /** The shared caching client for {@code config}, created on first use. */
    public static SchemaRegistryClient shared(SchemaRegistryConfig config) {
        return SHARED.computeIfAbsent(config, SchemaRegistryClients::create);
    }

    /** A new caching client for {@code config}, owned (and closed) by the caller. */
    public static SchemaRegistryClient create(SchemaRegistryConfig config) {
        return new CachingSchemaRegistryClient(
                new RestSchemaRegistryClient(config), config.cacheCapacity(), config.latestTtl());
    }
}
