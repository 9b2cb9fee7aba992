package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.ConfluentConnectorOptions;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.profile.ProfileField;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.RowType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The format names and format options of Flink's own Kafka connector ({@code avro-confluent},
 * {@code raw}, {@code json} with its {@code json.*} options, and the Debezium formats {@code
 * debezium-avro-confluent} and {@code debezium-json}, which become {@code avro} / {@code json} with
 * {@code 'changelog' = 'debezium'}), translated into this connector's options so that a table
 * written for {@code 'connector' = 'kafka'} works with {@code 'connector' = 'confluent'}. What has
 * no counterpart here fails with an error naming the one option to change.
 *
 * <p>It runs before {@link OptionAliases} and before the connection is resolved: {@code
 * avro-confluent.url} and its credentials become the registry fields of the table's inline
 * connection, and {@code properties.bootstrap.servers} its {@code bootstrap.servers}. Values of
 * secret options never appear in messages.
 */
@Internal
final class FlinkFormatOptions {

    /** Flink's format names that this class translates or refuses. */
    static final String AVRO_CONFLUENT = "avro-confluent";

    static final String RAW = "raw";

    static final String DEBEZIUM_AVRO_CONFLUENT = "debezium-avro-confluent";

    static final String DEBEZIUM_JSON = "debezium-json";

    /** Change-data-capture formats without a counterpart here. */
    private static final Set<String> CDC_FORMATS =
            Set.of("debezium-protobuf", "canal-json", "maxwell-json", "ogg-json");

    /** Flink's {@code avro-confluent} option suffixes and the connection field each becomes. */
    private static final Map<String, String> REGISTRY_FIELDS =
            Map.of(
                    "url", ProfileField.SCHEMA_REGISTRY_ENDPOINT.key(),
                    "bearer-auth.token", ProfileField.SCHEMA_REGISTRY_BEARER_TOKEN.key(),
                    "ssl.truststore.location",
                            ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION.key(),
                    "ssl.truststore.password",
                            ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD.key(),
                    "ssl.keystore.location", ProfileField.SCHEMA_REGISTRY_KEYSTORE_LOCATION.key(),
                    "ssl.keystore.password", ProfileField.SCHEMA_REGISTRY_KEYSTORE_PASSWORD.key());

    private static final String USER_INFO = "basic-auth.user-info";

    private static final String BASIC_SOURCE = "basic-auth.credentials-source";

    private static final String BEARER_SOURCE = "bearer-auth.credentials-source";

    private static final String SUBJECT = "subject";

    static final ConfigOption<String> JSON_IGNORE_PARSE_ERRORS =
            ConfigOptions.key("json.ignore-parse-errors")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Flink's json option: 'true' means 'bad_data' = 'drop'.");

    static final ConfigOption<String> JSON_FAIL_ON_MISSING_FIELD =
            ConfigOptions.key("json.fail-on-missing-field")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Flink's json option: only 'false' (missing fields are null).");

    private FlinkFormatOptions() {}

    /** One side of the record (key or value) and the spellings of its format options. */
    private record Side(String name, String formatKey, List<String> prefixes) {}

    /**
     * {@code options} with Flink's format names and format options replaced by this connector's.
     *
     * @param physical the table's physical columns, for the type of a {@code raw} column
     */
    static Map<String, String> translate(
            Map<String, String> options, RowType physical, String table) {
        Map<String, String> result = new HashMap<>(options);
        String valueFormatKey = result.containsKey("format") ? "format" : "value.format";
        Side value = new Side("value", valueFormatKey, List.of("", "value."));
        Side key = new Side("key", "key.format", List.of("key."));
        Map<String, String> connection = new HashMap<>();
        Map<String, String> connectionSource = new HashMap<>();
        boolean anyAvroConfluent = false;
        for (Side side : List.of(value, key)) {
            String format = result.get(side.formatKey());
            if (format != null) {
                format = format.trim();
            }
            checkNotCdc(side, format, table);
            Map<String, Taken> avro = take(result, side, AVRO_CONFLUENT + ".");
            Map<String, Taken> raw = take(result, side, RAW + ".");
            Map<String, Taken> json = take(result, side, "json.", ownJsonKeys());
            Map<String, Taken> debeziumAvro = take(result, side, DEBEZIUM_AVRO_CONFLUENT + ".");
            Map<String, Taken> debeziumJson = take(result, side, DEBEZIUM_JSON + ".");
            requireFormat(side, format, AVRO_CONFLUENT, avro, table);
            requireFormat(side, format, RAW, raw, table);
            requireFormat(side, format, "json", json, table);
            requireFormat(side, format, DEBEZIUM_AVRO_CONFLUENT, debeziumAvro, table);
            requireFormat(side, format, DEBEZIUM_JSON, debeziumJson, table);
            if (AVRO_CONFLUENT.equals(format)) {
                anyAvroConfluent = true;
                result.put(side.formatKey(), "avro");
                avroConfluent(side, avro, result, connection, connectionSource, table);
            } else if (DEBEZIUM_AVRO_CONFLUENT.equals(format)) {
                anyAvroConfluent = true;
                result.put(side.formatKey(), "avro");
                debeziumChangelog(side, format, result, table);
                avroConfluent(side, debeziumAvro, result, connection, connectionSource, table);
            } else if (DEBEZIUM_JSON.equals(format)) {
                result.put(side.formatKey(), "json");
                debeziumChangelog(side, format, result, table);
                debeziumJson(debeziumJson, result, table);
            } else if (RAW.equals(format)) {
                result.put(side.formatKey(), raw(side, raw, result, physical, table));
            } else if ("json".equals(format)) {
                json(side, json, result, table);
            }
        }
        if (anyAvroConfluent) {
            framing(value, key, result, table);
        }
        connection(connection, connectionSource, result, table);
        bootstrapServers(result, table);
        return result;
    }

    /** The {@code json.*} keys that are this connector's own options, left as they are. */
    private static Set<String> ownJsonKeys() {
        return Set.of(
                ConfluentConnectorOptions.JSON_VALIDATE.key(),
                ConfluentConnectorOptions.JSON_VALIDATE_MAX_STEPS_PER_RECORD.key());
    }

    private static void checkNotCdc(Side side, String format, String table) {
        if (format == null) {
            return;
        }
        boolean debezium = format.equals(DEBEZIUM_AVRO_CONFLUENT) || format.equals(DEBEZIUM_JSON);
        if (debezium && side.name().equals("key")) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " sets '"
                            + side.formatKey()
                            + "' = '"
                            + format
                            + "': a Debezium change event is a record value, not a key. Remove"
                            + " 'key.format' and 'key.fields' (a Debezium table takes its columns"
                            + " from the event's before/after images; declare the key as PRIMARY"
                            + " KEY (...) NOT ENFORCED).");
        }
        if (CDC_FORMATS.contains(format)) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " sets '"
                            + side.formatKey()
                            + "' = '"
                            + format
                            + "': of the change-data-capture formats only Debezium's"
                            + " (debezium-avro-confluent, debezium-json) are supported; Canal,"
                            + " Maxwell, OGG and debezium-protobuf are not. Change '"
                            + side.formatKey()
                            + "' to a plain row format: avro-confluent, json, raw (or avro,"
                            + " raw_string, raw_bytes), or use 'changelog' = 'upsert' for a"
                            + " keyed changelog.");
        }
    }

    /** A Debezium format means {@code 'changelog' = 'debezium'}; another changelog contradicts. */
    private static void debeziumChangelog(
            Side side, String format, Map<String, String> result, String table) {
        String changelog = ConfluentConnectorOptions.CHANGELOG.key();
        String earlier = result.get(changelog);
        if (earlier != null && !earlier.trim().equalsIgnoreCase("debezium")) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " sets '"
                            + side.formatKey()
                            + "' = '"
                            + format
                            + "', which reads Debezium change events ('changelog' = 'debezium'),"
                            + " and 'changelog' = '"
                            + earlier.trim()
                            + "'. Remove 'changelog'.");
        }
        result.put(changelog, "debezium");
    }

    /**
     * Flink's {@code debezium-json.*} options: {@code ignore-parse-errors} as for {@code json};
     * {@code schema-include} only {@code false} (the value is the bare envelope, as Kafka Connect's
     * JsonConverter writes it with {@code schemas.enable=false}).
     */
    private static void debeziumJson(
            Map<String, Taken> options, Map<String, String> result, String table) {
        Map<String, Taken> asJson = new HashMap<>();
        for (Map.Entry<String, Taken> entry : options.entrySet()) {
            String option = entry.getValue().quoted();
            String v = entry.getValue().value().toLowerCase(Locale.ROOT);
            switch (entry.getKey()) {
                case "ignore-parse-errors" -> asJson.put(entry.getKey(), entry.getValue());
                case "schema-include" -> {
                    if (!v.equals("false")) {
                        throw new ValidationException(
                                "Table "
                                        + table
                                        + " sets "
                                        + option
                                        + " = '"
                                        + v
                                        + "', which is not supported: values wrapped in"
                                        + " {\"schema\": ..., \"payload\": ...} (Kafka Connect's"
                                        + " JsonConverter with schemas.enable=true) cannot be read."
                                        + " Remove "
                                        + option
                                        + " and write the bare envelope (schemas.enable=false),"
                                        + " or registry JSON (JsonSchemaConverter) with a"
                                        + " registry connection.");
                    }
                }
                default ->
                        throw new ValidationException(
                                "Table "
                                        + table
                                        + " sets "
                                        + option
                                        + ", which has no counterpart here. Remove it; of"
                                        + " Flink's debezium-json options,"
                                        + " 'debezium-json.ignore-parse-errors' and"
                                        + " 'debezium-json.schema-include' = 'false' are"
                                        + " supported (see docs/migration.md).");
            }
        }
        json(null, asJson, result, table);
    }

    /**
     * Removes and returns the options of one side under {@code suffixPrefix} (e.g. {@code
     * avro-confluent.}), keyed by what follows it; a key spelled with two prefixes is an error.
     */
    private static Map<String, Taken> take(
            Map<String, String> options, Side side, String suffixPrefix) {
        return take(options, side, suffixPrefix, Set.of());
    }

    /** An option as the table spells it, and its value. */
    private record Taken(String key, String value) {
        String quoted() {
            return "'" + key + "'";
        }
    }

    private static Map<String, Taken> take(
            Map<String, String> options, Side side, String suffixPrefix, Set<String> keep) {
        Map<String, Taken> taken = new HashMap<>();
        Map<String, String> spelledAs = new HashMap<>();
        for (String prefix : side.prefixes()) {
            String full = prefix + suffixPrefix;
            for (String k : new TreeSet<>(options.keySet())) {
                if (!k.startsWith(full) || keep.contains(k)) {
                    continue;
                }
                String suffix = k.substring(full.length());
                String earlier = spelledAs.put(suffix, k);
                if (earlier != null) {
                    throw new ValidationException(
                            "Options '"
                                    + earlier
                                    + "' and '"
                                    + k
                                    + "' mean the same; set only one of them");
                }
                taken.put(suffix, new Taken(k, options.remove(k).trim()));
            }
        }
        return taken;
    }

    private static void requireFormat(
            Side side, String format, String name, Map<String, Taken> options, String table) {
        if (!options.isEmpty() && !name.equals(format)) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " sets "
                            + String.join(
                                    ", ",
                                    options.values().stream().map(Taken::quoted).sorted().toList())
                            + " but its '"
                            + side.formatKey()
                            + "' is "
                            + (format == null ? "not set" : "'" + format + "'")
                            + ". Set '"
                            + side.formatKey()
                            + "' = '"
                            + name
                            + "' or remove those options.");
        }
    }

    private static void avroConfluent(
            Side side,
            Map<String, Taken> avro,
            Map<String, String> result,
            Map<String, String> connection,
            Map<String, String> connectionSource,
            String table) {
        for (Map.Entry<String, Taken> entry : avro.entrySet()) {
            String suffix = entry.getKey();
            String option = entry.getValue().quoted();
            String v = entry.getValue().value();
            if (REGISTRY_FIELDS.containsKey(suffix)) {
                addConnection(connection, connectionSource, REGISTRY_FIELDS.get(suffix), v, option);
            } else if (suffix.equals(USER_INFO)) {
                int colon = v.indexOf(':');
                if (colon <= 0 || colon == v.length() - 1) {
                    throw new ValidationException(
                            "Table "
                                    + table
                                    + ": "
                                    + option
                                    + " must be '<api key>:<api secret>' (value not shown).");
                }
                addConnection(
                        connection,
                        connectionSource,
                        ProfileField.SCHEMA_REGISTRY_API_KEY.key(),
                        v.substring(0, colon),
                        option);
                addConnection(
                        connection,
                        connectionSource,
                        ProfileField.SCHEMA_REGISTRY_API_SECRET.key(),
                        v.substring(colon + 1),
                        option);
            } else if (suffix.equals(BASIC_SOURCE)) {
                requireValue(table, option, v, "USER_INFO", "the option '..." + USER_INFO + "'");
            } else if (suffix.equals(BEARER_SOURCE)) {
                requireValue(table, option, v, "STATIC_TOKEN", "the option '...bearer-auth.token'");
            } else if (suffix.equals(SUBJECT)) {
                String subjectKey =
                        side.name().equals("key")
                                ? ConfluentConnectorOptions.KEY_SUBJECT.key()
                                : ConfluentConnectorOptions.VALUE_SUBJECT.key();
                if (result.containsKey(subjectKey)) {
                    throw new ValidationException(
                            "Options "
                                    + option
                                    + " and '"
                                    + subjectKey
                                    + "' mean the same; set only one of them");
                }
                result.put(subjectKey, v);
            } else if (suffix.equals("schema")) {
                throw new ValidationException(
                        "Table "
                                + table
                                + " sets "
                                + option
                                + ", which is not supported: a source reads each record with the"
                                + " schema its id names, a sink registers the schema of the"
                                + " table's columns (or uses the subject's latest one, see"
                                + " docs/schema-registry.md). Remove "
                                + option
                                + ".");
            } else {
                throw new ValidationException(
                        "Table "
                                + table
                                + " sets "
                                + option
                                + ", which has no counterpart here. Remove it; the supported "
                                + AVRO_CONFLUENT
                                + " options are "
                                + new TreeSet<>(supportedAvroSuffixes())
                                + ", and other registry settings go in the connection"
                                + " (docs/profiles.md).");
            }
        }
    }

    private static Set<String> supportedAvroSuffixes() {
        Set<String> suffixes = new LinkedHashSet<>(REGISTRY_FIELDS.keySet());
        suffixes.add(USER_INFO);
        suffixes.add(BASIC_SOURCE);
        suffixes.add(BEARER_SOURCE);
        suffixes.add(SUBJECT);
        return suffixes;
    }

    private static void requireValue(
            String table, String option, String value, String only, String instead) {
        if (!value.equalsIgnoreCase(only)) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " sets "
                            + option
                            + " = '"
                            + value
                            + "'; only '"
                            + only
                            + "' is supported (credentials from "
                            + instead
                            + "). Change "
                            + option
                            + " to '"
                            + only
                            + "', or remove it and put the registry credentials in the"
                            + " connection (docs/profiles.md).");
        }
    }

    private static void addConnection(
            Map<String, String> connection,
            Map<String, String> connectionSource,
            String field,
            String value,
            String option) {
        String earlier = connection.get(field);
        if (earlier != null && !earlier.equals(value)) {
            throw new ValidationException(
                    "Options "
                            + connectionSource.get(field)
                            + " and "
                            + option
                            + " disagree; the key and the value use one Schema Registry"
                            + " connection. Give both the same value, or set only one.");
        }
        connection.put(field, value);
        connectionSource.putIfAbsent(field, option);
    }

    /** Flink's {@code avro-confluent} means the registry framing: {@code schema_registry}. */
    private static void framing(Side value, Side key, Map<String, String> result, String table) {
        String framing = result.get(ConfluentConnectorOptions.SCHEMA_REGISTRY.key());
        if (framing != null && !framing.trim().equalsIgnoreCase("true")) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " uses '"
                            + AVRO_CONFLUENT
                            + "', which is Avro in the Schema Registry framing, but sets '"
                            + ConfluentConnectorOptions.SCHEMA_REGISTRY.key()
                            + "' = '"
                            + framing
                            + "'. Remove 'schema_registry', or use 'avro' for bare Avro.");
        }
        for (Side side : List.of(value, key)) {
            if ("json".equals(trimmed(result.get(side.formatKey())))) {
                throw new ValidationException(
                        "Table "
                                + table
                                + " sets '"
                                + side.formatKey()
                                + "' = 'json' next to '"
                                + AVRO_CONFLUENT
                                + "': here the Schema Registry framing applies to key and value"
                                + " alike, so that JSON would be framed too, unlike in Flink's"
                                + " Kafka connector. Change '"
                                + side.formatKey()
                                + "' to 'avro-confluent' or 'raw'.");
            }
        }
        result.put(ConfluentConnectorOptions.SCHEMA_REGISTRY.key(), "true");
    }

    private static String trimmed(String s) {
        return s == null ? null : s.trim();
    }

    private static void connection(
            Map<String, String> connection,
            Map<String, String> connectionSource,
            Map<String, String> result,
            String table) {
        if (connection.isEmpty()) {
            return;
        }
        String profile = result.get(ConfluentConnectorOptions.CONNECTION_PROFILE.key());
        if (profile != null) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " uses connection profile '"
                            + profile
                            + "', which holds the Schema Registry and its credentials, but also"
                            + " sets "
                            + new TreeSet<>(connectionSource.values())
                            + ". Remove "
                            + new TreeSet<>(connectionSource.values())
                            + " (the registry comes from the profile), or drop"
                            + " 'connection_profile'.");
        }
        for (Map.Entry<String, String> entry : connection.entrySet()) {
            if (result.containsKey(entry.getKey())) {
                throw new ValidationException(
                        "Options "
                                + connectionSource.get(entry.getKey())
                                + " and '"
                                + entry.getKey()
                                + "' mean the same; set only one of them");
            }
            result.put(entry.getKey(), entry.getValue());
        }
    }

    /**
     * Flink's Kafka connector takes the brokers from {@code properties.bootstrap.servers}; a table
     * without a profile takes them as its inline {@code bootstrap.servers}.
     */
    private static void bootstrapServers(Map<String, String> result, String table) {
        String flinkKey = ConnectionProfiles.PROPERTIES_PREFIX + "bootstrap.servers";
        String ours = ProfileField.BOOTSTRAP_SERVERS.key();
        if (!result.containsKey(flinkKey)
                || result.containsKey(ConfluentConnectorOptions.CONNECTION_PROFILE.key())) {
            return; // with a profile: the profile's rules for overriding it apply
        }
        if (result.containsKey(ours)) {
            throw new ValidationException(
                    "Table "
                            + table
                            + ": options '"
                            + flinkKey
                            + "' and '"
                            + ours
                            + "' mean the same; set only one of them");
        }
        result.put(ours, result.remove(flinkKey));
    }

    private static String raw(
            Side side,
            Map<String, Taken> raw,
            Map<String, String> result,
            RowType physical,
            String table) {
        for (Map.Entry<String, Taken> entry : raw.entrySet()) {
            String option = entry.getValue().quoted();
            switch (entry.getKey()) {
                case "charset" -> {
                    String charset = entry.getValue().value().toUpperCase(Locale.ROOT);
                    if (!charset.equals("UTF-8") && !charset.equals("UTF8")) {
                        throw new ValidationException(
                                "Table "
                                        + table
                                        + " sets "
                                        + option
                                        + " = '"
                                        + entry.getValue().value()
                                        + "'; only UTF-8 is supported. Remove "
                                        + option
                                        + ".");
                    }
                }
                case "endianness" -> {
                    // Byte order applies to numeric raw columns only; STRING and BYTES are as is.
                }
                default ->
                        throw new ValidationException(
                                "Table "
                                        + table
                                        + " sets "
                                        + option
                                        + ", which has no counterpart here; remove it (raw"
                                        + " takes 'charset' and 'endianness').");
            }
        }
        List<LogicalType> columns = sideColumns(side, result, physical);
        if (columns.size() == 1 && columns.get(0).is(LogicalTypeFamily.CHARACTER_STRING)) {
            return "raw_string";
        }
        if (columns.size() == 1 && columns.get(0).is(LogicalTypeFamily.BINARY_STRING)) {
            return "raw_bytes";
        }
        throw new ValidationException(
                "Table "
                        + table
                        + " sets '"
                        + side.formatKey()
                        + "' = 'raw' for "
                        + (columns.size() == 1
                                ? "a " + columns.get(0).asSummaryString() + " column"
                                : columns.size() + " columns")
                        + "; here raw takes one STRING column (raw_string) or one BYTES column"
                        + " (raw_bytes). Change '"
                        + side.formatKey()
                        + "' to json or avro-confluent, or make the "
                        + side.name()
                        + " one STRING or BYTES column.");
    }

    /** The types of the columns of one side: key.fields, or the value's columns. */
    private static List<LogicalType> sideColumns(
            Side side, Map<String, String> result, RowType physical) {
        Set<String> keyFields = new LinkedHashSet<>();
        String spec = result.get(ConfluentConnectorOptions.KEY_FIELDS.key());
        if (spec != null) {
            for (String f : spec.split(";")) {
                if (!f.isBlank()) {
                    keyFields.add(f.trim());
                }
            }
        }
        String sinkKey = result.get(ConfluentConnectorOptions.SINK_KEY_FIELD.key());
        if (sinkKey != null) {
            keyFields.add(sinkKey.trim());
        }
        boolean exceptKey =
                "EXCEPT_KEY"
                        .equalsIgnoreCase(
                                trimmed(
                                        result.get(
                                                ConfluentConnectorOptions.VALUE_FIELDS_INCLUDE
                                                        .key())));
        List<LogicalType> types = new ArrayList<>();
        for (int i = 0; i < physical.getFieldCount(); i++) {
            boolean isKey = keyFields.contains(physical.getFieldNames().get(i));
            if (side.name().equals("key") ? isKey : !(isKey && exceptKey)) {
                types.add(physical.getTypeAt(i));
            }
        }
        return types;
    }

    private static void json(
            Side side, Map<String, Taken> json, Map<String, String> result, String table) {
        for (Map.Entry<String, Taken> entry : json.entrySet()) {
            String option = entry.getValue().quoted();
            String v = entry.getValue().value().toLowerCase(Locale.ROOT);
            switch (entry.getKey()) {
                case "ignore-parse-errors" -> {
                    if (!v.equals("true") && !v.equals("false")) {
                        throw new ValidationException(
                                "Table " + table + ": " + option + " must be 'true' or 'false'");
                    }
                    String policy = v.equals("true") ? "drop" : "fail";
                    String badData = ConfluentConnectorOptions.BAD_DATA.key();
                    String earlier = result.get(badData);
                    if (earlier != null && !earlier.trim().equalsIgnoreCase(policy)) {
                        throw new ValidationException(
                                "Table "
                                        + table
                                        + " sets "
                                        + option
                                        + " = '"
                                        + v
                                        + "' (that is 'bad_data' = '"
                                        + policy
                                        + "') and 'bad_data' = '"
                                        + earlier
                                        + "'. Set only 'bad_data'.");
                    }
                    result.put(badData, policy);
                }
                case "fail-on-missing-field" -> {
                    if (!v.equals("false")) {
                        throw new ValidationException(
                                "Table "
                                        + table
                                        + " sets "
                                        + option
                                        + " = '"
                                        + v
                                        + "', which is not supported: a missing field reads as"
                                        + " NULL, and as bad data when its column is NOT NULL."
                                        + " Remove "
                                        + option
                                        + " and declare the columns that must be present NOT"
                                        + " NULL.");
                    }
                }
                default ->
                        throw new ValidationException(
                                "Table "
                                        + table
                                        + " sets "
                                        + option
                                        + ", which has no counterpart here. Remove it; of"
                                        + " Flink's json options, 'json.ignore-parse-errors'"
                                        + " and 'json.fail-on-missing-field' = 'false' are"
                                        + " supported (see docs/migration.md).");
            }
        }
    }
}
