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
            "SASL mechanism: PLAIN (default), SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER."),
    AUTH_ALLOW_PLAIN_WITHOUT_TLS(
            "auth.allow-plain-without-tls",
            Kind.CHOICE,
            "'true' allows the PLAIN mechanism over SASL_PLAINTEXT, which sends the password"
                    + " unencrypted (local test clusters only). Default 'false'."),
    AUTH_USERNAME("auth.username", Kind.SECRET, "SASL user name; required with PLAIN and SCRAM."),
    AUTH_PASSWORD("auth.password", Kind.SECRET, "SASL password; required with PLAIN and SCRAM."),
    AUTH_OAUTH_TOKEN_ENDPOINT(
            "auth.oauth.token-endpoint",
            Kind.PLAIN,
            "OAuth token endpoint URL of the identity provider; required with OAUTHBEARER."),
    AUTH_OAUTH_CLIENT_ID(
            "auth.oauth.client-id", Kind.SECRET, "OAuth client id; required with OAUTHBEARER."),
    AUTH_OAUTH_CLIENT_SECRET(
            "auth.oauth.client-secret",
            Kind.SECRET,
            "OAuth client secret; required with OAUTHBEARER."),
    AUTH_OAUTH_SCOPE("auth.oauth.scope", Kind.PLAIN, "OAuth scope(s) to request, space separated."),
    AUTH_OAUTH_EXTENSIONS(
            "auth.oauth.extensions",
            Kind.PLAIN,
            "SASL extensions as name=value pairs, comma separated; Confluent Cloud needs"
                    + " logicalCluster=lkc-… and identityPoolId=pool-…."),
    SSL_TRUSTSTORE_LOCATION(
            "ssl.truststore.location",
            Kind.PLAIN,
            "Trust store for the brokers' TLS certificates (Kafka ssl.truststore.location)."),
    SSL_TRUSTSTORE_PASSWORD(
            "ssl.truststore.password", Kind.SECRET, "Password of the brokers' trust store."),
    SSL_TRUSTSTORE_TYPE(
            "ssl.truststore.type", Kind.CHOICE, "JKS, PKCS12 or PEM (Kafka's default: JKS)."),
    SSL_KEYSTORE_LOCATION(
            "ssl.keystore.location",
            Kind.PLAIN,
            "Key store with this client's certificate and key, for brokers that require client"
                    + " certificates (mTLS)."),
    SSL_KEYSTORE_PASSWORD("ssl.keystore.password", Kind.SECRET, "Password of that key store."),
    SSL_KEYSTORE_TYPE(
            "ssl.keystore.type", Kind.CHOICE, "JKS, PKCS12 or PEM (Kafka's default: JKS)."),
    SSL_KEY_PASSWORD(
            "ssl.key.password",
            Kind.SECRET,
            "Password of the private key in the key store, if it differs from the store's."),
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
    SCHEMA_REGISTRY_AUTH(
            "schema-registry.auth",
            Kind.CHOICE,
            "'none', 'basic' or 'bearer'; by default decided by the credential fields that are"
                    + " set."),
    SCHEMA_REGISTRY_BEARER_TOKEN(
            "schema-registry.bearer.token",
            Kind.SECRET,
            "A static bearer token for the registry (instead of fetching one with OAuth)."),
    SCHEMA_REGISTRY_BEARER_LOGICAL_CLUSTER(
            "schema-registry.bearer.logical-cluster",
            Kind.PLAIN,
            "Confluent Cloud: the registry's logical cluster id (lsrc-…), sent with bearer"
                    + " tokens."),
    SCHEMA_REGISTRY_BEARER_IDENTITY_POOL_ID(
            "schema-registry.bearer.identity-pool-id",
            Kind.PLAIN,
            "Confluent Cloud: the identity pool id (pool-…), sent with bearer tokens."),
    SCHEMA_REGISTRY_OAUTH_TOKEN_ENDPOINT(
            "schema-registry.oauth.token-endpoint",
            Kind.PLAIN,
            "OAuth token endpoint for registry tokens; default: auth.oauth.token-endpoint."),
    SCHEMA_REGISTRY_OAUTH_CLIENT_ID(
            "schema-registry.oauth.client-id",
            Kind.SECRET,
            "OAuth client id for registry tokens; default: auth.oauth.client-id."),
    SCHEMA_REGISTRY_OAUTH_CLIENT_SECRET(
            "schema-registry.oauth.client-secret",
            Kind.SECRET,
            "OAuth client secret for registry tokens; default: auth.oauth.client-secret."),
    SCHEMA_REGISTRY_OAUTH_SCOPE(
            "schema-registry.oauth.scope",
            Kind.PLAIN,
            "OAuth scope(s) for registry tokens; default: auth.oauth.scope."),
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
    SCHEMA_REGISTRY_KEYSTORE_LOCATION(
            "schema-registry.ssl.keystore.location",
            Kind.PLAIN,
            "Key store with this client's certificate and key, for a registry that requires"
                    + " client certificates (mTLS)."),
    SCHEMA_REGISTRY_KEYSTORE_PASSWORD(
            "schema-registry.ssl.keystore.password",
            Kind.SECRET,
            "Password of the registry key store (and of its key)."),
    SCHEMA_REGISTRY_KEYSTORE_TYPE(
            "schema-registry.ssl.keystore.type", Kind.CHOICE, "PKCS12 (default) or JKS."),
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
