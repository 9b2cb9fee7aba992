package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;

/**
 * Outcome of a compatibility check. {@code messages} carries the registry's reasons when it gives
 * them (Confluent does with {@code verbose=true}; Apicurio does not).
 */
@PublicEvolving
public record CompatibilityResult(boolean compatible, List<String> messages) {
    public CompatibilityResult {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
