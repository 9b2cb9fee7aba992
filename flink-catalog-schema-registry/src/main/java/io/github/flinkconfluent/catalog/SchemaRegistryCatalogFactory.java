package io.github.flinkconfluent.catalog;

import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.CatalogFactory;
import org.apache.flink.table.factories.FactoryUtil;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code CREATE CATALOG confluent WITH ('type' = 'schema-registry', 'connection_profile' = '...')}:
 * validates the options (unknown ones are rejected with the valid ones), resolves the connection
 * and requires that it has a Schema Registry.
 */
@Internal
public final class SchemaRegistryCatalogFactory implements CatalogFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryCatalogFactory.class);

    @Override
    public String factoryIdentifier() {
        return SchemaRegistryCatalogOptions.IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>();
        options.add(SchemaRegistryCatalogOptions.CONNECTION_PROFILE);
        options.add(SchemaRegistryCatalogOptions.DEFAULT_DATABASE);
        options.add(SchemaRegistryCatalogOptions.CACHE_TTL);
        options.add(SchemaRegistryCatalogOptions.JSON_COLUMNS);
        options.add(SchemaRegistryCatalogOptions.TOPIC_PARTITIONS);
        options.add(SchemaRegistryCatalogOptions.TOPIC_REPLICATION_FACTOR);
        options.add(SchemaRegistryCatalogOptions.TOPIC_RETENTION);
        options.add(SchemaRegistryCatalogOptions.DROP_TOPICS);
        for (String key : ConnectionProfiles.inlineOptionKeys()) {
            options.add(ConfigOptions.key(key).stringType().noDefaultValue());
        }
        return options;
    }

    @Override
    public Catalog createCatalog(Context context) {
        FactoryUtil.createCatalogFactoryHelper(this, context)
                .validateExcept(ConnectionProfiles.PROPERTIES_PREFIX);
        Map<String, String> raw = context.getOptions();
        Configuration options = Configuration.fromMap(raw);
        ConnectionProfile profile =
                ConnectionProfiles.resolveForSql(
                        options.getOptional(SchemaRegistryCatalogOptions.CONNECTION_PROFILE)
                                .orElse(null),
                        context.getConfiguration(),
                        raw);
        SchemaRegistryConfig registry =
                profile.schemaRegistry()
                        .orElseThrow(
                                () ->
                                        new ValidationException(
                                                "Catalog "
                                                        + context.getName()
                                                        + ": its connection ("
                                                        + profile.describe()
                                                        + ") has no schema-registry.endpoint; a"
                                                        + " schema-registry catalog needs one."));
        if (options.get(SchemaRegistryCatalogOptions.JSON_COLUMNS)
                == SchemaRegistryCatalogOptions.JsonColumns.SEED) {
            LOG.warn(
                    "Catalog {}: 'json_columns' = 'seed' is deprecated; write"
                            + " 'also_arrays_and_maps' (same mapping).",
                    context.getName());
        }
        return new SchemaRegistryCatalog(context.getName(), profile, registry, options);
    }
}
