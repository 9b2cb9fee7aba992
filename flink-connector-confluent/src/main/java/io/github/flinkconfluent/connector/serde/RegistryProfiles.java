package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;

import org.apache.flink.annotation.Internal;

/** The registry of a connection profile, for the serdes of this package. */
@Internal
final class RegistryProfiles {

    private RegistryProfiles() {}

    /**
     * A factory for the profile's registry client, created on the task ({@code {{VAR}}} templates
     * resolved there).
     *
     * @throws IllegalArgumentException naming the profile when it has no registry
     */
    static RegistryClientFactory registryOf(ConnectionProfile profile, String who) {
        return profile.schemaRegistry()
                .map(RegistryClientFactory::of)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        who
                                                + " needs a Schema Registry, but "
                                                + profile.describe()
                                                + " has none: set its"
                                                + " 'schema-registry.endpoint'."));
    }
}
