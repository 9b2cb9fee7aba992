package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.secrets.SecretTemplates;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a profile authenticates to the brokers, decided once from its fields and turned into Kafka
 * client properties on demand.
 *
 * <p>Kept apart from {@link ConnectionProfile} because the rules (API key vs. {@code auth.*}, which
 * protocol goes with which mechanism, when TLS trust settings make sense) are the part users get
 * wrong most, and each rule has its own message. The decision is made when the profile is built, so
 * a wrong combination fails at planning time; credentials are only read when {@link #properties} is
 * called with a resolver on the machine that connects.
 */
@Internal
final class KafkaSecurity implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String PLAIN_LOGIN_MODULE =
            "org.apache.kafka.common.security.plain.PlainLoginModule";
    static final String SCRAM_LOGIN_MODULE =
            "org.apache.kafka.common.security.scram.ScramLoginModule";
    static final String OAUTHBEARER_LOGIN_MODULE =
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule";

    /**
     * Fetches tokens with the client-credentials grant; without it, Kafka's OAUTHBEARER login uses
     * its "unsecured" test handler, which makes up a token no real cluster accepts.
     */
    static final String OAUTHBEARER_LOGIN_CALLBACK_HANDLER =
            "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler";

    static final String OAUTHBEARER = "OAUTHBEARER";

    /** Kafka's rules for SASL extension names: letters only, and "auth" is reserved. */
    private static final java.util.regex.Pattern EXTENSION_NAME =
            java.util.regex.Pattern.compile("[A-Za-z]+");

    private static final Set<String> SASL_PROTOCOLS = Set.of("SASL_SSL", "SASL_PLAINTEXT");
    private static final Set<String> NON_SASL_PROTOCOLS = Set.of("PLAINTEXT", "SSL");
    private static final List<String> MECHANISMS =
            List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", OAUTHBEARER);
    private static final List<String> STORE_TYPES = List.of("JKS", "PKCS12", "PEM");
    private static final List<ProfileField> OAUTH_REQUIRED =
            List.of(
                    ProfileField.AUTH_OAUTH_TOKEN_ENDPOINT,
                    ProfileField.AUTH_OAUTH_CLIENT_ID,
                    ProfileField.AUTH_OAUTH_CLIENT_SECRET);

    private final String protocol;
    private final String mechanism;
    private final ProfileField usernameField;
    private final ProfileField passwordField;
    private final boolean apiKey;

    /** {@code auth.oauth.extensions} by name, values as written (templates unresolved). */
    private final LinkedHashMap<String, String> extensions = new LinkedHashMap<>();

    private KafkaSecurity(
            String protocol,
            String mechanism,
            ProfileField usernameField,
            ProfileField passwordField,
            boolean apiKey) {
        this.protocol = protocol;
        this.mechanism = mechanism;
        this.usernameField = usernameField;
        this.passwordField = passwordField;
        this.apiKey = apiKey;
    }

    /**
     * Decides the security settings from the profile's fields.
     *
     * @param context names the profile in messages, e.g. {@code Connection profile 'x' (…)}
     * @throws ValidationException on a missing, conflicting or unsupported setting
     */
    static KafkaSecurity decide(Map<String, String> fields, String context) {
        boolean hasKey = fields.containsKey(ProfileField.KEY.key());
        boolean hasSecret = fields.containsKey(ProfileField.SECRET.key());
        List<String> authFields =
                fields.keySet().stream().filter(k -> k.startsWith("auth.")).sorted().toList();
        KafkaSecurity security;
        if (hasKey || hasSecret) {
            if (hasKey != hasSecret) {
                throw invalid(
                        context,
                        "'"
                                + (hasKey ? "key" : "secret")
                                + "' is set but '"
                                + (hasKey ? "secret" : "key")
                                + "' is missing: a Confluent Cloud API key needs both 'key' and"
                                + " 'secret'");
            }
            if (!authFields.isEmpty()) {
                throw invalid(
                        context,
                        "use either 'key'/'secret' (Confluent Cloud API key) or the auth.* fields,"
                                + " not both; found "
                                + authFields);
            }
            security =
                    new KafkaSecurity(
                            "SASL_SSL", "PLAIN", ProfileField.KEY, ProfileField.SECRET, true);
        } else {
            security = fromAuthFields(fields, context);
        }
        security.checkOAuthFields(fields, context);
        security.checkStores(fields, context);
        return security;
    }

    private static KafkaSecurity fromAuthFields(Map<String, String> fields, String context) {
        String type = fields.getOrDefault(ProfileField.AUTH_TYPE.key(), "none");
        String protocol = upper(fields.get(ProfileField.AUTH_PROTOCOL.key()));
        switch (type.toLowerCase(Locale.ROOT)) {
            case "sasl" -> {
                protocol = protocol == null ? "SASL_SSL" : protocol;
                requireOneOf(context, ProfileField.AUTH_PROTOCOL, protocol, SASL_PROTOCOLS);
                String mechanism =
                        upper(fields.getOrDefault(ProfileField.AUTH_MECHANISM.key(), "PLAIN"));
                requireOneOf(context, ProfileField.AUTH_MECHANISM, mechanism, MECHANISMS);
                if (mechanism.equals(OAUTHBEARER)) {
                    return oauth(fields, context, protocol);
                }
                List<String> missing = new ArrayList<>();
                for (ProfileField f :
                        List.of(ProfileField.AUTH_USERNAME, ProfileField.AUTH_PASSWORD)) {
                    if (!fields.containsKey(f.key())) {
                        missing.add(f.key());
                    }
                }
                if (!missing.isEmpty()) {
                    throw invalid(
                            context,
                            "'auth.type' = 'sasl' with 'auth.mechanism' = '"
                                    + mechanism
                                    + "' needs "
                                    + missing);
                }
                return new KafkaSecurity(
                        protocol,
                        mechanism,
                        ProfileField.AUTH_USERNAME,
                        ProfileField.AUTH_PASSWORD,
                        false);
            }
            case "none" -> {
                for (ProfileField f :
                        List.of(
                                ProfileField.AUTH_MECHANISM,
                                ProfileField.AUTH_USERNAME,
                                ProfileField.AUTH_PASSWORD)) {
                    if (fields.containsKey(f.key())) {
                        throw invalid(
                                context, "'" + f.key() + "' is set but 'auth.type' is not 'sasl'");
                    }
                }
                protocol = protocol == null ? "PLAINTEXT" : protocol;
                requireOneOf(context, ProfileField.AUTH_PROTOCOL, protocol, NON_SASL_PROTOCOLS);
                return new KafkaSecurity(protocol, null, null, null, false);
            }
            default ->
                    throw invalid(
                            context, "'auth.type' is '" + type + "'; valid values: none, sasl");
        }
    }

    /**
     * OAUTHBEARER with the client-credentials grant: the client id and secret buy a token at the
     * identity provider's token endpoint, which the brokers validate.
     */
    private static KafkaSecurity oauth(
            Map<String, String> fields, String context, String protocol) {
        for (ProfileField f : List.of(ProfileField.AUTH_USERNAME, ProfileField.AUTH_PASSWORD)) {
            if (fields.containsKey(f.key())) {
                throw invalid(
                        context,
                        "'"
                                + f.key()
                                + "' is set but 'auth.mechanism' is 'OAUTHBEARER', which"
                                + " authenticates with auth.oauth.client-id and"
                                + " auth.oauth.client-secret");
            }
        }
        List<String> missing =
                OAUTH_REQUIRED.stream()
                        .map(ProfileField::key)
                        .filter(k -> !fields.containsKey(k))
                        .toList();
        if (!missing.isEmpty()) {
            throw invalid(context, "'auth.mechanism' = 'OAUTHBEARER' needs " + missing);
        }
        String endpoint = fields.get(ProfileField.AUTH_OAUTH_TOKEN_ENDPOINT.key());
        if (!SecretTemplates.isTemplate(endpoint)
                && !endpoint.startsWith("https://")
                && !endpoint.startsWith("http://")) {
            throw invalid(
                    context,
                    "'auth.oauth.token-endpoint' is '"
                            + endpoint
                            + "'; it must be the identity provider's token URL (https://…)");
        }
        KafkaSecurity security = new KafkaSecurity(protocol, OAUTHBEARER, null, null, false);
        security.extensions.putAll(
                extensions(fields.get(ProfileField.AUTH_OAUTH_EXTENSIONS.key()), context));
        return security;
    }

    private void checkOAuthFields(Map<String, String> fields, String context) {
        if (OAUTHBEARER.equals(mechanism)) {
            return;
        }
        fields.keySet().stream()
                .filter(k -> k.startsWith("auth.oauth."))
                .sorted()
                .findFirst()
                .ifPresent(
                        k -> {
                            throw invalid(
                                    context,
                                    "'"
                                            + k
                                            + "' is set but 'auth.mechanism' is not 'OAUTHBEARER';"
                                            + " for OAuth set 'auth.type' = 'sasl' and"
                                            + " 'auth.mechanism' = 'OAUTHBEARER'");
                        });
    }

    /**
     * Parses {@code auth.oauth.extensions}: {@code name=value} pairs, comma separated. Values may
     * be templates; names are checked against Kafka's rules here, so a typo fails at planning time.
     */
    static Map<String, String> extensions(String value, String context) {
        Map<String, String> extensions = new LinkedHashMap<>();
        if (value == null) {
            return extensions;
        }
        for (String pair : value.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair.trim() : pair.substring(0, equals).trim();
            String extension = equals < 0 ? "" : pair.substring(equals + 1).trim();
            if (!EXTENSION_NAME.matcher(name).matches()
                    || name.equals("auth")
                    || extension.isEmpty()) {
                throw invalid(
                        context,
                        "'auth.oauth.extensions' must be name=value pairs separated by commas,"
                                + " names of letters only and not 'auth' (e.g."
                                + " 'logicalCluster=lkc-abc12,identityPoolId=pool-Ab1c'); found '"
                                + name
                                + "'");
            }
            if (extensions.put(name, extension) != null) {
                throw invalid(
                        context, "'auth.oauth.extensions' names '" + name + "' more than once");
            }
        }
        return extensions;
    }

    private void checkStores(Map<String, String> fields, String context) {
        checkStore(
                fields,
                context,
                ProfileField.SSL_TRUSTSTORE_LOCATION,
                List.of(ProfileField.SSL_TRUSTSTORE_PASSWORD, ProfileField.SSL_TRUSTSTORE_TYPE),
                ProfileField.SSL_TRUSTSTORE_TYPE);
        checkStore(
                fields,
                context,
                ProfileField.SSL_KEYSTORE_LOCATION,
                List.of(
                        ProfileField.SSL_KEYSTORE_PASSWORD,
                        ProfileField.SSL_KEYSTORE_TYPE,
                        ProfileField.SSL_KEY_PASSWORD),
                ProfileField.SSL_KEYSTORE_TYPE);
    }

    private void checkStore(
            Map<String, String> fields,
            String context,
            ProfileField locationField,
            List<ProfileField> dependent,
            ProfileField typeField) {
        boolean location = fields.containsKey(locationField.key());
        for (ProfileField f : dependent) {
            if (fields.containsKey(f.key()) && !location) {
                throw invalid(
                        context,
                        "'" + f.key() + "' is set but '" + locationField.key() + "' is not");
            }
        }
        if (location && !protocol.endsWith("SSL")) {
            throw invalid(
                    context,
                    "'"
                            + locationField.key()
                            + "' is set but the connection uses "
                            + protocol
                            + ", which has no TLS; set 'auth.protocol' to "
                            + (mechanism == null ? "SSL" : "SASL_SSL"));
        }
        String type = fields.get(typeField.key());
        if (type != null) {
            requireOneOf(context, typeField, upper(type), STORE_TYPES);
        }
    }

    /**
     * The Kafka client security properties.
     *
     * @param resolved gives a field's value with its templates resolved, or null when unset
     * @param resolvePart resolves the templates in a part of a field's value (one SASL extension)
     */
    Map<String, String> properties(
            Function<ProfileField, String> resolved,
            java.util.function.BiFunction<ProfileField, String, String> resolvePart) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("security.protocol", protocol);
        if (OAUTHBEARER.equals(mechanism)) {
            props.put("sasl.mechanism", mechanism);
            props.put("sasl.login.callback.handler.class", OAUTHBEARER_LOGIN_CALLBACK_HANDLER);
            props.put(
                    "sasl.oauthbearer.token.endpoint.url",
                    resolved.apply(ProfileField.AUTH_OAUTH_TOKEN_ENDPOINT));
            props.put(
                    "sasl.oauthbearer.client.credentials.client.id",
                    resolved.apply(ProfileField.AUTH_OAUTH_CLIENT_ID));
            props.put(
                    "sasl.oauthbearer.client.credentials.client.secret",
                    resolved.apply(ProfileField.AUTH_OAUTH_CLIENT_SECRET));
            String scope = resolved.apply(ProfileField.AUTH_OAUTH_SCOPE);
            if (scope != null) {
                props.put("sasl.oauthbearer.scope", scope);
            }
            StringBuilder jaas = new StringBuilder(OAUTHBEARER_LOGIN_MODULE).append(" required");
            // Each value is resolved on its own, so that a variable's text can never be read as
            // a separator or a name (and so end up in a message).
            extensions.forEach(
                    (name, value) ->
                            jaas.append(" extension_")
                                    .append(name)
                                    .append("=\"")
                                    .append(
                                            jaasEscape(
                                                    resolvePart.apply(
                                                            ProfileField.AUTH_OAUTH_EXTENSIONS,
                                                            value)))
                                    .append('"'));
            props.put("sasl.jaas.config", jaas.append(';').toString());
        } else if (mechanism != null) {
            props.put("sasl.mechanism", mechanism);
            String module = mechanism.equals("PLAIN") ? PLAIN_LOGIN_MODULE : SCRAM_LOGIN_MODULE;
            props.put(
                    "sasl.jaas.config",
                    module
                            + " required username=\""
                            + jaasEscape(resolved.apply(usernameField))
                            + "\" password=\""
                            + jaasEscape(resolved.apply(passwordField))
                            + "\";");
        }
        putStore(
                props,
                resolved,
                ProfileField.SSL_TRUSTSTORE_LOCATION,
                ProfileField.SSL_TRUSTSTORE_PASSWORD,
                ProfileField.SSL_TRUSTSTORE_TYPE);
        putStore(
                props,
                resolved,
                ProfileField.SSL_KEYSTORE_LOCATION,
                ProfileField.SSL_KEYSTORE_PASSWORD,
                ProfileField.SSL_KEYSTORE_TYPE);
        if (props.containsKey("ssl.keystore.location")) {
            String keyPassword = resolved.apply(ProfileField.SSL_KEY_PASSWORD);
            if (keyPassword != null) {
                props.put("ssl.key.password", keyPassword);
            }
        }
        return props;
    }

    /**
     * Kafka's {@code ssl.*store.location/password/type} from the fields, when a location is set.
     */
    private static void putStore(
            Map<String, String> props,
            Function<ProfileField, String> resolved,
            ProfileField locationField,
            ProfileField passwordField,
            ProfileField typeField) {
        String location = resolved.apply(locationField);
        if (location == null) {
            return;
        }
        props.put(locationField.key(), location);
        String password = resolved.apply(passwordField);
        if (password != null) {
            props.put(passwordField.key(), password);
        }
        String type = resolved.apply(typeField);
        if (type != null) {
            props.put(typeField.key(), upper(type));
        }
    }

    /** The SASL mechanism, or null without SASL. */
    String mechanism() {
        return mechanism;
    }

    /** The protocol and mechanism as decided, as Kafka client properties (no credentials). */
    Map<String, String> choices() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("security.protocol", protocol);
        if (mechanism != null) {
            props.put("sasl.mechanism", mechanism);
        }
        return props;
    }

    /**
     * For descriptions, e.g. {@code SASL_SSL/PLAIN (API key)}, {@code SASL_SSL/OAUTHBEARER} or
     * {@code PLAINTEXT}.
     */
    String describe() {
        if (mechanism == null) {
            return protocol;
        }
        if (mechanism.equals(OAUTHBEARER)) {
            return protocol + "/" + mechanism;
        }
        return protocol + "/" + mechanism + (apiKey ? " (API key)" : " (auth.type=sasl)");
    }

    /**
     * Escapes a value for a double-quoted JAAS option: Kafka parses {@code sasl.jaas.config} with
     * {@link java.io.StreamTokenizer}, which reads backslash escapes inside quotes.
     */
    static String jaasEscape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static void requireOneOf(
            String context, ProfileField field, String value, java.util.Collection<String> valid) {
        if (!valid.contains(value)) {
            throw invalid(
                    context,
                    "'"
                            + field.key()
                            + "' is '"
                            + value
                            + "'; valid values here: "
                            + String.join(", ", valid.stream().sorted().toList()));
        }
    }

    private static String upper(String value) {
        return value == null ? null : value.trim().toUpperCase(Locale.ROOT);
    }

    private static ValidationException invalid(String context, String message) {
        return new ValidationException(context + ": " + message);
    }
}
