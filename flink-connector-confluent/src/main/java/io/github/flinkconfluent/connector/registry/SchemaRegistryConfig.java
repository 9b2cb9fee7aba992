package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach one Schema Registry: endpoints, credentials, TLS trust, timeouts, retries and
 * caches.
 *
 * <p>Credentials are kept as written by the user, usually {@code {{ENV_VAR}}} templates; they are
 * resolved only when a client is created, on the machine that calls the registry. The object is
 * therefore safe to put into a job graph, and {@link #toString()} never shows a credential.
 *
 * <pre>{@code
 * SchemaRegistryConfig config = SchemaRegistryConfig.builder("https://psrc-xxxx.confluent.cloud")
 *         .basicAuth("{{SR_KEY}}", "{{SR_SECRET}}")
 *         .build();
 * }</pre>
 */
@PublicEvolving
public record SchemaRegistryConfig(
        List<String> urls,
        AuthType authType,
        String username,
        String password,
        String bearerToken,
        OAuthClientCredentials oauth,
        String bearerLogicalCluster,
        String bearerIdentityPoolId,
        String truststoreLocation,
        String truststorePassword,
        String truststoreType,
        String keystoreLocation,
        String keystorePassword,
        String keystoreType,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        int cacheCapacity,
        Duration latestTtl)
        implements Serializable {

    /** How requests authenticate. */
    @PublicEvolving
    public enum AuthType {
        NONE,
        /** HTTP basic: an API key and secret on Confluent Cloud. */
        BASIC,
        /**
         * {@code Authorization: Bearer <token>}: a static token, or one fetched with OAuth client
         * credentials ({@link #oauth()}).
         */
        BEARER
    }

    /**
     * OAuth 2 client credentials for fetching bearer tokens (the client-credentials grant). The id
     * and secret are kept as written, usually templates; {@code fieldPrefix} names the profile
     * fields they came from ({@code auth.oauth} or {@code schema-registry.oauth}) for messages.
     */
    @PublicEvolving
    public record OAuthClientCredentials(
            String tokenEndpoint,
            String clientId,
            String clientSecret,
            String scope,
            String fieldPrefix)
            implements Serializable {

        public OAuthClientCredentials {
            Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
            Objects.requireNonNull(fieldPrefix, "fieldPrefix");
            if (!tokenEndpoint.startsWith("https://") && !tokenEndpoint.startsWith("http://")) {
                throw new IllegalArgumentException(
                        "OAuth token endpoint '"
                                + tokenEndpoint
                                + "' ("
                                + fieldPrefix
                                + ".token-endpoint) must start with https:// or http://");
            }
        }

        /** Never shows the client id or secret. */
        @Override
        public String toString() {
            return "OAuthClientCredentials{tokenEndpoint="
                    + tokenEndpoint
                    + (scope == null ? "" : ", scope=" + scope)
                    + ", credentials="
                    + fieldPrefix
                    + ".*}";
        }
    }

    public SchemaRegistryConfig {
        Objects.requireNonNull(urls, "urls");
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("At least one Schema Registry URL is required");
        }
        urls = List.copyOf(urls);
        Objects.requireNonNull(authType, "authType");
        if (authType == AuthType.BASIC && (username == null || password == null)) {
            throw new IllegalArgumentException(
                    "Basic authentication to the Schema Registry needs both an API key and an API"
                            + " secret (schema-registry.api-key and schema-registry.api-secret)");
        }
        if (authType == AuthType.BEARER && (bearerToken == null) == (oauth == null)) {
            throw new IllegalArgumentException(
                    "Bearer authentication to the Schema Registry needs either a static token or"
                            + " OAuth client credentials, not "
                            + (oauth == null ? "neither" : "both"));
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        if (cacheCapacity < 1) {
            throw new IllegalArgumentException("cacheCapacity must be positive: " + cacheCapacity);
        }
    }

    public static Builder builder(String urls) {
        return new Builder(urls);
    }

    /** The endpoints, comma separated, for messages. URLs carry no credentials. */
    public String endpoints() {
        return String.join(",", urls);
    }

    @Override
    public String toString() {
        return "SchemaRegistryConfig{urls="
                + urls
                + ", auth="
                + authType
                + (oauth == null ? "" : " (OAuth from " + oauth.tokenEndpoint() + ")")
                + (truststoreLocation == null ? "" : ", truststore=" + truststoreLocation)
                + (keystoreLocation == null ? "" : ", keystore=" + keystoreLocation)
                + ", connectTimeout="
                + connectTimeout
                + ", requestTimeout="
                + requestTimeout
                + ", maxAttempts="
                + maxAttempts
                + "}";
    }

    /** Builds a {@link SchemaRegistryConfig}; every setting but the URL has a default. */
    @PublicEvolving
    public static final class Builder {
        private final List<String> urls;
        private AuthType authType = AuthType.NONE;
        private String username;
        private String password;
        private String bearerToken;
        private OAuthClientCredentials oauth;
        private String bearerLogicalCluster;
        private String bearerIdentityPoolId;
        private String truststoreLocation;
        private String truststorePassword;
        private String truststoreType = "PKCS12";
        private String keystoreLocation;
        private String keystorePassword;
        private String keystoreType = "PKCS12";
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private int cacheCapacity = 1000;
        private Duration latestTtl = Duration.ofMinutes(1);

        private Builder(String urls) {
            Objects.requireNonNull(urls, "urls");
            this.urls =
                    java.util.Arrays.stream(urls.split(","))
                            .map(String::trim)
                            .filter(u -> !u.isEmpty())
                            .map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u)
                            .toList();
            for (String url : this.urls) {
                if (!url.startsWith("http://") && !url.startsWith("https://")) {
                    throw new IllegalArgumentException(
                            "Schema Registry endpoint '"
                                    + url
                                    + "' must start with http:// or https://");
                }
                if (url.substring(url.indexOf("//") + 2).contains("@")) {
                    throw new IllegalArgumentException(
                            "Put Schema Registry credentials in schema-registry.api-key /"
                                    + " api-secret, not in the endpoint URL");
                }
            }
        }

        /** HTTP basic authentication; either value may be a {@code {{ENV_VAR}}} template. */
        public Builder basicAuth(String username, String password) {
            this.authType = AuthType.BASIC;
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Bearer token authentication; the token may be a {@code {{ENV_VAR}}} template. */
        public Builder bearerAuth(String token) {
            this.authType = AuthType.BEARER;
            this.bearerToken = Objects.requireNonNull(token, "token");
            this.oauth = null;
            return this;
        }

        /**
         * Bearer token authentication with tokens fetched from an OAuth token endpoint with the
         * client-credentials grant, and kept until shortly before they expire.
         */
        public Builder oauthBearer(OAuthClientCredentials credentials) {
            this.authType = AuthType.BEARER;
            this.oauth = Objects.requireNonNull(credentials, "credentials");
            this.bearerToken = null;
            return this;
        }

        /**
         * Confluent Cloud's routing of bearer requests: the registry's logical cluster id ({@code
         * lsrc-…}, header {@code target-sr-cluster}) and the identity pool ({@code pool-…}, header
         * {@code Confluent-Identity-Pool-Id}); either may be null.
         */
        public Builder bearerCluster(String logicalCluster, String identityPoolId) {
            this.bearerLogicalCluster = logicalCluster;
            this.bearerIdentityPoolId = identityPoolId;
            return this;
        }

        /**
         * Trust the certificates in {@code location} (type PKCS12, JKS or PEM) instead of the JVM's
         * default trust store; the password may be a template and is unused for PEM.
         */
        public Builder truststore(String location, String password, String type) {
            this.truststoreLocation = Objects.requireNonNull(location, "location");
            this.truststorePassword = password;
            this.truststoreType = Objects.requireNonNull(type, "type");
            return this;
        }

        /**
         * Present the certificate and key in {@code location} (type PKCS12 or JKS) to a registry
         * that requires client certificates (mutual TLS); the password, which opens the store and
         * its key, may be a template.
         */
        public Builder keystore(String location, String password, String type) {
            this.keystoreLocation = Objects.requireNonNull(location, "location");
            this.keystorePassword = password;
            this.keystoreType = Objects.requireNonNull(type, "type");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Retries on connection errors, timeouts and 5xx: {@code maxAttempts} calls in all, waiting
         * {@code initialBackoff} doubled each time up to {@code maxBackoff}.
         */
        public Builder retries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            this.maxAttempts = maxAttempts;
            this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
            this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
            return this;
        }

        /** Entries kept per cache (schemas by id, ids by schema, latest versions). */
        public Builder cacheCapacity(int capacity) {
            this.cacheCapacity = capacity;
            return this;
        }

        /** How long a subject's latest version is trusted before it is fetched again. */
        public Builder latestTtl(Duration ttl) {
            this.latestTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        public SchemaRegistryConfig build() {
            return new SchemaRegistryConfig(
                    urls,
                    authType,
                    username,
                    password,
                    bearerToken,
                    oauth,
                    bearerLogicalCluster,
                    bearerIdentityPoolId,
                    truststoreLocation,
                    truststorePassword,
                    truststoreType,
                    keystoreLocation,
                    keystorePassword,
                    keystoreType,
                    connectTimeout,
                    requestTimeout,
                    maxAttempts,
                    initialBackoff,
                    maxBackoff,
                    cacheCapacity,
                    latestTtl);
        }
    }
}
