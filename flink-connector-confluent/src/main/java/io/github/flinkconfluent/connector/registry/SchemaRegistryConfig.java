package io.github.flinkconfluent.connector.registry;

import io.github.flinkconfluent.connector.secrets.SecretTemplates;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to reach one Schema Registry: endpoints, credentials, TLS trust, timeouts, retries and
 * caches.
 *
 * <p>Every value is kept as written by the user, credentials usually as {@code {{ENV_VAR}}}
 * templates; templates (in credentials, endpoints and the trust store location alike) are resolved
 * only when a client is created, on the machine that calls the registry. The object is therefore
 * safe to put into a job graph, and {@link #toString()} and every message show the values as
 * written, never what a template resolved to.
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
        Duration latestTtl,
        Duration missingTtl,
        boolean allowHttpCredentials)
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
            if (!SecretTemplates.isTemplate(tokenEndpoint)
                    && !tokenEndpoint.startsWith("https://")
                    && !tokenEndpoint.startsWith("http://")) {
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
        Objects.requireNonNull(latestTtl, "latestTtl");
        Objects.requireNonNull(missingTtl, "missingTtl");
        for (String url : urls) {
            if (!SecretTemplates.isTemplate(url)) {
                checkTransport(url, url, authType, allowHttpCredentials);
            }
        }
    }

    /**
     * A builder for the registry at {@code urls} (comma separated). A URL may hold {@code
     * {{ENV_VAR}}} templates: it is then kept as written and checked when the client resolves it.
     */
    public static Builder builder(String urls) {
        return new Builder(urls);
    }

    /**
     * Checks the form of one endpoint.
     *
     * @param url the endpoint, templates resolved
     * @param written the endpoint as written, the only form that messages show: a template may name
     *     a variable whose value the reader of the message must not see
     */
    static void checkUrl(String url, String written) {
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException(
                    "Schema Registry endpoint '"
                            + written
                            + "' must start with http:// or https://"
                            + (url.equals(written) ? "" : " (once its templates are resolved)"));
        }
        if (url.substring(url.indexOf("//") + 2).contains("@")) {
            throw new IllegalArgumentException(
                    "Put Schema Registry credentials in schema-registry.api-key /"
                            + " api-secret, not in the endpoint URL ('"
                            + written
                            + "')");
        }
        String host;
        try {
            host = new java.net.URI(url).getHost();
        } catch (java.net.URISyntaxException e) {
            host = null; // the JDK's message quotes the URL, which may be a resolved template
        }
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException(
                    "Schema Registry endpoint '"
                            + written
                            + "' is not a valid URL with a host name"
                            + (url.equals(written) ? "" : " (once its templates are resolved)"));
        }
    }

    /**
     * Refuses credentials (basic or bearer) over plain {@code http://} to another machine, where
     * anyone on the path reads them, unless explicitly allowed. A loopback address ({@code
     * localhost}, {@code 127.x.x.x}, {@code [::1]}) is exempt: the credentials do not leave the
     * machine, and local development registries rarely have TLS.
     *
     * @param url the endpoint, templates resolved
     * @param written the endpoint as written, for the message
     */
    static void checkTransport(String url, String written, AuthType authType, boolean allowed) {
        if (authType == AuthType.NONE || allowed || !url.startsWith("http://")) {
            return;
        }
        String host = java.net.URI.create(url).getHost(); // checked by checkUrl
        if (isLoopback(host)) {
            return;
        }
        throw new IllegalArgumentException(
                "The Schema Registry endpoint '"
                        + written
                        + "' is plain http://, and the connection sends credentials ("
                        + (authType == AuthType.BASIC ? "basic auth" : "a bearer token")
                        + ") that would cross the network unencrypted. Use https://, or, for a"
                        + " registry on a trusted network, allow it explicitly with"
                        + " 'schema-registry.allow-http-credentials' = 'true' (in a profile) or"
                        + " SchemaRegistryConfig.Builder#allowCredentialsOverHttp. Loopback"
                        + " addresses (localhost, 127.0.0.1, [::1]) need no opt-in.");
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost")
                || h.equals("[::1]")
                || h.equals("::1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
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
        private Duration missingTtl = Duration.ofMinutes(1);
        private boolean allowHttpCredentials;

        private Builder(String urls) {
            Objects.requireNonNull(urls, "urls");
            this.urls =
                    java.util.Arrays.stream(urls.split(","))
                            .map(String::trim)
                            .filter(u -> !u.isEmpty())
                            .map(SchemaRegistryConfig::withoutTrailingSlash)
                            .toList();
            for (String url : this.urls) {
                if (!SecretTemplates.isTemplate(url)) {
                    checkUrl(url, url);
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

        /** Entries kept per cache (schemas by id, ids by schema, latest versions, misses). */
        public Builder cacheCapacity(int capacity) {
            this.cacheCapacity = capacity;
            return this;
        }

        /**
         * Allows credentials over plain {@code http://} to a machine other than this one, which is
         * refused by default because anyone on the network path can read them.
         */
        public Builder allowCredentialsOverHttp(boolean allow) {
            this.allowHttpCredentials = allow;
            return this;
        }

        /** How long a subject's latest version is trusted before it is fetched again. */
        public Builder latestTtl(Duration ttl) {
            this.latestTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * How long the answer that the registry does not have (or refuses these credentials) a
         * schema id or a subject version is trusted before it is asked again; bounds the requests
         * that records carrying unknown ids cause.
         */
        public Builder missingTtl(Duration ttl) {
            this.missingTtl = Objects.requireNonNull(ttl, "ttl");
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
                    latestTtl,
                    missingTtl,
                    allowHttpCredentials);
        }
    }
}
