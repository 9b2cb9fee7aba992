package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;

/**
 * Creates the registry client on the task that uses it.
 *
 * <p>Formats, sources and sinks are serialized into the job graph, so they carry this factory
 * rather than a client with open connections; tests pass a factory that returns a fake. Whoever
 * calls {@link #create} closes what it returns: for the shared client, that releases one share.
 */
@PublicEvolving
@FunctionalInterface
public interface RegistryClientFactory extends Serializable {

    SchemaRegistryClient create();

    /**
     * A handle on the JVM-wide shared caching client for {@code config} (see {@link
     * SchemaRegistryClients#shared}).
     */
    static RegistryClientFactory of(SchemaRegistryConfig config) {
        return new SharedClientFactory(config);
    }

    /** Named so that plans and logs show which registry, never a credential. */
    record SharedClientFactory(SchemaRegistryConfig config) implements RegistryClientFactory {
        @Override
        public SchemaRegistryClient create() {
            return SchemaRegistryClients.shared(config);
        }
    }
}
