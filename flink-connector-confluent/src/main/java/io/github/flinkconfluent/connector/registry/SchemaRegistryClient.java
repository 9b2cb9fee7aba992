package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;

/**
 * The Confluent Schema Registry REST API, as far as this project uses it.
 *
 * <p>An interface so that unit tests can use a small in-memory fake; production code uses {@link
 * SchemaRegistryClients#shared}, which adds caching in front of {@link RestSchemaRegistryClient}.
 * Every method throws {@link SchemaRegistryException} on failure.
 */
@PublicEvolving
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers {@code schema} under {@code subject} ({@code POST /subjects/{s}/versions}) and
     * returns its id; registering a schema the subject already has returns the existing id.
     */
    int register(String subject, SchemaDefinition schema);

    /**
     * Finds {@code schema} among the versions of {@code subject} ({@code POST /subjects/{s}});
     * {@link SchemaRegistryException.Kind#SCHEMA_NOT_FOUND} when the subject does not have it.
     */
    RegisteredSchema lookup(String subject, SchemaDefinition schema);

    /** The schema with global id {@code id} ({@code GET /schemas/ids/{id}}). */
    SchemaDefinition getById(int id);

    /** Version {@code version} of {@code subject}. */
    RegisteredSchema getVersion(String subject, int version);

    /** The latest version of {@code subject} ({@code GET /subjects/{s}/versions/latest}). */
    RegisteredSchema getLatest(String subject);

    /** The version numbers of {@code subject}, oldest first. */
    List<Integer> getVersions(String subject);

    /** All subjects that are not (soft-)deleted. */
    List<String> getSubjects();

    /** Whether {@code schema} may be registered as the next version of {@code subject}. */
    CompatibilityResult testCompatibility(String subject, SchemaDefinition schema);

    /**
     * The compatibility level of {@code subject}, or the global one when {@code subject} is null.
     */
    String getCompatibility(String subject);

    /** Sets the compatibility level of {@code subject}, or the global one when null. */
    void setCompatibility(String subject, String level);

    /**
     * Deletes {@code subject}: soft (versions hidden, ids kept) or, when {@code permanent}, for
     * good; a permanent delete needs a soft delete first, as in Confluent. Returns the versions
     * deleted.
     */
    List<Integer> deleteSubject(String subject, boolean permanent);

    @Override
    default void close() {}
}
