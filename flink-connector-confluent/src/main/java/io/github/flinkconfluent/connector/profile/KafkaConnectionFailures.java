package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.UnrecoverableException;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells the Kafka client failures that a restart cannot mend — the brokers refusing the
 * credentials, a TLS handshake that fails on trust or on a missing client certificate, a token the
 * identity provider refuses or the brokers reject, a token endpoint the JVM does not allow, a
 * missing ACL — from passing trouble, and explains them.
 *
 * <p>Why: Flink restarts a job on any failure, and with the default strategy for ever. A job with a
 * wrong password would restart every few seconds, each attempt failing the same way, the cause
 * buried in the exception history; the user sees a job that "runs" and reads nothing. These
 * failures come back as an {@link UnrecoverableException}, so the job fails at once with a message
 * that names the brokers, what was refused and which profile fields to check.
 *
 * <p>Messages are built from the client configuration's non-secret settings only ({@code
 * bootstrap.servers}, {@code security.protocol}, {@code sasl.mechanism}, the token endpoint) and
 * from what the broker or TLS layer said, which never includes the client's secrets.
 */
@Internal
public final class KafkaConnectionFailures {

    private KafkaConnectionFailures() {}

    /**
     * An {@link UnrecoverableException} explaining {@code failure} if it (or one of its causes) is
     * a permanent connection problem, else empty.
     *
     * @param config the Kafka client configuration that failed; only non-secret keys are read
     * @param action what the client was doing, e.g. {@code read topic 'orders'}
     */
    public static Optional<UnrecoverableException> explain(
            Throwable failure, Map<String, ?> config, String action) {
        List<Throwable> chain = chain(failure);
        if (find(chain, UnrecoverableException.class) != null) {
            return Optional.empty(); // explained already
        }
        String brokers = brokers(config);
        String mechanism = setting(config, "sasl.mechanism");
        String endpoint = setting(config, "sasl.oauthbearer.token.endpoint.url");

        String notAllowed = messageContaining(chain, "sasl.oauthbearer.allowed.urls");
        if (notAllowed != null) {
            return unrecoverable(
                    failure,
                    "Kafka refused to call the OAuth token endpoint "
                            + endpoint
                            + " while trying to "
                            + action
                            + " on "
                            + brokers
                            + ": Kafka clients call only the URLs listed in the JVM system"
                            + " property org.apache.kafka.sasl.oauthbearer.allowed.urls. Add the"
                            + " token endpoint to it in the JVM options of every Flink process,"
                            + " e.g. env.java.opts.all: -Dorg.apache.kafka.sasl.oauthbearer"
                            + ".allowed.urls="
                            + endpoint);
        }
        if (endpoint != null && tokenRefused(chain)) {
            return unrecoverable(
                    failure,
                    "Could not get an OAuth token from "
                            + endpoint
                            + " for "
                            + brokers
                            + " (while trying to "
                            + action
                            + "): "
                            + firstLine(tokenMessage(chain))
                            + ". Check auth.oauth.client-id, auth.oauth.client-secret and"
                            + " auth.oauth.scope of the connection profile.");
        }
        SaslAuthenticationException sasl = find(chain, SaslAuthenticationException.class);
        if (sasl != null) {
            if ("OAUTHBEARER".equalsIgnoreCase(mechanism)) {
                return unrecoverable(
                        failure,
                        capitalized(brokers)
                                + " rejected the OAuth token from "
                                + endpoint
                                + " while trying to "
                                + action
                                + ": "
                                + firstLine(sasl.getMessage())
                                + ". Check that the identity provider issues tokens this cluster"
                                + " accepts: not expired when issued (token lifetime, clocks of"
                                + " the identity provider and this host), from the issuer and"
                                + " for the audience the cluster expects; and, for Confluent"
                                + " Cloud, that auth.oauth.extensions names the cluster's"
                                + " logicalCluster (lkc-…) and an identityPoolId (pool-…) that"
                                + " may use it.");
            }
            return unrecoverable(
                    failure,
                    capitalized(brokers)
                            + " rejected the SASL credentials ("
                            + mechanism
                            + ") while trying to "
                            + action
                            + ": "
                            + firstLine(sasl.getMessage())
                            + ". Check "
                            + ("PLAIN".equalsIgnoreCase(mechanism)
                                    ? "the API key: 'key' and 'secret' (or 'auth.username' and"
                                            + " 'auth.password') of the connection profile, and"
                                            + " that the key is for this Kafka cluster (not a"
                                            + " Schema Registry key) and not deleted."
                                    : "'auth.username' and 'auth.password' of the connection"
                                            + " profile, and that 'auth.mechanism' is the one"
                                            + " the cluster expects."));
        }
        SslAuthenticationException ssl = find(chain, SslAuthenticationException.class);
        if (ssl != null) {
            return unrecoverable(
                    failure,
                    "The TLS handshake with "
                            + brokers
                            + " failed while trying to "
                            + action
                            + ": "
                            + tlsDiagnosis(chain, config));
        }
        AuthenticationException other = find(chain, AuthenticationException.class);
        if (other != null) {
            return unrecoverable(
                    failure,
                    capitalized(brokers)
                            + " did not authenticate this client while trying to "
                            + action
                            + ": "
                            + firstLine(other.getMessage())
                            + ". Check the security fields of the connection profile"
                            + " (auth.*, key/secret, ssl.*).");
        }
        AuthorizationException denied = find(chain, AuthorizationException.class);
        if (denied != null) {
            return unrecoverable(
                    failure,
                    capitalized(brokers)
                            + " denied "
                            + what(denied)
                            + " while trying to "
                            + action
                            + ": "
                            + firstLine(denied.getMessage())
                            + ". The credentials are valid but lack permission: grant the"
                            + " principal access (Kafka ACLs; in Confluent Cloud, role bindings"
                            + " or ACLs of the API key's service account or identity pool).");
        }
        return Optional.empty();
    }

    /**
     * {@code failure} explained as an {@link UnrecoverableException} if it is a permanent
     * connection problem, else {@code failure} itself: for {@code catch} blocks that rethrow.
     */
    public static RuntimeException unrecoverableOr(
            RuntimeException failure, Map<String, ?> config, String action) {
        return explain(failure, config, action).<RuntimeException>map(e -> e).orElse(failure);
    }

    private static String tlsDiagnosis(List<Throwable> chain, Map<String, ?> config) {
        String messages = allMessages(chain).toLowerCase(Locale.ROOT);
        boolean trustStore = setting(config, "ssl.truststore.location") != null;
        boolean keyStore = setting(config, "ssl.keystore.location") != null;
        if (messages.contains("no subject alternative") || messages.contains("no name matching")) {
            return "the brokers' certificate does not name the host this client connected to ("
                    + firstLine(rootMessage(chain))
                    + "). Use the host name or address the certificate is issued for in"
                    + " bootstrap.servers; hostname verification stays on.";
        }
        if (messages.contains("pkix path")
                || messages.contains("unable to find valid certification path")
                || messages.contains("certificate_unknown")) {
            return "the brokers' certificate is not trusted ("
                    + firstLine(rootMessage(chain))
                    + "). "
                    + (trustStore
                            ? "The trust store in ssl.truststore.location does not hold the CA"
                                    + " that signed it: check the file and ssl.truststore.type."
                            : "If the brokers use a private CA or a self-signed certificate, set"
                                    + " ssl.truststore.location (and ssl.truststore.type,"
                                    + " ssl.truststore.password) of the connection profile.");
        }
        if (messages.contains("bad_certificate")
                || messages.contains("certificate_required")
                || messages.contains("unknown_ca")) {
            return "the brokers refused this client's certificate, or require one ("
                    + firstLine(rootMessage(chain))
                    + "). "
                    + (keyStore
                            ? "Check that the certificate in ssl.keystore.location is signed by"
                                    + " a CA the brokers trust and not expired."
                            : "Set ssl.keystore.location (and ssl.keystore.password,"
                                    + " ssl.keystore.type) to a key store with a client"
                                    + " certificate the brokers trust.");
        }
        return firstLine(rootMessage(chain))
                + ". Check ssl.truststore.* (the brokers' CA) and, if the brokers require client"
                + " certificates, ssl.keystore.* of the connection profile.";
    }

    /**
     * True when the identity provider answered the token request with a final refusal (Kafka marks
     * those as not worth retrying); an unreachable provider is passing trouble.
     */
    private static boolean tokenRefused(List<Throwable> chain) {
        for (Throwable t : chain) {
            String name = t.getClass().getSimpleName();
            String message = String.valueOf(t.getMessage());
            if (name.equals("UnretryableException")
                    || message.contains("will not attempt further retries")) {
                return true;
            }
        }
        return false;
    }

    /** What the identity provider answered, without the exception class names around it. */
    private static String tokenMessage(List<Throwable> chain) {
        for (Throwable t : chain) {
            String message = t.getMessage();
            if (message != null && message.contains("token endpoint")) {
                int start = message.indexOf("The response code");
                return start < 0 ? message : message.substring(start);
            }
        }
        return rootMessage(chain);
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private static String what(AuthorizationException denied) {
        if (denied instanceof TopicAuthorizationException topics) {
            return "access to topic(s) " + topics.unauthorizedTopics();
        }
        if (denied instanceof GroupAuthorizationException group && group.groupId() != null) {
            return "access to consumer group '" + group.groupId() + "'";
        }
        if (denied instanceof TransactionalIdAuthorizationException) {
            return "the use of its transactional ids";
        }
        return "the request";
    }

    private static Optional<UnrecoverableException> unrecoverable(
            Throwable failure, String message) {
        return Optional.of(
                new UnrecoverableException(
                        message
                                + " The job is not restarted: a restart would meet the same"
                                + " refusal.",
                        failure));
    }

    private static String brokers(Map<String, ?> config) {
        String protocol = setting(config, "security.protocol");
        String mechanism = setting(config, "sasl.mechanism");
        return "the Kafka brokers at "
                + setting(config, "bootstrap.servers")
                + " ("
                + (protocol == null ? "PLAINTEXT" : protocol)
                + (mechanism != null && protocol != null && protocol.startsWith("SASL")
                        ? ", " + mechanism
                        : "")
                + ")";
    }

    private static String setting(Map<String, ?> config, String key) {
        Object value = config.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t) && chain.size() < 30; ) {
            chain.add(t);
            for (Throwable suppressed : t.getSuppressed()) {
                if (seen.add(suppressed)) {
                    chain.add(suppressed);
                }
            }
            t = t.getCause();
        }
        return chain;
    }

    private static <T extends Throwable> T find(List<Throwable> chain, Class<T> type) {
        for (Throwable t : chain) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String messageContaining(List<Throwable> chain, String text) {
        for (Throwable t : chain) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return t.getMessage();
            }
        }
        return null;
    }

    private static String allMessages(List<Throwable> chain) {
        StringBuilder out = new StringBuilder();
        for (Throwable t : chain) {
            out.append(t.getMessage()).append('\n');
        }
        return out.toString();
    }

    private static String rootMessage(List<Throwable> chain) {
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (chain.get(i).getMessage() != null) {
                return chain.get(i).getClass().getSimpleName() + ": " + chain.get(i).getMessage();
            }
        }
        return chain.get(chain.size() - 1).getClass().getName();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String line = message.strip();
        int newline = line.indexOf('\n');
        line = newline < 0 ? line : line.substring(0, newline);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
