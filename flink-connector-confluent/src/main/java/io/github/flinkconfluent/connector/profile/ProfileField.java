package io.github.flinkconfluent.connector.profile;

import org.apache.flink.annotation.Internal;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The fields a connection profile may carry, in one place.
 *
 * <p>Every way of defining a profile (Flink configuration, profiles file, inline table options)
 * accepts exactly these names plus the {@code properties.*} family, so one list drives validation,
 * the "valid fields" part of error messages, the table factory's accepted options and the check
 * that {@code docs/profiles.md} documents them all.
 */
@Internal
public enum ProfileField {
    BOOTSTRAP_SERVERS("bootstrap.servers", Kind.PLAIN, "Kafka bootstrap servers (required)."),
    KEY("key", Kind.SECRET, "Confluent Cloud API key; implies SASL_SSL with PLAIN."),
    SECRET("secret", Kind.SECRET, "Confluent Cloud API secret; required with 'key'."),
    AUTH_TYPE("auth.type", Kind.CHOICE, "'none' or 'sasl'; instead of key/secret."),
    AUTH_PROTOCOL(
            "auth.protocol",
            Kind.CHOICE,
            "Security protocol: SASL_SSL (default) or SASL_PLAINTEXT with 'sasl';"
                    + " PLAINTEXT (default) or SSL with 'none'."),
    AUTH_MECHANISM(
            "auth.mechanism",
            Kind.CHOICE,
            "SASL mechanism: PLAIN (default), SCRAM-SHA-256, SCRAM-SHA-512."),
    AUTH_ALLOW_PLAIN_WITHOUT_TLS(
            "auth.allow-plain-without-tls",
            Kind.CHOICE,
            "'true' allows the PLAIN mechanism over SASL_PLAINTEXT, which sends the password"
                    + " unencrypted (local test clusters only). Default 'false'."),
    AUTH_USERNAME("auth.username", Kind.SECRET, "SASL user name; required with 'sasl'."),
    AUTH_PASSWORD("auth.password", Kind.SECRET, "SASL password; required with 'sasl'."),
    SSL_TRUSTSTORE_LOCATION(
            "ssl.truststore.location",
            Kind.PLAIN,
            "Trust store for the brokers' TLS certificates (Kafka ssl.truststore.location)."),
    SSL_TRUSTSTORE_PASSWORD(
            "ssl.truststore.password", Kind.SECRET, "Password of the brokers' trust store."),
    SSL_TRUSTSTORE_TYPE(
            "ssl.truststore.type", Kind.CHOICE, "JKS, PKCS12 or PEM (Kafka's default: JKS)."),
    SCHEMA_REGISTRY_ENDPOINT(
            "schema-registry.endpoint",
            Kind.PLAIN,
            "Schema Registry URL(s), comma separated; without it the profile has no registry."),
    SCHEMA_REGISTRY_API_KEY(
            "schema-registry.api-key", Kind.SECRET, "Schema Registry API key (HTTP basic user)."),
    SCHEMA_REGISTRY_API_SECRET(
            "schema-registry.api-secret",
            Kind.SECRET,
            "Schema Registry API secret; required with the API key."),
    SCHEMA_REGISTRY_ALLOW_HTTP_CREDENTIALS(
            "schema-registry.allow-http-credentials",
            Kind.CHOICE,
            "'true' allows the API key and secret over plain http:// to a host other than this"
                    + " machine (refused by default: they would cross the network unencrypted)."),
    SCHEMA_REGISTRY_TRUSTSTORE_LOCATION(
            "schema-registry.ssl.truststore.location",
            Kind.PLAIN,
            "Trust store for the registry's TLS certificate."),
    SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD(
            "schema-registry.ssl.truststore.password",
            Kind.SECRET,
            "Password of the registry's trust store."),
    SCHEMA_REGISTRY_TRUSTSTORE_TYPE(
            "schema-registry.ssl.truststore.type", Kind.CHOICE, "PKCS12 (default), JKS or PEM."),
    ALLOW_OVERRIDES(
            "allow-overrides",
            Kind.CHOICE,
            "'true' lets tables that name this profile override its bootstrap servers, security,"
                    + " SASL, TLS, config provider and class properties with 'properties.*'"
                    + " options. Default 'false'.");

    /** How a field's value may be written and shown. */
    @Internal
    public enum Kind {
        /** Shown in descriptions; may hold {@code {{VAR}}} templates. */
        PLAIN,
        /** Never shown, in any form but a template name; may hold templates. */
        SECRET,
        /** One of a fixed set of words, checked when the profile is built: no templates. */
        CHOICE
    }

    private final String key;
    private final Kind kind;
    private final String description;

    ProfileField(String key, Kind kind, String description) {
        this.key = key;
        this.kind = kind;
        this.description = description;
    }

    /** The name users write, e.g. {@code schema-registry.api-key}. */
    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return kind == Kind.SECRET;
    }

    public static Optional<ProfileField> of(String key) {
        return Arrays.stream(values()).filter(f -> f.key.equals(key)).findFirst();
    }

    /** All field names in declaration order. */
    public static Set<String> keys() {
        return Arrays.stream(values())
                .map(ProfileField::key)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The list for error messages: every field, then the {@code properties.*} family. */
    public static String validFieldsForMessages() {
        List<String> names =
                Arrays.stream(values()).map(ProfileField::key).collect(Collectors.toList());
        names.add(ConnectionProfiles.PROPERTIES_PREFIX + "*");
        return String.join(", ", names);
    }
}
