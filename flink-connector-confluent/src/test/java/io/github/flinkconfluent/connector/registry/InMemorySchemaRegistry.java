package io.github.flinkconfluent.connector.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written in-memory {@link SchemaRegistryClient} for unit tests: ids are global and
 * content-based, versions per subject; no compatibility rules. Counts calls so tests can check
 * caching.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final Map<Integer, SchemaDefinition> byId = new HashMap<>();
    private final Map<SchemaDefinition, Integer> ids = new HashMap<>();
    private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    public final AtomicInteger getByIdCalls = new AtomicInteger();
    public final AtomicInteger getLatestCalls = new AtomicInteger();
    public final AtomicInteger registerCalls = new AtomicInteger();
    public final AtomicInteger getVersionCalls = new AtomicInteger();

    /** Runs at the start of every {@code getById} (e.g. to hold the caller until released). */
    public volatile Runnable beforeGetById = () -> {};

    private final Map<Integer, SchemaRegistryException.Kind> failingIds = new HashMap<>();
    private SchemaRegistryException.Kind failingEverything;

    /** Makes {@code getById(id)} fail with {@code kind} (e.g. ACCESS_DENIED for one id). */
    public synchronized void failId(int id, SchemaRegistryException.Kind kind) {
        failingIds.put(id, kind);
    }

    /** Makes every read fail with {@code kind} (e.g. UNAVAILABLE), or none with null. */
    public synchronized void failEverything(SchemaRegistryException.Kind kind) {
        failingEverything = kind;
    }

    private void checkFailures(int id) {
        SchemaRegistryException.Kind kind =
                failingEverything != null ? failingEverything : failingIds.get(id);
        if (kind != null) {
            throw new SchemaRegistryException(kind, -1, -1, kind + " (scripted)", null);
        }
    }

    /** Registers {@code schema} under a fixed {@code id} (for golden vectors). */
    public synchronized void put(int id, String subject, SchemaDefinition schema) {
        byId.put(id, schema);
        ids.put(schema, id);
        subjects.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        nextId.set(Math.max(nextId.get(), id + 1));
    }

    @Override
    public synchronized int register(String subject, SchemaDefinition schema) {
        registerCalls.incrementAndGet();
        Integer id = ids.computeIfAbsent(schema, s -> nextId.getAndIncrement());
        byId.put(id, schema);
        List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized RegisteredSchema lookup(String subject, SchemaDefinition schema) {
        List<Integer> versions = versions(subject);
        Integer id = ids.get(schema);
        if (id == null || !versions.contains(id)) {
            throw error(SchemaRegistryException.Kind.SCHEMA_NOT_FOUND, "not in subject");
        }
        return new RegisteredSchema(subject, versions.indexOf(id) + 1, id, schema);
    }

    @Override
    public synchronized SchemaDefinition getById(int id) {
        getByIdCalls.incrementAndGet();
        beforeGetById.run();
        checkFailures(id);
        SchemaDefinition schema = byId.get(id);
        if (schema == null) {
            throw error(SchemaRegistryException.Kind.SCHEMA_NOT_FOUND, "no schema " + id);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema getVersion(String subject, int version) {
        getVersionCalls.incrementAndGet();
        checkFailures(-1);
        List<Integer> versions = versions(subject);
        if (version < 1 || version > versions.size()) {
            throw error(SchemaRegistryException.Kind.VERSION_NOT_FOUND, "no version " + version);
        }
        int id = versions.get(version - 1);
        return new RegisteredSchema(subject, version, id, byId.get(id));
    }

    @Override
    public synchronized RegisteredSchema getLatest(String subject) {
        getLatestCalls.incrementAndGet();
        return getVersion(subject, versions(subject).size());
    }

    @Override
    public synchronized List<Integer> getVersions(String subject) {
        List<Integer> result = new ArrayList<>();
        for (int i = 1; i <= versions(subject).size(); i++) {
            result.add(i);
        }
        return result;
    }

    @Override
    public synchronized List<String> getSubjects() {
        return new ArrayList<>(subjects.keySet());
    }

    @Override
    public CompatibilityResult testCompatibility(String subject, SchemaDefinition schema) {
        return new CompatibilityResult(true, List.of());
    }

    @Override
    public String getCompatibility(String subject) {
        return "BACKWARD";
    }

    @Override
    public void setCompatibility(String subject, String level) {}

    @Override
    public synchronized List<Integer> deleteSubject(String subject, boolean permanent) {
        List<Integer> deleted = getVersions(subject);
        subjects.remove(subject);
        return deleted;
    }

    private List<Integer> versions(String subject) {
        List<Integer> versions = subjects.get(subject);
        if (versions == null) {
            throw error(SchemaRegistryException.Kind.SUBJECT_NOT_FOUND, "no subject " + subject);
        }
        return versions;
    }

    private static SchemaRegistryException error(SchemaRegistryException.Kind kind, String msg) {
        return new SchemaRegistryException(kind, 404, -1, msg, null);
    }
}
