package io.github.flinkconfluent.connector.registry;

import io.github.flinkconfluent.connector.secrets.SecretTemplates;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Bearer tokens for the registry from an OAuth token endpoint (the client-credentials grant, RFC
 * 6749 section 4.4), each kept until shortly before it expires.
 *
 * <p>Why here and not Kafka's token retriever: the registry client must not depend on Kafka's
 * internal OAuth classes, which the shaded jar relocates and Kafka changes between releases; the
 * grant is one form POST. A token is fetched on first use and again when it is within a fifth of
 * its lifetime (at most a minute) of expiring, or when the registry rejected it. The client secret
 * is resolved from its template once, when this object is made, and lives only in the request
 * header; messages name the fields ({@code auth.oauth.client-id}, …), never values.
 */
@Internal
final class OAuthTokens {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A token without any expiry information is reused for this long. */
    private static final Duration UNKNOWN_LIFETIME = Duration.ofMinutes(1);

    /** Bounds what is read of an answer, so that a wrong URL cannot flood the client. */
    private static final int MAX_ANSWER_CHARS = 64 * 1024;

    private final SchemaRegistryConfig.OAuthClientCredentials credentials;

    /** The token endpoint with its templates resolved, for requests only (messages: as written). */
    private final URI endpoint;

    private final HttpClient http;
    private final Duration timeout;
    private final LongSupplier nanoTime;
    private final String basicAuthorization;
    private final String body;

    private String token;
    private long refreshAtNanos;
    private long lifetimeSeconds;

    OAuthTokens(
            SchemaRegistryConfig.OAuthClientCredentials credentials,
            Function<String, String> environment,
            HttpClient http,
            Duration timeout,
            boolean allowHttp) {
        this(credentials, environment, http, timeout, allowHttp, System::nanoTime);
    }

    @VisibleForTesting
    OAuthTokens(
            SchemaRegistryConfig.OAuthClientCredentials credentials,
            Function<String, String> environment,
            HttpClient http,
            Duration timeout,
            boolean allowHttp,
            LongSupplier nanoTime) {
        this.credentials = credentials;
        this.http = http;
        this.timeout = timeout;
        this.nanoTime = nanoTime;
        String prefix = credentials.fieldPrefix();
        this.endpoint = endpoint(credentials, environment, allowHttp);
        String clientId =
                SecretTemplates.resolve(credentials.clientId(), prefix + ".client-id", environment);
        String clientSecret =
                SecretTemplates.resolve(
                        credentials.clientSecret(), prefix + ".client-secret", environment);
        // RFC 6749 2.3.1: id and secret are form-encoded, then joined and base64-encoded.
        this.basicAuthorization =
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (formEncode(clientId) + ":" + formEncode(clientSecret))
                                                .getBytes(StandardCharsets.UTF_8));
        String scope = SecretTemplates.resolve(credentials.scope(), prefix + ".scope", environment);
        this.body =
                "grant_type=client_credentials"
                        + (scope == null || scope.isBlank() ? "" : "&scope=" + formEncode(scope));
    }

    /**
     * The resolved token endpoint, checked: an http(s) URL, and https unless the host is this
     * machine or plain HTTP is allowed ({@code schema-registry.allow-http-credentials}), since the
     * request carries the client secret. Messages show the endpoint as written.
     */
    private static URI endpoint(
            SchemaRegistryConfig.OAuthClientCredentials credentials,
            Function<String, String> environment,
            boolean allowHttp) {
        String written = credentials.tokenEndpoint();
        String setting = credentials.fieldPrefix() + ".token-endpoint";
        String resolved = SecretTemplates.resolve(written, setting, environment);
        URI uri;
        try {
            uri = URI.create(resolved);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null
                || uri.getHost() == null
                || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new IllegalArgumentException(
                    "The OAuth token endpoint '"
                            + written
                            + "' ("
                            + setting
                            + ") is not an http(s) URL with a host");
        }
        if ("http".equals(uri.getScheme())
                && !allowHttp
                && !SchemaRegistryConfig.isLoopback(uri.getHost())) {
            throw new IllegalArgumentException(
                    "The OAuth token endpoint '"
                            + written
                            + "' ("
                            + setting
                            + ") is plain http://, and the token request sends the client secret"
                            + " unencrypted. Use https://, or allow it explicitly with"
                            + " 'schema-registry.allow-http-credentials' = 'true'. Loopback"
                            + " addresses need no opt-in.");
        }
        return uri;
    }

    /** The token endpoint as written, for messages. */
    String endpoint() {
        return credentials.tokenEndpoint();
    }

    /** The fields the credentials came from, e.g. {@code auth.oauth}, for messages. */
    String fieldPrefix() {
        return credentials.fieldPrefix();
    }

    /**
     * The lifetime in seconds the endpoint gave the current (or last) token; zero or less means it
     * had expired when it was issued.
     */
    synchronized long lastLifetimeSeconds() {
        return lifetimeSeconds;
    }

    /**
     * A token that is not about to expire, fetched when needed.
     *
     * @throws IOException when the endpoint cannot be reached or answers with a server error (worth
     *     retrying)
     * @throws SchemaRegistryException of kind {@code AUTHENTICATION} when the endpoint refuses the
     *     credentials, or {@code PROTOCOL} when its answer holds no token
     */
    synchronized String token() throws IOException, InterruptedException {
        if (token == null || nanoTime.getAsLong() - refreshAtNanos >= 0) {
            fetch();
        }
        return token;
    }

    /** Forgets {@code rejected} (the registry refused it), so the next call fetches a new one. */
    synchronized void invalidate(String rejected) {
        if (rejected != null && rejected.equals(token)) {
            token = null;
        }
    }

    private void fetch() throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(endpoint)
                        .timeout(timeout)
                        .header("Authorization", basicAuthorization)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build();
        HttpResponse<String> response =
                http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        int status = response.statusCode();
        String answer = response.body() == null ? "" : response.body();
        if (answer.length() > MAX_ANSWER_CHARS) {
            answer = answer.substring(0, MAX_ANSWER_CHARS);
        }
        if (status >= 500 || status == 429 || status == 408) {
            throw new IOException(
                    "the OAuth token endpoint "
                            + credentials.tokenEndpoint()
                            + " answered HTTP "
                            + status);
        }
        if (status < 200 || status >= 300) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.Kind.AUTHENTICATION,
                    status,
                    -1,
                    "The OAuth token endpoint "
                            + credentials.tokenEndpoint()
                            + " refused the client credentials for the Schema Registry with HTTP "
                            + status
                            + oauthError(answer)
                            + ". Check "
                            + credentials.fieldPrefix()
                            + ".client-id and "
                            + credentials.fieldPrefix()
                            + ".client-secret"
                            + (credentials.scope() == null
                                    ? ""
                                    : " and " + credentials.fieldPrefix() + ".scope")
                            + " of the connection profile.",
                    null);
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(answer);
        } catch (JsonProcessingException e) {
            json = null;
        }
        JsonNode accessToken = json == null ? null : json.get("access_token");
        if (accessToken == null || !accessToken.isTextual() || accessToken.asText().isBlank()) {
            throw new SchemaRegistryException(
                    SchemaRegistryException.Kind.PROTOCOL,
                    status,
                    -1,
                    "The OAuth token endpoint "
                            + credentials.tokenEndpoint()
                            + " answered without an access_token. Is "
                            + credentials.fieldPrefix()
                            + ".token-endpoint the identity provider's token URL?",
                    null);
        }
        long now = nanoTime.getAsLong();
        long lifetime = lifetime(json, accessToken.asText());
        token = accessToken.asText();
        lifetimeSeconds = lifetime;
        // Refresh ahead of expiry by a fifth of the lifetime, at most a minute; a token without
        // life left is used once (the registry decides) and then fetched again.
        long margin = Math.min(60, Math.max(0, lifetime) / 5);
        refreshAtNanos = now + Duration.ofSeconds(Math.max(0, lifetime - margin)).toNanos();
    }

    /** Seconds until expiry: {@code expires_in}, else the JWT's {@code exp}, else a minute. */
    private static long lifetime(JsonNode json, String token) {
        JsonNode expiresIn = json.get("expires_in");
        if (expiresIn != null && expiresIn.canConvertToLong()) {
            return expiresIn.asLong();
        }
        if (expiresIn != null && expiresIn.isTextual()) {
            try {
                return Long.parseLong(expiresIn.asText().trim());
            } catch (NumberFormatException e) {
                // fall through to the token itself
            }
        }
        String[] parts = token.split("\\.");
        if (parts.length == 3) {
            try {
                JsonNode claims = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
                JsonNode exp = claims.get("exp");
                if (exp != null && exp.canConvertToLong()) {
                    return exp.asLong() - System.currentTimeMillis() / 1000;
                }
            } catch (IOException | IllegalArgumentException e) {
                // not a JWT
            }
        }
        return UNKNOWN_LIFETIME.toSeconds();
    }

    /** {@code , error: description} from an RFC 6749 error answer, short and one line. */
    private static String oauthError(String answer) {
        try {
            JsonNode json = MAPPER.readTree(answer);
            String error = json.path("error").asText("");
            String description = json.path("error_description").asText("");
            String text = error + (description.isEmpty() ? "" : ": " + description);
            if (text.isEmpty()) {
                return "";
            }
            text = text.replaceAll("\\s+", " ");
            return " (" + (text.length() > 200 ? text.substring(0, 200) + "…" : text) + ")";
        } catch (JsonProcessingException | RuntimeException e) {
            return "";
        }
    }

    private static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
