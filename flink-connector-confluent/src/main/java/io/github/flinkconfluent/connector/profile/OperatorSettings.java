package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.secrets.SecretTemplates;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.TableConfig;
import org.apache.flink.table.api.ValidationException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the operator of a Flink cluster configured, told apart from what a SQL session set.
 *
 * <p>On a shared SQL Gateway the people who write SQL are not the people who run the cluster, and a
 * SQL session can {@code SET} any configuration key. A restriction a session could lift would
 * protect nothing, so the operator-only settings ({@link #ALLOWED_ENV}, {@link
 * #PROFILES_FILE_DIRECTORY}) are read only from places a session cannot write:
 *
 * <ul>
 *   <li>a JVM system property of the same name ({@code -Dconfluent.secrets.allowed-env=…}, e.g. in
 *       {@code env.java.opts.all}), which wins;
 *   <li>the cluster configuration: for tables, the planner hands the factory a {@link TableConfig},
 *       whose <em>root</em> configuration is the cluster's ({@code config.yaml} and the command
 *       line of the SQL client or gateway) while a session's {@code SET} goes into its own layer on
 *       top; where no {@link TableConfig} is given (a catalog created on the SQL Gateway gets the
 *       session's merged configuration), the {@code config.yaml} in {@code FLINK_CONF_DIR}.
 * </ul>
 *
 * <p>The same split tells whether a profile was defined by the operator or by the session, and
 * whether the profiles file was named by either. A program that builds its own job (DataStream, a
 * Table API program, the validate command) is its own operator: {@link #program} trusts the whole
 * configuration it was given and restricts nothing.
 */
@Internal
public final class OperatorSettings {

    /** Which environment variables {@code {{VAR}}} templates written in SQL may name. */
    public static final ConfigOption<String> ALLOWED_ENV =
            ConfigOptions.key("confluent.secrets.allowed-env")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Operator only (cluster configuration or JVM system property; a SQL"
                                    + " SET is ignored). Comma-separated environment variable"
                                    + " names, or prefixes ending in '*', that {{VAR}} templates"
                                    + " written in SQL (table options, catalog options, profiles"
                                    + " defined with SET) may name. Unset: any variable. Empty:"
                                    + " none. Profiles defined by the operator may name any.");

    /** The directory from which a SQL session may choose a profiles file. */
    public static final ConfigOption<String> PROFILES_FILE_DIRECTORY =
            ConfigOptions.key("confluent.profiles-file-directory")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Operator only (cluster configuration or JVM system property; a SQL"
                                    + " SET is ignored). A directory whose files a SQL session may"
                                    + " name with SET 'confluent.profiles-file'. Unset: only the"
                                    + " cluster configuration may name the profiles file.");

    private final Map<String, String> operator;
    private final boolean sql;
    private final Function<String, String> systemProperties;

    private OperatorSettings(
            Map<String, String> operator, boolean sql, Function<String, String> systemProperties) {
        this.operator = operator;
        this.sql = sql;
        this.systemProperties = systemProperties;
    }

    /** For a program that builds its own job: everything it was given is the operator's. */
    static OperatorSettings program(ReadableConfig config) {
        return new OperatorSettings(config.toMap(), false, System::getProperty);
    }

    /** For SQL: see the class comment for where the operator's settings come from. */
    static OperatorSettings sql(ReadableConfig config) {
        return sql(config, OperatorSettings::clusterConfiguration, System::getProperty);
    }

    @VisibleForTesting
    static OperatorSettings sql(
            ReadableConfig config,
            Supplier<Map<String, String>> clusterConfiguration,
            Function<String, String> systemProperties) {
        Map<String, String> operator =
                config instanceof TableConfig table
                        ? table.getRootConfiguration().toMap()
                        : clusterConfiguration.get();
        return new OperatorSettings(operator, true, systemProperties);
    }

    /** True when the settings came from a SQL session, whose restrictions then apply. */
    boolean isSql() {
        return sql;
    }

    /** The operator's value of {@code key} in the cluster configuration, if set. */
    Optional<String> configured(String key) {
        return Optional.ofNullable(operator.get(key));
    }

    /** The operator's entries whose keys start with {@code prefix}. */
    Map<String, String> configuredWithPrefix(String prefix) {
        Map<String, String> result = new java.util.TreeMap<>();
        operator.forEach(
                (k, v) -> {
                    if (k.startsWith(prefix)) {
                        result.put(k, v);
                    }
                });
        return result;
    }

    /** An operator-only setting: the JVM system property, else the cluster configuration. */
    Optional<String> operatorOnly(ConfigOption<String> option) {
        String property = systemProperties.apply(option.key());
        return property != null ? Optional.of(property) : configured(option.key());
    }

    /**
     * Refuses templates in {@code settings} (values written in SQL) that name a variable the
     * operator does not allow; does nothing outside SQL or when {@link #ALLOWED_ENV} is unset.
     *
     * @param context starts the message, e.g. {@code Connection profile 'x' (table options)}
     * @param settingName the full name of a setting's key, for the message
     */
    void checkTemplates(
            String context, Map<String, String> settings, Function<String, String> settingName) {
        if (!sql) {
            return;
        }
        Optional<String> allowed = operatorOnly(ALLOWED_ENV);
        if (allowed.isEmpty()) {
            return;
        }
        List<String> entries =
                Arrays.stream(allowed.get().split(","))
                        .map(String::trim)
                        .filter(e -> !e.isEmpty())
                        .toList();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            for (String variable : SecretTemplates.variables(setting.getValue())) {
                if (!allows(entries, variable)) {
                    throw new ValidationException(
                            context
                                    + ": the template {{"
                                    + variable
                                    + "}} in '"
                                    + settingName.apply(setting.getKey())
                                    + "' names the environment variable '"
                                    + variable
                                    + "', which SQL may not use on this cluster. The operator"
                                    + " allows "
                                    + (entries.isEmpty() ? "no variables" : entries)
                                    + " ("
                                    + ALLOWED_ENV.key()
                                    + "). Use a connection profile the operator defined, or ask"
                                    + " the operator to allow the variable.");
                }
            }
        }
    }

    private static boolean allows(List<String> entries, String variable) {
        for (String entry : entries) {
            if (entry.endsWith("*")
                    ? variable.startsWith(entry.substring(0, entry.length() - 1))
                    : variable.equals(entry)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The profiles file to read for {@code confluent.profiles-file} = {@code file}. In SQL, a file
     * the session named (rather than the cluster configuration) must lie in {@link
     * #PROFILES_FILE_DIRECTORY}, symbolic links resolved; a relative name is taken in that
     * directory. Otherwise {@code SET 'confluent.profiles-file'} could make the connector read any
     * YAML file the process can read, and its error messages would tell which exist. The messages
     * here are the same whether the file exists or not.
     */
    Path profilesFile(String file) {
        if (!sql || configured(ConnectionProfiles.PROFILES_FILE.key()).orElse("").equals(file)) {
            return Path.of(file);
        }
        Optional<String> directory = operatorOnly(PROFILES_FILE_DIRECTORY);
        if (directory.isEmpty()) {
            throw new ValidationException(
                    "The profiles file '"
                            + file
                            + "' is named by this SQL session ('"
                            + ConnectionProfiles.PROFILES_FILE.key()
                            + "'). Only the cluster configuration may name the profiles file,"
                            + " unless the operator sets '"
                            + PROFILES_FILE_DIRECTORY.key()
                            + "' to a directory whose files sessions may choose.");
        }
        Path base = Path.of(directory.get()).toAbsolutePath().normalize();
        Path candidate;
        try {
            candidate = base.resolve(file).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw outside(file, base);
        }
        if (!candidate.startsWith(base)) {
            throw outside(file, base);
        }
        if (Files.exists(candidate)) {
            try {
                if (!candidate.toRealPath().startsWith(base.toRealPath())) {
                    throw outside(file, base);
                }
            } catch (IOException e) {
                throw outside(file, base);
            }
        }
        return candidate;
    }

    private static ValidationException outside(String file, Path directory) {
        return new ValidationException(
                "The profiles file '"
                        + file
                        + "' named by this SQL session ('"
                        + ConnectionProfiles.PROFILES_FILE.key()
                        + "') is not in the directory the operator allows for it ("
                        + directory
                        + ", '"
                        + PROFILES_FILE_DIRECTORY.key()
                        + "'). Name a file in that directory, e.g. SET '"
                        + ConnectionProfiles.PROFILES_FILE.key()
                        + "' = 'team.yaml'.");
    }

    /** The cluster's {@code config.yaml}, read once per JVM; empty without FLINK_CONF_DIR. */
    private static Map<String, String> clusterConfiguration() {
        return ClusterConfigurationHolder.VALUE;
    }

    /** Lazily loads the cluster configuration (which logs every key it reads) only once. */
    private static final class ClusterConfigurationHolder {
        static final Map<String, String> VALUE = load();

        private static Map<String, String> load() {
            if (System.getenv("FLINK_CONF_DIR") == null) {
                return Collections.emptyMap();
            }
            try {
                return Collections.unmodifiableMap(GlobalConfiguration.loadConfiguration().toMap());
            } catch (RuntimeException e) {
                // The process read the same file when it started; if it cannot be read now, no
                // profile counts as the operator's, which restricts more, never less.
                return Collections.emptyMap();
            }
        }
    }
}
