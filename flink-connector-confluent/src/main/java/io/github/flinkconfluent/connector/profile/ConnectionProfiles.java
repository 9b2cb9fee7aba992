package io.github.flinkconfluent.connector.profile;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;

import javax.annotation.Nullable;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the connection profile of a table, a catalog or a DataStream job.
 *
 * <p>Users name a profile ({@code 'connection_profile' = 'my_cluster'}) and define it once, in the
 * place that suits their deployment: Flink configuration ({@code config.yaml} or a SQL {@code SET})
 * under {@code confluent.profiles.<name>.<field>}, or a YAML profiles file named by {@code
 * confluent.profiles-file}. A table without a profile name carries the same fields inline. This
 * class is the one place that knows those rules, so the table factory, the catalog and the builders
 * agree on them, and so every "not found" or "invalid" message says where it looked.
 *
 * <p>Precedence: when Flink configuration has any {@code confluent.profiles.<name>.*} key, the
 * profile is taken from Flink configuration alone and a profile of the same name in the file is
 * ignored; fields are never mixed from both places. Per-table {@code properties.*} options are
 * added on top of a named profile's {@code properties.*}.
 */
@PublicEvolving
public final class ConnectionProfiles {

    /** The prefix of Kafka client properties passed through as they are. */
    public static final String PROPERTIES_PREFIX = "properties.";

    /** The prefix of profile fields in Flink configuration. */
    public static final String PROFILES_PREFIX = "confluent.profiles.";

    /** The name of a profile built from a table's own options. */
    public static final String INLINE_PROFILE_NAME = "inline";

    /** The YAML file holding further profiles, read where profiles are resolved (the client). */
    public static final ConfigOption<String> PROFILES_FILE =
            ConfigOptions.key("confluent.profiles-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Path of a YAML file with connection profiles under the key"
                                    + " 'profiles'. Profiles defined in Flink configuration"
                                    + " (confluent.profiles.<name>.*) take precedence.");

    private ConnectionProfiles() {}

    /**
     * Resolves the profile of a table.
     *
     * <p>When {@code profileName != null}, from the Flink configuration keys {@code
     * confluent.profiles.<name>.<field>} (from SQL {@code SET} or {@code config.yaml}), else from
     * the YAML file named by {@code confluent.profiles-file}; the table's {@code properties.*}
     * options are added to the profile's. When {@code profileName == null}, from the inline table
     * options (the same field names, e.g. {@code bootstrap.servers}, {@code key}, {@code secret},
     * {@code schema-registry.endpoint}, plus {@code properties.*}); other options are ignored.
     *
     * @throws ValidationException naming the profile, the missing or unknown field and the valid
     *     ones, or where the profile was looked for
     */
    public static ConnectionProfile resolve(
            @Nullable String profileName,
            ReadableConfig flinkConfig,
            Map<String, String> inlineOptions) {
        Objects.requireNonNull(flinkConfig, "flinkConfig");
        return resolve(
                profileName, flinkConfig, inlineOptions, OperatorSettings.program(flinkConfig));
    }

    /**
     * {@link #resolve} for a table or catalog written in SQL, where the operator's settings are
     * told apart from the session's ({@link OperatorSettings}): a session cannot change a profile
     * the operator defined, its templates may name only the variables the operator allows, and it
     * may name a profiles file only in the directory the operator allows.
     *
     * @param sqlConfig the configuration the planner or catalog manager passes to a factory
     */
    @Internal
    public static ConnectionProfile resolveForSql(
            @Nullable String profileName,
            ReadableConfig sqlConfig,
            Map<String, String> inlineOptions) {
        Objects.requireNonNull(sqlConfig, "sqlConfig");
        return resolve(profileName, sqlConfig, inlineOptions, OperatorSettings.sql(sqlConfig));
    }

    private static ConnectionProfile resolve(
            @Nullable String profileName,
            ReadableConfig flinkConfig,
            Map<String, String> inlineOptions,
            OperatorSettings operator) {
        Objects.requireNonNull(inlineOptions, "inlineOptions");
        if (profileName == null) {
            return inline(inlineOptions, operator);
        }
        checkName(profileName);
        List<String> conflicting =
                inlineOptions.keySet().stream()
                        .filter(ProfileField.keys()::contains)
                        .sorted()
                        .toList();
        if (!conflicting.isEmpty()) {
            throw new ValidationException(
                    "The table uses connection profile '"
                            + profileName
                            + "' but also sets the connection options "
                            + conflicting
                            + ". Remove them (they belong in the profile), or drop"
                            + " 'connection_profile' to define the connection inline."
                            + " Per-table 'properties.*' options are allowed.");
        }
        ConnectionProfile profile = named(profileName, flinkConfig, operator);
        Map<String, String> tableProperties = new LinkedHashMap<>();
        inlineOptions.forEach(
                (k, v) -> {
                    if (k.startsWith(PROPERTIES_PREFIX)) {
                        tableProperties.put(k.substring(PROPERTIES_PREFIX.length()), v);
                    }
                });
        if (tableProperties.isEmpty()) {
            return profile;
        }
        List<String> guarded =
                tableProperties.keySet().stream()
                        .filter(GuardedProperties::isGuarded)
                        .sorted()
                        .map(k -> PROPERTIES_PREFIX + k)
                        .toList();
        if (!guarded.isEmpty() && !profile.allowsOverrides()) {
            throw new ValidationException(
                    "The table uses connection profile '"
                            + profileName
                            + "' ("
                            + profile.origin().describe()
                            + ") and sets "
                            + guarded
                            + ", which would override the profile's connection or security"
                            + " settings and could send its credentials elsewhere. A table may not"
                            + " override "
                            + GuardedProperties.describe()
                            + " of a named profile unless the profile sets 'allow-overrides' ="
                            + " 'true'. Remove the option, or use a profile made for that"
                            + " connection.");
        }
        operator.checkTemplates(
                "The table's options for connection profile '" + profileName + "'",
                tableProperties,
                k -> PROPERTIES_PREFIX + k);
        ConnectionProfile withTableProperties = profile.withClientProperties(tableProperties);
        Map<String, String> asOptions = new LinkedHashMap<>();
        tableProperties.forEach((k, v) -> asOptions.put(PROPERTIES_PREFIX + k, v));
        LiteralSecrets.warn("The table's options for " + profile.context(), asOptions, k -> k);
        return withTableProperties;
    }

    /** The table option keys of inline profiles, without the {@code properties.*} family. */
    public static Set<String> inlineOptionKeys() {
        return Collections.unmodifiableSet(ProfileField.keys());
    }

    private static ConnectionProfile inline(
            Map<String, String> options, OperatorSettings operator) {
        Map<String, String> settings = new LinkedHashMap<>();
        options.forEach(
                (k, v) -> {
                    if (ProfileField.of(k).isPresent() || k.startsWith(PROPERTIES_PREFIX)) {
                        settings.put(k, v);
                    }
                });
        if (!settings.containsKey(ProfileField.BOOTSTRAP_SERVERS.key())) {
            throw new ValidationException(
                    "The table names no connection: set 'connection_profile' to the name of a"
                            + " profile, or define the connection inline with"
                            + " 'bootstrap.servers' (required) and, as needed, "
                            + ProfileField.validFieldsForMessages());
        }
        ProfileOrigin origin = ProfileOrigin.inline();
        operator.checkTemplates(
                "Connection profile '" + INLINE_PROFILE_NAME + "' (" + origin.describe() + ")",
                settings,
                origin::settingName);
        ConnectionProfile profile = new ConnectionProfile(INLINE_PROFILE_NAME, origin, settings);
        LiteralSecrets.warn(profile.context(), settings, origin::settingName);
        return profile;
    }

    private static ConnectionProfile named(
            String name, ReadableConfig flinkConfig, OperatorSettings operator) {
        Map<String, String> config = flinkConfig.toMap();
        String prefix = PROFILES_PREFIX + name + ".";
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> asSet = new java.util.TreeMap<>();
        config.forEach(
                (k, v) -> {
                    if (k.startsWith(prefix)) {
                        settings.put(k.substring(prefix.length()), v);
                        asSet.put(k, v);
                    }
                });
        if (!settings.isEmpty()) {
            ProfileOrigin origin = ProfileOrigin.flinkConfig(name);
            Map<String, String> operators = operator.configuredWithPrefix(prefix);
            if (operators.isEmpty()) {
                // Defined by the session (or, outside SQL, by the program itself).
                operator.checkTemplates(
                        "Connection profile '" + name + "' (" + origin.describe() + ")",
                        settings,
                        origin::settingName);
            } else if (!operators.equals(asSet)) {
                throw changedOperatorProfile(name, operators, asSet);
            }
            ConnectionProfile profile = new ConnectionProfile(name, origin, settings);
            LiteralSecrets.warn(profile.context(), settings, origin::settingName);
            return profile;
        }
        StringBuilder notFound =
                new StringBuilder("Connection profile '")
                        .append(name)
                        .append("' not found. Looked for the Flink configuration keys '")
                        .append(prefix)
                        .append("*' (profiles defined there: ")
                        .append(namesInConfig(config))
                        .append(")");
        String file = flinkConfig.getOptional(PROFILES_FILE).orElse(null);
        if (file == null) {
            notFound.append(" and no profiles file is configured ('")
                    .append(PROFILES_FILE.key())
                    .append("' is not set).");
        } else {
            Path path = operator.profilesFile(file);
            file = path.toString();
            Map<String, Map<String, String>> inFile = ProfilesFile.load(path);
            Map<String, String> fromFile = inFile.get(name);
            if (fromFile != null) {
                ProfileOrigin origin = ProfileOrigin.file(name, file);
                ConnectionProfile profile = new ConnectionProfile(name, origin, fromFile);
                LiteralSecrets.warn(profile.context(), fromFile, origin::settingName);
                return profile;
            }
            notFound.append(" and in the profiles file '")
                    .append(file)
                    .append("' (")
                    .append(PROFILES_FILE.key())
                    .append("; profiles there: ")
                    .append(new TreeSet<>(inFile.keySet()))
                    .append(").");
        }
        throw new ValidationException(notFound.toString());
    }

    /**
     * A session changed keys of a profile the operator defined: refused, since it could send the
     * profile's credentials elsewhere (a new {@code bootstrap.servers}) or read them differently.
     * The message names keys, never values.
     */
    private static ValidationException changedOperatorProfile(
            String name, Map<String, String> operators, Map<String, String> effective) {
        Set<String> changed = new TreeSet<>();
        effective.forEach(
                (k, v) -> {
                    if (!v.equals(operators.get(k))) {
                        changed.add(k);
                    }
                });
        operators.keySet().stream().filter(k -> !effective.containsKey(k)).forEach(changed::add);
        return new ValidationException(
                "Connection profile '"
                        + name
                        + "' is defined in the cluster configuration, and this SQL session"
                        + " changes it: "
                        + changed
                        + ". A session cannot change a profile the operator defined (that could"
                        + " send its credentials to another broker or registry). RESET those keys,"
                        + " or define a profile of another name.");
    }

    private static Set<String> namesInConfig(Map<String, String> config) {
        Set<String> names = new TreeSet<>();
        for (String key : config.keySet()) {
            if (key.startsWith(PROFILES_PREFIX)) {
                String rest = key.substring(PROFILES_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    names.add(rest.substring(0, dot));
                }
            }
        }
        return names;
    }

    private static void checkName(String name) {
        if (name.isBlank() || name.contains(".") || !name.equals(name.trim())) {
            throw new ValidationException(
                    "Invalid connection profile name '"
                            + name
                            + "': it must be non-empty, without dots or surrounding blanks, since"
                            + " it becomes part of the keys '"
                            + PROFILES_PREFIX
                            + "<name>.<field>'");
        }
    }
}
