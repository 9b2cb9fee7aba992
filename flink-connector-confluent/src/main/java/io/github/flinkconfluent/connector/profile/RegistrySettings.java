package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a profile's {@code schema-registry.*} fields into a {@link SchemaRegistryConfig}.
 *
 * <p>Every field goes into the config as written, {@code {{VAR}}} templates included: the registry
 * client resolves them when it is created, on the machine that calls the registry. The endpoint,
 * store locations, token endpoint and Confluent Cloud ids are not secret in themselves, but a
 * template in them may name any variable of the process, so they too are shown only as written (and
 * a templated endpoint's form is checked when it is resolved).
 *
 * <p>Authentication is {@code none}, {@code basic} or {@code bearer}; {@code schema-registry.auth}
 * may name it, otherwise the credential fields that are set decide. Bearer tokens are a static
 * {@code schema-registry.bearer.token}, or are fetched with OAuth client credentials: the
 * registry's own ({@code schema-registry.oauth.*}) or, when it has none, the Kafka connection's
 * ({@code auth.oauth.*}), as one Confluent Cloud identity usually serves both.
 */
@Internal
final class RegistrySettings {

    private static final List<String> TRUSTSTORE_TYPES = List.of("JKS", "PEM", "PKCS12");
    private static final List<String> KEYSTORE_TYPES = List.of("JKS", "PKCS12");
    private static final List<String> AUTH_TYPES = List.of("basic", "bearer", "none");

    private static final List<ProfileField> REGISTRY_OAUTH_REQUIRED =
            List.of(
                    ProfileField.SCHEMA_REGISTRY_OAUTH_TOKEN_ENDPOINT,
                    ProfileField.SCHEMA_REGISTRY_OAUTH_CLIENT_ID,
                    ProfileField.SCHEMA_REGISTRY_OAUTH_CLIENT_SECRET);

    /** Fields that only mean something with bearer authentication. */
    private static final List<ProfileField> BEARER_ONLY =
            List.of(
                    ProfileField.SCHEMA_REGISTRY_BEARER_TOKEN,
                    ProfileField.SCHEMA_REGISTRY_BEARER_LOGICAL_CLUSTER,
                    ProfileField.SCHEMA_REGISTRY_BEARER_IDENTITY_POOL_ID,
                    ProfileField.SCHEMA_REGISTRY_OAUTH_TOKEN_ENDPOINT,
                    ProfileField.SCHEMA_REGISTRY_OAUTH_CLIENT_ID,
                    ProfileField.SCHEMA_REGISTRY_OAUTH_CLIENT_SECRET,
                    ProfileField.SCHEMA_REGISTRY_OAUTH_SCOPE);

    /** Where bearer tokens come from. */
    private enum TokenSource {
        STATIC,
        REGISTRY_OAUTH,
        KAFKA_OAUTH
    }

    private RegistrySettings() {}

    /**
     * Checks the combination of registry fields when the profile is built, and the endpoint's form
     * when it holds no template, so mistakes show at planning time.
     */
    static void validate(Map<String, String> fields, String context) {
        String endpoint = fields.get(ProfileField.SCHEMA_REGISTRY_ENDPOINT.key());
        if (endpoint == null) {
            List<String> orphans =
                    fields.keySet().stream()
                            .filter(k -> k.startsWith("schema-registry."))
                            .sorted()
                            .toList();
            if (!orphans.isEmpty()) {
                throw invalid(context, orphans + " set but 'schema-registry.endpoint' is not");
            }
            return;
        }
        String auth = authType(fields, context);
        if (auth.equals("bearer")) {
            tokenSource(fields, context);
        }
        checkStore(
                fields,
                context,
                ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION,
                List.of(
                        ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD,
                        ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_TYPE),
                ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_TYPE,
                TRUSTSTORE_TYPES);
        checkStore(
                fields,
                context,
                ProfileField.SCHEMA_REGISTRY_KEYSTORE_LOCATION,
                List.of(
                        ProfileField.SCHEMA_REGISTRY_KEYSTORE_PASSWORD,
                        ProfileField.SCHEMA_REGISTRY_KEYSTORE_TYPE),
                ProfileField.SCHEMA_REGISTRY_KEYSTORE_TYPE,
                KEYSTORE_TYPES);
        config(fields, context);
    }

    /** A short description for logs, e.g. {@code basic auth} or {@code OAuth bearer}. */
    static String describe(Map<String, String> fields) {
        String auth = authType(fields, "");
        String text =
                switch (auth) {
                    case "basic" -> "basic auth";
                    case "bearer" ->
                            fields.containsKey(ProfileField.SCHEMA_REGISTRY_BEARER_TOKEN.key())
                                    ? "bearer token"
                                    : "OAuth bearer";
                    default -> "no auth";
                };
        return fields.containsKey(ProfileField.SCHEMA_REGISTRY_KEYSTORE_LOCATION.key())
                ? text + ", client certificate"
                : text;
    }

    /**
     * The registry config, or empty when the profile has no endpoint. Every value goes in as
     * written: the registry client resolves templates where it connects.
     */
    static Optional<SchemaRegistryConfig> config(Map<String, String> fields, String context) {
        String endpoint = fields.get(ProfileField.SCHEMA_REGISTRY_ENDPOINT.key());
        if (endpoint == null) {
            return Optional.empty();
        }
        try {
            SchemaRegistryConfig.Builder builder = SchemaRegistryConfig.builder(endpoint);
            switch (authType(fields, context)) {
                case "basic" ->
                        builder.basicAuth(
                                fields.get(ProfileField.SCHEMA_REGISTRY_API_KEY.key()),
                                fields.get(ProfileField.SCHEMA_REGISTRY_API_SECRET.key()));
                case "bearer" -> {
                    switch (tokenSource(fields, context)) {
                        case STATIC ->
                                builder.bearerAuth(
                                        fields.get(
                                                ProfileField.SCHEMA_REGISTRY_BEARER_TOKEN.key()));
                        case REGISTRY_OAUTH ->
                                builder.oauthBearer(
                                        new SchemaRegistryConfig.OAuthClientCredentials(
                                                fields.get(
                                                        ProfileField
                                                                .SCHEMA_REGISTRY_OAUTH_TOKEN_ENDPOINT
                                                                .key()),
                                                fields.get(
                                                        ProfileField.SCHEMA_REGISTRY_OAUTH_CLIENT_ID
                                                                .key()),
                                                fields.get(
                                                        ProfileField
                                                                .SCHEMA_REGISTRY_OAUTH_CLIENT_SECRET
                                                                .key()),
                                                fields.get(
                                                        ProfileField.SCHEMA_REGISTRY_OAUTH_SCOPE
                                                                .key()),
                                                "schema-registry.oauth"));
                        case KAFKA_OAUTH -> {
                            String scope =
                                    fields.containsKey(
                                                    ProfileField.SCHEMA_REGISTRY_OAUTH_SCOPE.key())
                                            ? fields.get(
                                                    ProfileField.SCHEMA_REGISTRY_OAUTH_SCOPE.key())
                                            : fields.get(ProfileField.AUTH_OAUTH_SCOPE.key());
                            builder.oauthBearer(
                                    new SchemaRegistryConfig.OAuthClientCredentials(
                                            fields.get(
                                                    ProfileField.AUTH_OAUTH_TOKEN_ENDPOINT.key()),
                                            fields.get(ProfileField.AUTH_OAUTH_CLIENT_ID.key()),
                                            fields.get(ProfileField.AUTH_OAUTH_CLIENT_SECRET.key()),
                                            scope,
                                            "auth.oauth"));
                        }
                    }
                    builder.bearerCluster(
                            fields.get(ProfileField.SCHEMA_REGISTRY_BEARER_LOGICAL_CLUSTER.key()),
                            fields.get(ProfileField.SCHEMA_REGISTRY_BEARER_IDENTITY_POOL_ID.key()));
                }
                default -> {
                    // no credentials
                }
            }
            builder.allowCredentialsOverHttp(
                    Boolean.parseBoolean(
                            fields.get(ProfileField.SCHEMA_REGISTRY_ALLOW_HTTP_CREDENTIALS.key())));
            String location = fields.get(ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION.key());
            if (location != null) {
                builder.truststore(
                        location,
                        fields.get(ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD.key()),
                        upper(fields, ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_TYPE, "PKCS12"));
            }
            String keystore = fields.get(ProfileField.SCHEMA_REGISTRY_KEYSTORE_LOCATION.key());
            if (keystore != null) {
                builder.keystore(
                        keystore,
                        fields.get(ProfileField.SCHEMA_REGISTRY_KEYSTORE_PASSWORD.key()),
                        upper(fields, ProfileField.SCHEMA_REGISTRY_KEYSTORE_TYPE, "PKCS12"));
            }
            return Optional.of(builder.build());
        } catch (IllegalArgumentException e) {
            // The builder's messages name the setting, show values as written and never a
            // credential.
            throw invalid(context, e.getMessage());
        }
    }

    /** {@code none}, {@code basic} or {@code bearer}: as named, or as the fields imply. */
    private static String authType(Map<String, String> fields, String context) {
        boolean hasKey = fields.containsKey(ProfileField.SCHEMA_REGISTRY_API_KEY.key());
        boolean hasSecret = fields.containsKey(ProfileField.SCHEMA_REGISTRY_API_SECRET.key());
        if (hasKey != hasSecret) {
            throw invalid(
                    context,
                    "'"
                            + (hasKey ? "schema-registry.api-key" : "schema-registry.api-secret")
                            + "' is set but '"
                            + (hasKey ? "schema-registry.api-secret" : "schema-registry.api-key")
                            + "' is missing: registry credentials need both");
        }
        List<String> bearerFields =
                BEARER_ONLY.stream().map(ProfileField::key).filter(fields::containsKey).toList();
        String named = fields.get(ProfileField.SCHEMA_REGISTRY_AUTH.key());
        String auth;
        if (named != null) {
            auth = named.trim().toLowerCase(Locale.ROOT);
            if (!AUTH_TYPES.contains(auth)) {
                throw invalid(
                        context,
                        "'schema-registry.auth' is '"
                                + named
                                + "'; valid values: "
                                + String.join(", ", AUTH_TYPES));
            }
        } else if (hasKey) {
            auth = "basic";
        } else if (fields.containsKey(ProfileField.SCHEMA_REGISTRY_BEARER_TOKEN.key())
                || REGISTRY_OAUTH_REQUIRED.stream().anyMatch(f -> fields.containsKey(f.key()))) {
            auth = "bearer";
        } else {
            auth = "none";
        }
        if (hasKey && !auth.equals("basic")) {
            throw invalid(
                    context,
                    "'schema-registry.api-key' and 'schema-registry.api-secret' are set, which is"
                            + " basic authentication, but 'schema-registry.auth' is '"
                            + auth
                            + "'");
        }
        if (!auth.equals("bearer") && !bearerFields.isEmpty()) {
            throw invalid(
                    context,
                    bearerFields
                            + " set, which only apply to bearer authentication, but the registry"
                            + " authentication is '"
                            + auth
                            + "'"
                            + (hasKey
                                    ? " (from schema-registry.api-key): use either basic or"
                                            + " bearer credentials"
                                    : ""));
        }
        if (auth.equals("basic") && !hasKey) {
            throw invalid(
                    context,
                    "'schema-registry.auth' = 'basic' needs 'schema-registry.api-key' and"
                            + " 'schema-registry.api-secret'");
        }
        return auth;
    }

    private static TokenSource tokenSource(Map<String, String> fields, String context) {
        boolean token = fields.containsKey(ProfileField.SCHEMA_REGISTRY_BEARER_TOKEN.key());
        List<String> oauth =
                REGISTRY_OAUTH_REQUIRED.stream()
                        .map(ProfileField::key)
                        .filter(fields::containsKey)
                        .toList();
        if (token && !oauth.isEmpty()) {
            throw invalid(
                    context,
                    "'schema-registry.bearer.token' and "
                            + oauth
                            + " are set: use either a static token or OAuth client credentials");
        }
        if (token) {
            return TokenSource.STATIC;
        }
        if (!oauth.isEmpty()) {
            if (oauth.size() < REGISTRY_OAUTH_REQUIRED.size()) {
                List<String> missing =
                        REGISTRY_OAUTH_REQUIRED.stream()
                                .map(ProfileField::key)
                                .filter(k -> !fields.containsKey(k))
                                .toList();
                throw invalid(
                        context,
                        oauth
                                + " set but "
                                + missing
                                + " missing: registry OAuth credentials need a token endpoint,"
                                + " a client id and a client secret (or none of them, to use"
                                + " the Kafka connection's auth.oauth.*)");
            }
            return TokenSource.REGISTRY_OAUTH;
        }
        if (fields.containsKey(ProfileField.AUTH_OAUTH_TOKEN_ENDPOINT.key())) {
            return TokenSource.KAFKA_OAUTH;
        }
        throw invalid(
                context,
                "'schema-registry.auth' = 'bearer' needs a token: 'schema-registry.bearer.token',"
                        + " or OAuth client credentials in schema-registry.oauth.token-endpoint,"
                        + " .client-id and .client-secret, or the Kafka connection's"
                        + " (auth.mechanism = 'OAUTHBEARER' with auth.oauth.*)");
    }

    private static void checkStore(
            Map<String, String> fields,
            String context,
            ProfileField locationField,
            List<ProfileField> dependent,
            ProfileField typeField,
            List<String> types) {
        boolean location = fields.containsKey(locationField.key());
        for (ProfileField f : dependent) {
            if (fields.containsKey(f.key()) && !location) {
                throw invalid(
                        context,
                        "'" + f.key() + "' is set but '" + locationField.key() + "' is not");
            }
        }
        String type = fields.get(typeField.key());
        if (type != null && !types.contains(type.trim().toUpperCase(Locale.ROOT))) {
            throw invalid(
                    context,
                    "'"
                            + typeField.key()
                            + "' is '"
                            + type
                            + "'; valid values: "
                            + String.join(", ", types));
        }
    }

    private static String upper(Map<String, String> fields, ProfileField field, String fallback) {
        String value = fields.get(field.key());
        return value == null ? fallback : value.trim().toUpperCase(Locale.ROOT);
    }

    private static ValidationException invalid(String context, String message) {
        return new ValidationException(context + ": " + message);
    }
}
