package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.registry.LatestSchemas;
import io.github.flinkconfluent.connector.registry.RegisteredSchema;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;

import org.apache.flink.annotation.Internal;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * The schema id a serializer writes with, for one subject and schema: the subject's latest version
 * when it fits (so that a schema that differs from the registered one only in ways that do not
 * change the bytes, such as whitespace or documentation, adds no version), else the id of the
 * schema registered (or, without auto-registration, found) under the subject.
 */
@Internal
final class SchemaIds {

    private SchemaIds() {}

    /**
     * @param fits whether values of {@code ours} may be written with the id of a registered schema
     * @throws IllegalStateException naming the subject when auto-registration is off and the
     *     subject does not have the schema
     */
    static int idFor(
            SchemaRegistryClient registry,
            String subject,
            SchemaDefinition ours,
            Predicate<RegisteredSchema> fits,
            boolean autoRegister) {
        Optional<RegisteredSchema> latest =
                LatestSchemas.fitting(registry, subject, ours.type(), fits::test);
        if (latest.isPresent()) {
            return latest.get().id();
        }
        if (autoRegister) {
            return registry.register(subject, ours);
        }
        try {
            return registry.lookup(subject, ours).id();
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.SCHEMA_NOT_FOUND
                    || e.kind() == SchemaRegistryException.Kind.SUBJECT_NOT_FOUND) {
                throw new IllegalStateException(
                        "Subject '"
                                + subject
                                + "' does not have the schema this job writes, and"
                                + " auto-registration is off: register the schema under the"
                                + " subject, or turn auto-registration on. The schema: "
                                + ours.text(),
                        e);
            }
            throw e;
        }
    }
}
