package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.api.ValidationException;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A named connection: a Kafka cluster and, optionally, its Schema Registry.
 *
 * <p>Tables, the catalog and the DataStream builders all take a profile instead of raw client
 * properties, so that one definition (in {@code config.yaml}, a SQL {@code SET}, a profiles file or
 * a table's options) serves every job, and so that secrets stay out of everything Flink writes
 * down. The object holds values exactly as the user wrote them, {@code {{VAR}}} templates
 * unresolved; it is serializable and travels in job graphs and plans as is. Templates are resolved
 * by {@link #kafkaProperties()} and by the registry client, on the machine that opens the
 * connection. {@link #toString()}, {@link #describe()} and every exception thrown here name fields
 * and templates, never a secret's value.
 *
 * <p>Profiles are obtained from {@link ConnectionProfiles#resolve}; their fields are listed in
 * {@code docs/profiles.md}.
 */
@PublicEvolving
public final class ConnectionProfile implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final ProfileOrigin origin;

    /** Known fields, as written. */
    private final TreeMap<String, String> fields;

    /** {@code properties.*} entries without the prefix, as written. */
    private final TreeMap<String, String> clientProperties;

    private final KafkaSecurity security;

    /**
     * Validates and builds a profile.
     *
     * @param settings fields and {@code properties.*} entries as written (with the prefix)
     * @throws ValidationException naming the profile, its origin and the faulty field
     */
    ConnectionProfile(String name, ProfileOrigin origin, Map<String, String> settings) {
        this.name = Objects.requireNonNull(name, "name");
        this.origin = Objects.requireNonNull(origin, "origin");
        this.fields = new TreeMap<>();
        this.clientProperties = new TreeMap<>();
        String context = context(name, origin);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.startsWith(ConnectionProfiles.PROPERTIES_PREFIX)) {
                String property = key.substring(ConnectionProfiles.PROPERTIES_PREFIX.length());
                if (property.isEmpty()) {
                    throw new ValidationException(
                            context + ": '" + key + "' names no Kafka client property");
                }
                clientProperties.put(property, value);
                continue;
            }
            ProfileField field =
                    ProfileField.of(key)
                            .orElseThrow(
                                    () ->
                                            new ValidationException(
                                                    context
                                                            + ": unknown field '"
                                                            + key
                                                            + "' ("
                                                            + origin.settingName(key)
                                                            + "). Valid fields: "
                                                            + ProfileField
                                                                    .validFieldsForMessages()));
            if (value == null || value.isBlank()) {
                throw new ValidationException(
                        context + ": '" + key + "' is empty (" + origin.settingName(key) + ")");
            }
            if (field.kind() == ProfileField.Kind.CHOICE && SecretTemplates.isTemplate(value)) {
                throw new ValidationException(
                        context + ": '" + key + "' does not accept {{VAR}} templates");
            }
            // Secrets are kept byte for byte: a trailing blank may be part of a password.
            fields.put(key, field.isSecret() ? value : value.trim());
        }
        if (!fields.containsKey(ProfileField.BOOTSTRAP_SERVERS.key())) {
            throw new ValidationException(
                    context
                            + ": the required field 'bootstrap.servers' is missing ("
                            + origin.settingName(ProfileField.BOOTSTRAP_SERVERS.key())
                            + "). Valid fields: "
                            + ProfileField.validFieldsForMessages());
        }
        this.security = KafkaSecurity.decide(fields, context);
        RegistrySettings.validate(fields, context);
    }

    private static String context(String name, ProfileOrigin origin) {
        return "Connection profile '" + name + "' (" + origin.describe() + ")";
    }

    /** The profile's name; {@code inline} for a profile made of a table's own options. */
    public String name() {
        return name;
    }

    /** Where the profile was defined. */
    ProfileOrigin origin() {
        return origin;
    }

    /** As written; may hold {@code {{VAR}}} templates. */
    public String bootstrapServers() {
        return fields.get(ProfileField.BOOTSTRAP_SERVERS.key());
    }

    /**
     * The Kafka client properties of this profile, every {@code {{VAR}}} resolved through {@code
     * env}: {@code bootstrap.servers}, the security settings, the TLS trust settings and then the
     * {@code properties.*} entries, which win over the derived ones. Call it on the machine that
     * opens the connection. Returns a new map on every call that the caller may change.
     *
     * @throws SecretTemplates.MissingSecretException naming the variable and the setting
     */
    public Map<String, String> kafkaProperties(Function<String, String> env) {
        Objects.requireNonNull(env, "env");
        Map<String, String> props = new LinkedHashMap<>();
        props.put("bootstrap.servers", resolve(ProfileField.BOOTSTRAP_SERVERS, env));
        props.putAll(
                security.properties(
                        field -> resolve(field, env),
                        (field, part) ->
                                SecretTemplates.resolve(
                                        part, origin.settingName(field.key()), env)));
        for (Map.Entry<String, String> e : clientProperties.entrySet()) {
            String setting = origin.settingName(ConnectionProfiles.PROPERTIES_PREFIX + e.getKey());
            props.put(e.getKey(), SecretTemplates.resolve(e.getValue(), setting, env));
        }
        return props;
    }

    /** {@link #kafkaProperties(Function)} against this process's environment variables. */
    public Map<String, String> kafkaProperties() {
        return kafkaProperties(System::getenv);
    }

    /**
     * The Schema Registry of this profile, if it names an endpoint. Credentials stay templates in
     * the returned config (the registry client resolves them); a template in the endpoint or the
     * trust store location is resolved here, from this process's environment.
     */
    public Optional<SchemaRegistryConfig> schemaRegistry() {
        return schemaRegistry(System::getenv);
    }

    /** {@link #schemaRegistry()} with the given environment, for tests. */
    Optional<SchemaRegistryConfig> schemaRegistry(Function<String, String> env) {
        return RegistrySettings.config(fields, f -> resolve(f, env), context(name, origin));
    }

    /** A copy of this profile with more {@code properties.*} entries, which win. */
    ConnectionProfile withClientProperties(Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>(fields);
        clientProperties.forEach(
                (k, v) -> settings.put(ConnectionProfiles.PROPERTIES_PREFIX + k, v));
        overrides.forEach((k, v) -> settings.put(ConnectionProfiles.PROPERTIES_PREFIX + k, v));
        return new ConnectionProfile(name, origin, settings);
    }

    /**
     * A description safe for logs and plans: the name, where it was defined, the bootstrap servers,
     * the security protocol and mechanism, and the registry endpoint with its authentication.
     */
    public String describe() {
        StringBuilder out =
                new StringBuilder("connection profile '")
                        .append(name)
                        .append("' (")
                        .append(origin.describe())
                        .append("): bootstrap.servers=")
                        .append(bootstrapServers())
                        .append(", security=")
                        .append(security.describe());
        if (fields.containsKey(ProfileField.SSL_KEYSTORE_LOCATION.key())) {
            out.append(" with client certificate");
        }
        String endpoint = fields.get(ProfileField.SCHEMA_REGISTRY_ENDPOINT.key());
        if (endpoint == null) {
            out.append(", no schema registry");
        } else {
            out.append(", schema-registry=")
                    .append(endpoint)
                    .append(" (")
                    .append(RegistrySettings.describe(fields))
                    .append(")");
        }
        if (!clientProperties.isEmpty()) {
            out.append(", properties=").append(clientProperties.keySet());
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "ConnectionProfile{" + describe() + "}";
    }

    /** Equal when defined the same way: same name, origin, fields and properties as written. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionProfile other
                && name.equals(other.name)
                && origin.equals(other.origin)
                && fields.equals(other.fields)
                && clientProperties.equals(other.clientProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, origin, fields, clientProperties);
    }

    private String resolve(ProfileField field, Function<String, String> env) {
        String value = fields.get(field.key());
        return value == null
                ? null
                : SecretTemplates.resolve(value, origin.settingName(field.key()), env);
    }
}
