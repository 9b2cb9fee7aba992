package io.github.flinkconfluent.testing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The secured listeners a {@link KafkaBroker} opens next to its plaintext one, as Confluent Cloud
 * and private clusters authenticate clients: TLS with a SASL mechanism (PLAIN, SCRAM-SHA-512,
 * OAUTHBEARER) or TLS with client certificates.
 *
 * <p>Each mechanism gets a listener (and port) of its own, so a client of one mechanism cannot pass
 * by luck on another. Every listener serves the server certificate of {@link TestCertificates}
 * (valid for {@code 127.0.0.1}), so clients keep hostname verification on. The broker's plaintext
 * listener stays, for the test's own setup and checks (creating topics, reading results).
 *
 * <pre>{@code
 * SecuredListeners listeners = SecuredListeners.with(certificates)
 *         .plain("alice", "alice-secret")
 *         .scram("bob", "bob-secret")
 *         .oauth(tokenServer, "flink-client", "client-secret")
 *         .mutualTls();
 * KafkaBroker broker = new KafkaBroker(Map.of(), listeners);
 * }</pre>
 */
public final class SecuredListeners {

    /** A secured listener; its name is the Kafka listener name. */
    public enum Listener {
        /** SASL_SSL with PLAIN: a Confluent Cloud API key and secret. */
        SASL_PLAIN,
        /** SASL_SSL with SCRAM-SHA-512, the user created when the storage is formatted. */
        SASL_SCRAM,
        /** SASL_SSL with OAUTHBEARER, tokens validated against the token server's key set. */
        SASL_OAUTH,
        /** SSL with a required client certificate signed by the test CA. */
        MTLS
    }

    private final TestCertificates certificates;
    private final Map<Listener, String[]> credentials = new EnumMap<>(Listener.class);
    private OAuthTokenServer tokenServer;

    private SecuredListeners(TestCertificates certificates) {
        this.certificates = Objects.requireNonNull(certificates, "certificates");
    }

    /** No listener yet; the broker's certificate and trust come from {@code certificates}. */
    public static SecuredListeners with(TestCertificates certificates) {
        return new SecuredListeners(certificates);
    }

    /** A SASL_SSL + PLAIN listener that knows one user. */
    public SecuredListeners plain(String user, String password) {
        credentials.put(Listener.SASL_PLAIN, new String[] {user, password});
        return this;
    }

    /** A SASL_SSL + SCRAM-SHA-512 listener; the user is created at storage format time. */
    public SecuredListeners scram(String user, String password) {
        credentials.put(Listener.SASL_SCRAM, new String[] {user, password});
        return this;
    }

    /**
     * A SASL_SSL + OAUTHBEARER listener that accepts tokens of {@code tokenServer}; the client is
     * registered there.
     */
    public SecuredListeners oauth(
            OAuthTokenServer tokenServer, String clientId, String clientSecret) {
        this.tokenServer = Objects.requireNonNull(tokenServer, "tokenServer");
        tokenServer.client(clientId, clientSecret);
        credentials.put(Listener.SASL_OAUTH, new String[] {clientId, clientSecret});
        return this;
    }

    /** An SSL listener that requires a client certificate signed by the test CA. */
    public SecuredListeners mutualTls() {
        credentials.put(Listener.MTLS, new String[0]);
        return this;
    }

    public TestCertificates certificates() {
        return certificates;
    }

    List<Listener> listeners() {
        return new ArrayList<>(credentials.keySet());
    }

    boolean has(Listener listener) {
        return credentials.containsKey(listener);
    }

    /** The arguments that create the SCRAM user when the storage is formatted, if any. */
    List<String> storageFormatArguments() {
        String[] scram = credentials.get(Listener.SASL_SCRAM);
        if (scram == null) {
            return List.of();
        }
        return List.of(
                "--add-scram", "SCRAM-SHA-512=[name=" + scram[0] + ",password=" + scram[1] + "]");
    }

    /** System properties of the broker JVM. */
    List<String> jvmArguments() {
        if (tokenServer == null) {
            return List.of();
        }
        // Kafka 4 fetches OAuth URLs only when the JVM allows them.
        return List.of(
                "-D" + OAuthTokenServer.KAFKA_ALLOWED_URLS + "=" + tokenServer.jwksEndpoint());
    }

    /** The broker settings for the secured listeners; the caller adds the listener addresses. */
    Map<String, String> serverProperties() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ssl.keystore.location", certificates.serverKeystore().toString());
        settings.put("ssl.keystore.type", "PKCS12");
        settings.put("ssl.keystore.password", certificates.password());
        settings.put("ssl.key.password", certificates.password());
        settings.put("ssl.truststore.location", certificates.truststore().toString());
        settings.put("ssl.truststore.type", "PKCS12");
        settings.put("ssl.truststore.password", certificates.password());
        String[] plain = credentials.get(Listener.SASL_PLAIN);
        if (plain != null) {
            settings.put("listener.name.sasl_plain.sasl.enabled.mechanisms", "PLAIN");
            settings.put(
                    "listener.name.sasl_plain.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_"
                            + plain[0]
                            + "=\""
                            + plain[1]
                            + "\";");
        }
        if (has(Listener.SASL_SCRAM)) {
            settings.put("listener.name.sasl_scram.sasl.enabled.mechanisms", "SCRAM-SHA-512");
            settings.put(
                    "listener.name.sasl_scram.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        }
        if (tokenServer != null) {
            settings.put("listener.name.sasl_oauth.sasl.enabled.mechanisms", "OAUTHBEARER");
            settings.put(
                    "listener.name.sasl_oauth.oauthbearer.sasl.jaas.config",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
                            + " required;");
            settings.put(
                    "listener.name.sasl_oauth.oauthbearer.sasl.server.callback.handler.class",
                    "org.apache.kafka.common.security.oauthbearer"
                            + ".OAuthBearerValidatorCallbackHandler");
            settings.put("sasl.oauthbearer.jwks.endpoint.url", tokenServer.jwksEndpoint());
            settings.put("sasl.oauthbearer.expected.audience", OAuthTokenServer.AUDIENCE);
            settings.put("sasl.oauthbearer.expected.issuer", tokenServer.issuer());
        }
        if (has(Listener.MTLS)) {
            settings.put("listener.name.mtls.ssl.client.auth", "required");
        }
        return settings;
    }

    /**
     * Kafka client settings (besides {@code bootstrap.servers}) that authenticate on {@code
     * listener} with the credentials given here: what a well-configured client sends. For {@code
     * SASL_OAUTH} the token endpoint must be allowed in this JVM ({@link
     * OAuthTokenServer#allowForKafkaClients()}).
     */
    Map<String, Object> clientProperties(Listener listener) {
        String[] credential = credentials.get(listener);
        if (credential == null) {
            throw new IllegalStateException("The broker has no " + listener + " listener");
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("ssl.truststore.location", certificates.truststore().toString());
        props.put("ssl.truststore.type", "PKCS12");
        props.put("ssl.truststore.password", certificates.password());
        switch (listener) {
            case SASL_PLAIN -> {
                props.put("security.protocol", "SASL_SSL");
                props.put("sasl.mechanism", "PLAIN");
                props.put(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required"
                                + " username=\""
                                + credential[0]
                                + "\" password=\""
                                + credential[1]
                                + "\";");
            }
            case SASL_SCRAM -> {
                props.put("security.protocol", "SASL_SSL");
                props.put("sasl.mechanism", "SCRAM-SHA-512");
                props.put(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\""
                                + credential[0]
                                + "\" password=\""
                                + credential[1]
                                + "\";");
            }
            case SASL_OAUTH -> {
                props.put("security.protocol", "SASL_SSL");
                props.put("sasl.mechanism", "OAUTHBEARER");
                props.put(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
                                + " required;");
                props.put(
                        "sasl.login.callback.handler.class",
                        "org.apache.kafka.common.security.oauthbearer"
                                + ".OAuthBearerLoginCallbackHandler");
                props.put("sasl.oauthbearer.token.endpoint.url", tokenServer.tokenEndpoint());
                props.put("sasl.oauthbearer.client.credentials.client.id", credential[0]);
                props.put("sasl.oauthbearer.client.credentials.client.secret", credential[1]);
            }
            case MTLS -> {
                props.put("security.protocol", "SSL");
                props.put("ssl.keystore.location", certificates.clientKeystore().toString());
                props.put("ssl.keystore.type", "PKCS12");
                props.put("ssl.keystore.password", certificates.password());
            }
        }
        return props;
    }
}
