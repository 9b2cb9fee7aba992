package io.github.flinkconfluent.connector.profile;

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

    private static final Set<String> SASL_PROTOCOLS = Set.of("SASL_SSL", "SASL_PLAINTEXT");
    private static final Set<String> NON_SASL_PROTOCOLS = Set.of("PLAINTEXT", "SSL");
    private static final List<String> MECHANISMS =
            List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");
    private static final List<String> TRUSTSTORE_TYPES = List.of("JKS", "PKCS12", "PEM");

    private final String protocol;
    private final String mechanism;
    private final ProfileField usernameField;
    private final ProfileField passwordField;
    private final boolean apiKey;

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
        security.checkTrustStore(fields, context);
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
                List<String> missing = new ArrayList<>();
                for (ProfileField f :
                        List.of(ProfileField.AUTH_USERNAME, ProfileField.AUTH_PASSWORD)) {
                    if (!fields.containsKey(f.key())) {
                        missing.add(f.key());
                    }
                }
                if (!missing.isEmpty()) {
                    throw invalid(context, "'auth.type' = 'sasl' needs " + missing);
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

    private void checkTrustStore(Map<String, String> fields, String context) {
        boolean location = fields.containsKey(ProfileField.SSL_TRUSTSTORE_LOCATION.key());
        for (ProfileField f :
                List.of(ProfileField.SSL_TRUSTSTORE_PASSWORD, ProfileField.SSL_TRUSTSTORE_TYPE)) {
            if (fields.containsKey(f.key()) && !location) {
                throw invalid(
                        context, "'" + f.key() + "' is set but 'ssl.truststore.location' is not");
            }
        }
        if (location && !protocol.endsWith("SSL")) {
            throw invalid(
                    context,
                    "'ssl.truststore.location' is set but the connection uses "
                            + protocol
                            + ", which has no TLS; set 'auth.protocol' to "
                            + (mechanism == null ? "SSL" : "SASL_SSL"));
        }
        String type = fields.get(ProfileField.SSL_TRUSTSTORE_TYPE.key());
        if (type != null) {
            requireOneOf(context, ProfileField.SSL_TRUSTSTORE_TYPE, upper(type), TRUSTSTORE_TYPES);
        }
    }

    /**
     * The Kafka client security properties.
     *
     * @param resolved gives a field's value with its templates resolved, or null when unset
     */
    Map<String, String> properties(Function<ProfileField, String> resolved) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("security.protocol", protocol);
        if (mechanism != null) {
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
        String location = resolved.apply(ProfileField.SSL_TRUSTSTORE_LOCATION);
        if (location != null) {
            props.put("ssl.truststore.location", location);
            String password = resolved.apply(ProfileField.SSL_TRUSTSTORE_PASSWORD);
            if (password != null) {
                props.put("ssl.truststore.password", password);
            }
            String type = resolved.apply(ProfileField.SSL_TRUSTSTORE_TYPE);
            if (type != null) {
                props.put("ssl.truststore.type", upper(type));
            }
        }
        return props;
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

    /** For descriptions, e.g. {@code SASL_SSL/PLAIN (API key)} or {@code PLAINTEXT}. */
    String describe() {
        if (mechanism == null) {
            return protocol;
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
