package io.github.flinkconfluent.catalog;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;

/** The options of {@code CREATE CATALOG ... WITH ('type' = 'schema-registry', ...)}. */
@PublicEvolving
public final class SchemaRegistryCatalogOptions {

    private SchemaRegistryCatalogOptions() {}

    public static final String IDENTIFIER = "schema-registry";

    public static final ConfigOption<String> CONNECTION_PROFILE =
            ConfigOptions.key("connection_profile")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The connection profile (confluent.profiles.<name>.* or the profiles"
                                    + " file). Without it, the catalog's own options hold the"
                                    + " connection (bootstrap.servers, schema-registry.endpoint,"
                                    + " ...). The registry endpoint is required.");

    public static final ConfigOption<String> DEFAULT_DATABASE =
            ConfigOptions.key("default-database")
                    .stringType()
                    .defaultValue("default")
                    .withDescription("The one database, which holds a table per subject.");

    public static final ConfigOption<Duration> CACHE_TTL =
            ConfigOptions.key("cache-ttl")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "How long the subject list and schemas are cached; the catalog's own"
                                    + " DDL refreshes them at once.");

    public static final ConfigOption<JsonColumns> JSON_COLUMNS =
            ConfigOptions.key("json_columns")
                    .enumType(JsonColumns.class)
                    .defaultValue(JsonColumns.UNSUPPORTED_TYPES)
                    .withDescription(
                            "Which Avro types become JSON columns: 'unsupported_types', only those"
                                + " SQL cannot hold (unions, recursion); 'also_arrays_and_maps',"
                                + " arrays and maps too (as Arroyo's Confluent connector maps"
                                + " them). 'seed' is a deprecated name for"
                                + " 'also_arrays_and_maps'.");

    public static final ConfigOption<Integer> TOPIC_PARTITIONS =
            ConfigOptions.key("topic.partitions")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Partitions of a topic that CREATE TABLE creates (also a CREATE TABLE"
                                    + " option).");

    public static final ConfigOption<Integer> TOPIC_REPLICATION_FACTOR =
            ConfigOptions.key("topic.replication-factor")
                    .intType()
                    .defaultValue(-1)
                    .withDescription(
                            "Replication factor of a topic that CREATE TABLE creates; -1 for the"
                                    + " brokers' default (also a CREATE TABLE option).");

    public static final ConfigOption<Duration> TOPIC_RETENTION =
            ConfigOptions.key("topic.retention")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "retention.ms of a topic that CREATE TABLE creates (also a CREATE TABLE"
                                    + " option); default: the brokers'.");

    public static final ConfigOption<Boolean> DROP_TOPICS =
            ConfigOptions.key("drop-topics")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Whether DROP TABLE also deletes the topic; by default it only"
                                    + " soft-deletes the subjects.");

    /** {@code json_columns}. */
    @PublicEvolving
    public enum JsonColumns {
        /** Unions of several types and recursive records. */
        UNSUPPORTED_TYPES,
        /** Also arrays and maps, as Arroyo's Confluent connector maps them. */
        ALSO_ARRAYS_AND_MAPS,
        /**
         * The first name of {@link #ALSO_ARRAYS_AND_MAPS}, from the project's history.
         *
         * @deprecated use {@link #ALSO_ARRAYS_AND_MAPS}; this value is still accepted, with a
         *     warning.
         */
        @Deprecated
        SEED;

        /** Whether arrays and maps become JSON columns. */
        public boolean arraysAndMapsAsJson() {
            return this != UNSUPPORTED_TYPES;
        }
    }
}
