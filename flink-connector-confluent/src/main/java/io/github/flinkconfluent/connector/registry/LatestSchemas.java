package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.Internal;

import java.util.Optional;

/**
 * The one rule by which a sink reuses a subject's latest schema instead of registering its own: the
 * latest version is reused when it has the format's schema type and the format finds that it fits
 * the table's columns. A subject without versions has nothing to reuse; any other registry error is
 * the caller's to report. A schema the format cannot even read does not fit.
 *
 * <p>Reusing the latest schema keeps the subject from growing a new version (with another record
 * name, nullability or field order) each time a table is written.
 */
@Internal
public final class LatestSchemas {

    private LatestSchemas() {}

    /** Whether a registered schema can be written with unchanged; may throw when it cannot. */
    @FunctionalInterface
    public interface Fit {
        boolean test(RegisteredSchema latest) throws Exception;
    }

    /** The latest version of {@code subject} if it is of {@code type} and {@code fit} says so. */
    public static Optional<RegisteredSchema> fitting(
            SchemaRegistryClient registry, String subject, SchemaType type, Fit fit) {
        RegisteredSchema latest;
        try {
            latest = registry.getLatest(subject);
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.SUBJECT_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
        if (latest.definition().type() != type) {
            return Optional.empty();
        }
        try {
            return fit.test(latest) ? Optional.of(latest) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
