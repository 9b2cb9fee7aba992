package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.Internal;

import java.time.Duration;
import java.util.List;

/**
 * Caches in front of a {@link SchemaRegistryClient}, so that no record ever waits for the registry
 * once its schema is known.
 *
 * <ul>
 *   <li>schema by id: kept (ids are immutable), bounded by LRU;
 *   <li>id and version by (subject, schema): kept, so registering or looking up the same schema
 *       again costs nothing;
 *   <li>latest version of a subject: kept for the configured TTL, since it can change.
 * </ul>
 *
 * <p>Writes through this client (register, delete, compatibility change) invalidate what they make
 * stale.
 */
@Internal
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final BoundedCache<Integer, SchemaDefinition> byId;
    private final BoundedCache<SubjectSchema, Integer> idBySchema;
    private final BoundedCache<SubjectSchema, RegisteredSchema> lookups;
    private final BoundedCache<String, RegisteredSchema> latest;

    private record SubjectSchema(String subject, SchemaDefinition schema) {}

    public CachingSchemaRegistryClient(
            SchemaRegistryClient delegate, int capacity, Duration latestTtl) {
        this.delegate = delegate;
        this.byId = new BoundedCache<>(capacity, null);
        this.idBySchema = new BoundedCache<>(capacity, null);
        this.lookups = new BoundedCache<>(capacity, null);
        this.latest = new BoundedCache<>(capacity, latestTtl);
    }

    @Override
    public int register(String subject, SchemaDefinition schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer id = idBySchema.getIfPresent(key);
        if (id != null) {
            return id;
        }
        int registered = delegate.register(subject, schema);
        idBySchema.put(key, registered);
        byId.put(registered, schema);
        latest.invalidate(subject);
        return registered;
    }

    @Override
    public RegisteredSchema lookup(String subject, SchemaDefinition schema) {
        RegisteredSchema found =
                lookups.get(
                        new SubjectSchema(subject, schema), k -> delegate.lookup(subject, schema));
        idBySchema.put(new SubjectSchema(subject, schema), found.id());
        return found;
    }

    @Override
    public SchemaDefinition getById(int id) {
        return byId.get(id, delegate::getById);
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        RegisteredSchema schema = delegate.getVersion(subject, version);
        byId.put(schema.id(), schema.definition());
        return schema;
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        RegisteredSchema schema = latest.get(subject, delegate::getLatest);
        byId.put(schema.id(), schema.definition());
        return schema;
    }

    @Override
    public List<Integer> getVersions(String subject) {
        return delegate.getVersions(subject);
    }

    @Override
    public List<String> getSubjects() {
        return delegate.getSubjects();
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, SchemaDefinition schema) {
        return delegate.testCompatibility(subject, schema);
    }

    @Override
    public String getCompatibility(String subject) {
        return delegate.getCompatibility(subject);
    }

    @Override
    public void setCompatibility(String subject, String level) {
        delegate.setCompatibility(subject, level);
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        List<Integer> deleted = delegate.deleteSubject(subject, permanent);
        latest.invalidate(subject);
        idBySchema.invalidateIf(key -> key.subject().equals(subject));
        lookups.invalidateIf(key -> key.subject().equals(subject));
        return deleted;
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "Caching(" + delegate + ")";
    }
}
