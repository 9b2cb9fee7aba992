package io.github.flinkconfluent.benchmarks;

import io.github.flinkconfluent.connector.registry.CompatibilityResult;
import io.github.flinkconfluent.connector.registry.RegisteredSchema;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry that only answers schemas by id, from memory: what a decoder of framed records asks
 * once per writer id. Lets the framing benchmarks measure the header and the per-record writer
 * lookup without a registry process (and without its network round trips, which a decoder makes
 * only once per id anyway).
 */
final class InProcessRegistry implements SchemaRegistryClient {

    private static final Map<Integer, SchemaDefinition> SCHEMAS = new ConcurrentHashMap<>();

    /** A factory (serializable, as decoders need) reading the schemas put with {@link #put}. */
    static RegistryClientFactory factory() {
        return InProcessRegistry::new;
    }

    static void put(int id, SchemaDefinition schema) {
        SCHEMAS.put(id, schema);
    }

    @Override
    public SchemaDefinition getById(int id) {
        SchemaDefinition schema = SCHEMAS.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.Kind.SCHEMA_NOT_FOUND,
                    404,
                    40403,
                    "no schema " + id + " was put into the in-process registry",
                    null);
        }
        return schema;
    }

    @Override
    public int register(String subject, SchemaDefinition schema) {
        throw unsupported();
    }

    @Override
    public RegisteredSchema lookup(String subject, SchemaDefinition schema) {
        throw unsupported();
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        throw unsupported();
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        throw unsupported();
    }

    @Override
    public List<Integer> getVersions(String subject) {
        throw unsupported();
    }

    @Override
    public List<String> getSubjects() {
        throw unsupported();
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, SchemaDefinition schema) {
        throw unsupported();
    }

    @Override
    public String getCompatibility(String subject) {
        throw unsupported();
    }

    @Override
    public void setCompatibility(String subject, String level) {
        throw unsupported();
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException(
                "the benchmarks' in-process registry only answers schemas by id");
    }
}
