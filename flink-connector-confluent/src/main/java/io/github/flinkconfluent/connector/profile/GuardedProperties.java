package io.github.flinkconfluent.connector.profile;

import org.apache.flink.annotation.Internal;

import java.util.List;

/**
 * The Kafka client properties that decide where a profile's credentials go and how they are used,
 * which a table naming the profile may not override with {@code properties.*} unless the profile
 * sets {@code allow-overrides}.
 *
 * <p>A named profile is usually the operator's, and the person writing a table only picks it by
 * name. Were {@code 'properties.bootstrap.servers'} allowed, the profile's API key would be sent to
 * a broker of the table writer's choosing; {@code sasl.*} and {@code ssl.*} could do the same via
 * an OAuth token endpoint or a trust store that accepts any certificate; {@code config.providers}
 * and the {@code *.class} / {@code *.classes} properties make the client load and configure
 * arbitrary classes with the profile's whole configuration (credentials included), as do metric
 * reporters. Tuning properties ({@code linger.ms}, {@code client.id}, …) stay open to tables.
 */
@Internal
final class GuardedProperties {

    private static final List<String> EXACT =
            List.of(
                    "bootstrap.servers",
                    "security.protocol",
                    "security.providers",
                    "metric.reporters");
    private static final List<String> PREFIXES = List.of("sasl.", "ssl.", "config.providers");
    private static final List<String> SUFFIXES = List.of(".class", ".classes");

    private GuardedProperties() {}

    /** True if a table must not set the Kafka client property {@code key} on a named profile. */
    static boolean isGuarded(String key) {
        return EXACT.contains(key)
                || PREFIXES.stream().anyMatch(key::startsWith)
                || SUFFIXES.stream().anyMatch(key::endsWith);
    }

    /** The families, for messages and docs. */
    static String describe() {
        return "'properties.bootstrap.servers', 'properties.security.protocol',"
                + " 'properties.security.providers', 'properties.metric.reporters',"
                + " 'properties.sasl.*', 'properties.ssl.*', 'properties.config.providers*' or any"
                + " 'properties.*.class' / 'properties.*.classes'";
    }
}
