package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.connector.secrets.SecretTemplates;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.api.ValidationException;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
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
        for (ProfileField flag :
                List.of(
                        ProfileField.ALLOW_OVERRIDES,
                        ProfileField.AUTH_ALLOW_PLAIN_WITHOUT_TLS,
                        ProfileField.SCHEMA_REGISTRY_ALLOW_HTTP_CREDENTIALS)) {
            String value = fields.get(flag.key());
            if (value != null
                    && !value.equalsIgnoreCase("true")
                    && !value.equalsIgnoreCase("false")) {
                throw new ValidationException(
                        context
                                + ": '"
                                + flag.key()
                                + "' is '"
                                + value
                                + "'; valid values: true, false");
            }
        }
        this.security = KafkaSecurity.decide(fields, context);
        Map<String, String> asWritten = new LinkedHashMap<>(security.choices());
        asWritten.putAll(clientProperties);
        checkPasswordTransport(asWritten, context);
        RegistrySettings.validate(fields, context);
    }

    /**
     * Refuses the PLAIN mechanism over {@code SASL_PLAINTEXT}, which sends the password as it is
     * over an unencrypted connection, unless {@code auth.allow-plain-without-tls} is set. Checked
     * when the profile is built on the values as written (skipped while they are templates) and
     * again on the resolved client properties.
     */
    private void checkPasswordTransport(Map<String, String> props, String context) {
        String protocol = props.get("security.protocol");
        String mechanism = props.getOrDefault("sasl.mechanism", "GSSAPI");
        if (protocol == null
                || SecretTemplates.isTemplate(protocol)
                || SecretTemplates.isTemplate(mechanism)
                || !protocol.trim().equalsIgnoreCase("SASL_PLAINTEXT")
                || !mechanism.trim().equalsIgnoreCase("PLAIN")
                || Boolean.parseBoolean(
                        fields.get(ProfileField.AUTH_ALLOW_PLAIN_WITHOUT_TLS.key()))) {
            return;
        }
        throw new ValidationException(
                context
                        + ": SASL PLAIN over SASL_PLAINTEXT sends the password unencrypted. Use"
                        + " SASL_SSL ('auth.protocol'), or a SCRAM mechanism ('auth.mechanism'),"
                        + " or, for a local test cluster only, set"
                        + " 'auth.allow-plain-without-tls' = 'true'.");
    }

    private static String context(String name, ProfileOrigin origin) {
        return "Connection profile '" + name + "' (" + origin.describe() + ")";
    }

    /** Starts messages about this profile: {@code Connection profile 'x' (where defined)}. */
    String context() {
        return context(name, origin);
    }

    /** The profile's name; {@code inline} for a profile made of a table's own options. */
    public String name() {
        return name;
    }

    /** Where the profile was defined. */
    ProfileOrigin origin() {
        return origin;
    }

    /**
     * Whether tables that name this profile may override its connection and security properties
     * ({@link GuardedProperties}): only when the profile says so, since such an override can send
     * the profile's credentials to another broker.
     */
    boolean allowsOverrides() {
        return Boolean.parseBoolean(fields.get(ProfileField.ALLOW_OVERRIDES.key()));
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
     * @throws IllegalArgumentException if a templated value is one Kafka would reject (shown as
     *     written)
     */
    public Map<String, String> kafkaProperties(Function<String, String> env) {
        Objects.requireNonNull(env, "env");
        Map<String, String> props = new LinkedHashMap<>();
        String servers = resolve(ProfileField.BOOTSTRAP_SERVERS, env);
        TemplatedKafkaValues.check(
                "bootstrap.servers",
                servers,
                bootstrapServers(),
                origin.settingName(ProfileField.BOOTSTRAP_SERVERS.key()));
        props.put("bootstrap.servers", servers);
        props.putAll(
                security.properties(
                        field -> resolve(field, env),
                        (field, part) ->
                                SecretTemplates.resolve(
                                        part, origin.settingName(field.key()), env)));
        for (Map.Entry<String, String> e : clientProperties.entrySet()) {
            String setting = origin.settingName(ConnectionProfiles.PROPERTIES_PREFIX + e.getKey());
            String value = SecretTemplates.resolve(e.getValue(), setting, env);
            TemplatedKafkaValues.check(e.getKey(), value, e.getValue(), setting);
            props.put(e.getKey(), value);
        }
        checkPasswordTransport(props, context(name, origin));
        return props;
    }

    /** {@link #kafkaProperties(Function)} against this process's environment variables. */
    public Map<String, String> kafkaProperties() {
        return kafkaProperties(System::getenv);
    }

    /**
     * The Schema Registry of this profile, if it names an endpoint. Every value stays as written in
     * the returned config, templates included; the registry client resolves them where it connects.
     */
    public Optional<SchemaRegistryConfig> schemaRegistry() {
        return RegistrySettings.config(fields, context(name, origin));
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
