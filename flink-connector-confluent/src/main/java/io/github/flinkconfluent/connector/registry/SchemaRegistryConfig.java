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
public final class SchemaRegistryConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> urls;
    private final AuthType authType;
    private final String username;
    private final String password;
    private final String bearerToken;
    private final OAuthClientCredentials oauth;
    private final String bearerLogicalCluster;
    private final String bearerIdentityPoolId;
    private final String truststoreLocation;
    private final String truststorePassword;
    private final String truststoreType;
    private final String keystoreLocation;
    private final String keystorePassword;
    private final String keystoreType;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final int cacheCapacity;
    private final Duration latestTtl;
    private final Duration missingTtl;
    private final boolean allowHttpCredentials;

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

    /**
     * Through {@link #builder(String)}: a new setting is then a new builder method, not a break.
     */
    private SchemaRegistryConfig(
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
            boolean allowHttpCredentials) {
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
        this.urls = urls;
        this.authType = authType;
        this.username = username;
        this.password = password;
        this.bearerToken = bearerToken;
        this.oauth = oauth;
        this.bearerLogicalCluster = bearerLogicalCluster;
        this.bearerIdentityPoolId = bearerIdentityPoolId;
        this.truststoreLocation = truststoreLocation;
        this.truststorePassword = truststorePassword;
        this.truststoreType = truststoreType;
        this.keystoreLocation = keystoreLocation;
        this.keystorePassword = keystorePassword;
        this.keystoreType = keystoreType;
        this.connectTimeout = connectTimeout;
        this.requestTimeout = requestTimeout;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.cacheCapacity = cacheCapacity;
        this.latestTtl = latestTtl;
        this.missingTtl = missingTtl;
        this.allowHttpCredentials = allowHttpCredentials;
    }

    public List<String> urls() {
        return urls;
    }

    public AuthType authType() {
        return authType;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    public String bearerToken() {
        return bearerToken;
    }

    public OAuthClientCredentials oauth() {
        return oauth;
    }

    public String bearerLogicalCluster() {
        return bearerLogicalCluster;
    }

    public String bearerIdentityPoolId() {
        return bearerIdentityPoolId;
    }

    public String truststoreLocation() {
        return truststoreLocation;
    }

    public String truststorePassword() {
        return truststorePassword;
    }

    public String truststoreType() {
        return truststoreType;
    }

    public String keystoreLocation() {
        return keystoreLocation;
    }

    public String keystorePassword() {
        return keystorePassword;
    }

    public String keystoreType() {
        return keystoreType;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public int cacheCapacity() {
        return cacheCapacity;
    }

    public Duration latestTtl() {
        return latestTtl;
    }

    public Duration missingTtl() {
        return missingTtl;
    }

    public boolean allowHttpCredentials() {
        return allowHttpCredentials;
    }

    /** Equal configurations share one client (see {@link SchemaRegistryClients#shared}). */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof SchemaRegistryConfig that)) {
            return false;
        }
        return Objects.equals(urls, that.urls)
                && Objects.equals(authType, that.authType)
                && Objects.equals(username, that.username)
                && Objects.equals(password, that.password)
                && Objects.equals(bearerToken, that.bearerToken)
                && Objects.equals(oauth, that.oauth)
                && Objects.equals(bearerLogicalCluster, that.bearerLogicalCluster)
                && Objects.equals(bearerIdentityPoolId, that.bearerIdentityPoolId)
                && Objects.equals(truststoreLocation, that.truststoreLocation)
                && Objects.equals(truststorePassword, that.truststorePassword)
                && Objects.equals(truststoreType, that.truststoreType)
                && Objects.equals(keystoreLocation, that.keystoreLocation)
                && Objects.equals(keystorePassword, that.keystorePassword)
                && Objects.equals(keystoreType, that.keystoreType)
                && Objects.equals(connectTimeout, that.connectTimeout)
                && Objects.equals(requestTimeout, that.requestTimeout)
                && maxAttempts == that.maxAttempts
                && Objects.equals(initialBackoff, that.initialBackoff)
                && Objects.equals(maxBackoff, that.maxBackoff)
                && cacheCapacity == that.cacheCapacity
                && Objects.equals(latestTtl, that.latestTtl)
                && Objects.equals(missingTtl, that.missingTtl)
                && allowHttpCredentials == that.allowHttpCredentials;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
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

        /**
         * HTTP basic authentication; either value may be a {@code {{ENV_VAR}}} template. Default:
         * no authentication.
         */
        public Builder basicAuth(String username, String password) {
            this.authType = AuthType.BASIC;
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * Bearer token authentication; the token may be a {@code {{ENV_VAR}}} template. Default: no
         * authentication.
         */
        public Builder bearerAuth(String token) {
            this.authType = AuthType.BEARER;
            this.bearerToken = Objects.requireNonNull(token, "token");
            this.oauth = null;
            return this;
        }

        /**
         * Bearer token authentication with tokens fetched from an OAuth token endpoint with the
         * client-credentials grant, and kept until shortly before they expire. Default: no
         * authentication.
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
         * {@code Confluent-Identity-Pool-Id}); either may be null. Default: neither header.
         */
        public Builder bearerCluster(String logicalCluster, String identityPoolId) {
            this.bearerLogicalCluster = logicalCluster;
            this.bearerIdentityPoolId = identityPoolId;
            return this;
        }

        /**
         * Trust the certificates in {@code location} (type PKCS12, JKS or PEM) instead of the JVM's
         * default trust store; the password may be a template and is unused for PEM. Default: the
         * JVM's trust store.
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
         * its key, may be a template. Default: no client certificate.
         */
        public Builder keystore(String location, String password, String type) {
            this.keystoreLocation = Objects.requireNonNull(location, "location");
            this.keystorePassword = password;
            this.keystoreType = Objects.requireNonNull(type, "type");
            return this;
        }

        /** How long opening a connection may take. Default: 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How long one request may take, each attempt on its own. Default: 30 s. */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Retries on connection errors, timeouts and 5xx: {@code maxAttempts} calls in all, waiting
         * {@code initialBackoff} doubled each time up to {@code maxBackoff}. Default: 5 attempts,
         * 200 ms, 5 s.
         */
        public Builder retries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            this.maxAttempts = maxAttempts;
            this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
            this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * Entries kept per cache (schemas by id, ids by schema, latest versions, misses). Default:
         * 1000.
         */
        public Builder cacheCapacity(int capacity) {
            this.cacheCapacity = capacity;
            return this;
        }

        /**
         * Allows credentials over plain {@code http://} to a machine other than this one, which is
         * refused by default because anyone on the network path can read them. Default: false
         * (loopback addresses need no opt-in).
         */
        public Builder allowCredentialsOverHttp(boolean allow) {
            this.allowHttpCredentials = allow;
            return this;
        }

        /**
         * How long a subject's latest version is trusted before it is fetched again. Default: 1
         * min.
         */
        public Builder latestTtl(Duration ttl) {
            this.latestTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * How long the answer that the registry does not have (or refuses these credentials) a
         * schema id or a subject version is trusted before it is asked again; bounds the requests
         * that records carrying unknown ids cause. Default: 1 min.
         */
        public Builder missingTtl(Duration ttl) {
            this.missingTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * Checks the settings (credentials complete, no credentials over plain {@code http://} to
         * another machine, positive sizes) and returns the configuration. Contacts nothing: no
         * registry, no token endpoint, no file; templates stay unresolved until a client is created
         * ({@link SchemaRegistryClients}).
         */
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
