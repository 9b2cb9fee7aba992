package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;

/**
 * Caches in front of a {@link SchemaRegistryClient}, so that no record ever waits for the registry
 * once its schema is known, and a flood of records naming an unknown schema costs one request.
 *
 * <ul>
 *   <li>schema by id: kept (ids are immutable), bounded by LRU;
 *   <li>id and version by (subject, schema): kept, so registering or looking up the same schema
 *       again costs nothing;
 *   <li>latest version of a subject: kept for the configured TTL, since it can change;
 *   <li>misses: an id the registry does not know or refuses these credentials, and a missing or
 *       refused subject version (a schema reference), kept for {@code missingTtl} in a bounded LRU
 *       of their own, so that many records carrying one bad id cost one request per TTL, and a
 *       flood of random ids evicts no known schema. Kept only for these answers about one id or
 *       version ({@link #isMiss}); an outage, a timeout or rejected credentials are never kept. A
 *       miss is forgotten after the TTL because a registry replica may learn a new id late.
 * </ul>
 *
 * <p>Concurrent requests for one schema id share one registry request: the parallel tasks of a
 * TaskManager meet a new id (or a flood of one unknown id) at the same moment.
 *
 * <p>Writes through this client (register, delete, compatibility change) invalidate what they make
 * stale.
 */
@Internal
public final class CachingSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Duration missingTtl;
    private final BoundedCache<Integer, SchemaDefinition> byId;
    private final BoundedCache<Integer, SchemaRegistryException> missingIds;
    private final ConcurrentHashMap<Integer, CompletableFuture<SchemaDefinition>> loadingIds =
            new ConcurrentHashMap<>();
    private final BoundedCache<SubjectVersion, SchemaRegistryException> missingVersions;
    private final BoundedCache<SubjectSchema, Integer> idBySchema;
    private final BoundedCache<SubjectSchema, RegisteredSchema> lookups;
    private final BoundedCache<String, RegisteredSchema> latest;

    private record SubjectSchema(String subject, SchemaDefinition schema) {}

    private record SubjectVersion(String subject, int version) {}

    public CachingSchemaRegistryClient(
            SchemaRegistryClient delegate, int capacity, Duration latestTtl, Duration missingTtl) {
        this(delegate, capacity, latestTtl, missingTtl, System::nanoTime);
    }

    @VisibleForTesting
    CachingSchemaRegistryClient(
            SchemaRegistryClient delegate,
            int capacity,
            Duration latestTtl,
            Duration missingTtl,
            LongSupplier clock) {
        this.delegate = delegate;
        this.missingTtl = missingTtl;
        this.byId = new BoundedCache<>(capacity, null, clock);
        this.missingIds = new BoundedCache<>(capacity, missingTtl, clock);
        this.missingVersions = new BoundedCache<>(capacity, missingTtl, clock);
        this.idBySchema = new BoundedCache<>(capacity, null, clock);
        this.lookups = new BoundedCache<>(capacity, null, clock);
        this.latest = new BoundedCache<>(capacity, latestTtl, clock);
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
        missingIds.invalidate(registered);
        missingVersions.invalidateIf(k -> k.subject().equals(subject));
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
        SchemaDefinition cached = byId.getIfPresent(id);
        if (cached != null) {
            return cached;
        }
        SchemaRegistryException missing = missingIds.getIfPresent(id);
        if (missing != null) {
            throw remembered(missing);
        }
        // One request per id at a time: the tasks of a TaskManager meet a new id together.
        CompletableFuture<SchemaDefinition> mine = new CompletableFuture<>();
        CompletableFuture<SchemaDefinition> theirs = loadingIds.putIfAbsent(id, mine);
        if (theirs != null) {
            return awaitOther(theirs, id);
        }
        try {
            // Another caller may have finished loading it between the looks above and now.
            SchemaDefinition loaded = byId.getIfPresent(id);
            missing = loaded == null ? missingIds.getIfPresent(id) : null;
            if (missing != null) {
                throw remembered(missing);
            }
            if (loaded == null) {
                loaded = delegate.getById(id);
            }
            byId.put(id, loaded);
            mine.complete(loaded);
            return loaded;
        } catch (SchemaRegistryException e) {
            if (isMiss(e) && missing == null) {
                missingIds.put(id, e);
            }
            mine.completeExceptionally(e);
            throw e;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loadingIds.remove(id, mine);
        }
    }

    /** The answer another caller is getting for {@code id}, as if this caller had asked. */
    private SchemaDefinition awaitOther(CompletableFuture<SchemaDefinition> loading, int id) {
        try {
            return loading.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(
                    SchemaRegistryException.Kind.UNAVAILABLE,
                    -1,
                    -1,
                    "Interrupted while waiting for schema id " + id + " from the Schema Registry",
                    e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SchemaRegistryException failure) {
                throw new SchemaRegistryException(
                        failure.kind(),
                        failure.httpStatus(),
                        failure.errorCode(),
                        failure.getMessage(),
                        failure);
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Fetching schema id " + id + " failed", cause);
        }
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        SubjectVersion key = new SubjectVersion(subject, version);
        SchemaRegistryException missing = missingVersions.getIfPresent(key);
        if (missing != null) {
            throw remembered(missing);
        }
        RegisteredSchema schema;
        try {
            schema = delegate.getVersion(subject, version);
        } catch (SchemaRegistryException e) {
            if (isMiss(e)) {
                missingVersions.put(key, e);
            }
            throw e;
        }
        byId.put(schema.id(), schema.definition());
        return schema;
    }

    /**
     * Whether {@code e} is the registry's answer about the one id or version asked for, which the
     * next request would get too: it does not have it, or refuses it to these credentials.
     */
    static boolean isMiss(SchemaRegistryException e) {
        switch (e.kind()) {
            case SCHEMA_NOT_FOUND:
            case SUBJECT_NOT_FOUND:
            case VERSION_NOT_FOUND:
            case ACCESS_DENIED:
                return true;
            default:
                return false;
        }
    }

    /** A fresh exception (with this caller's stack) for a remembered miss. */
    private SchemaRegistryException remembered(SchemaRegistryException miss) {
        return new SchemaRegistryException(
                miss.kind(),
                miss.httpStatus(),
                miss.errorCode(),
                miss.getMessage()
                        + " (the registry's answer, remembered for up to "
                        + missingTtl.toSeconds()
                        + " s)",
                null);
    }

    /** How many misses are remembered (ids and versions). */
    @VisibleForTesting
    int missesRemembered() {
        return missingIds.size() + missingVersions.size();
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
