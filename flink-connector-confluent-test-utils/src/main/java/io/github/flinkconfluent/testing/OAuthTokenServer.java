package io.github.flinkconfluent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small OAuth 2 authorization server on 127.0.0.1 for tests: the client-credentials grant, RS256
 * JWT access tokens signed with a key made at start, and the key set (JWKS) and OpenID discovery
 * document that brokers and registries validate those tokens against.
 *
 * <p>It plays the identity provider of a Confluent Cloud OAuth setup (Okta, Entra ID, Keycloak...):
 * clients get tokens at {@link #tokenEndpoint()}, the Kafka broker validates them with the keys at
 * {@link #jwksEndpoint()} and the registry with the discovery document under {@link #issuer()}. It
 * runs in the test's JVM and serves plain HTTP, since nothing leaves the machine.
 *
 * <p>Tests can make it misbehave the ways real providers do: {@link #tokenLifetime(Duration)} with
 * a negative duration hands out tokens that have already expired.
 */
public final class OAuthTokenServer implements AutoCloseable {

    /** The {@code aud} claim of every token, which brokers and registries are told to expect. */
    public static final String AUDIENCE = "flink-confluent-test";

    /**
     * The JVM system property listing the OAuth URLs that Kafka 4 clients and brokers may call
     * (token and JWKS endpoints); Kafka refuses any other.
     */
    public static final String KAFKA_ALLOWED_URLS =
            "org.apache.kafka.sasl.oauthbearer.allowed.urls";

    private static final String KEY_ID = "test-key-1";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final KeyPair keys;
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private volatile Duration tokenLifetime = Duration.ofHours(1);

    /** Starts the server on a free port of 127.0.0.1. */
    public OAuthTokenServer() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            server =
                    HttpServer.create(
                            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Could not start the test OAuth server", e);
        }
        server.createContext("/token", this::token);
        server.createContext("/jwks", this::jwks);
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.setExecutor(executor);
        server.start();
    }

    /** Registers a client that may get tokens with this id and secret. */
    public OAuthTokenServer client(String clientId, String clientSecret) {
        clients.put(clientId, clientSecret);
        return this;
    }

    /**
     * How long tokens issued from now on are valid (default one hour); a negative duration issues
     * tokens whose {@code exp} is already in the past.
     */
    public void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** {@code http://127.0.0.1:PORT}: the {@code iss} claim and the OpenID discovery base. */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Where clients post the client-credentials grant. */
    public String tokenEndpoint() {
        return issuer() + "/token";
    }

    /** The JSON Web Key Set with the signing key. */
    public String jwksEndpoint() {
        return issuer() + "/jwks";
    }

    /**
     * Adds the token endpoint to {@link #KAFKA_ALLOWED_URLS} in this JVM, so that Kafka clients
     * here (a test's own, or a MiniCluster's) may fetch tokens from it.
     */
    public OAuthTokenServer allowForKafkaClients() {
        synchronized (OAuthTokenServer.class) {
            String allowed = System.getProperty(KAFKA_ALLOWED_URLS, "");
            if (!java.util.Arrays.asList(allowed.split(",")).contains(tokenEndpoint())) {
                System.setProperty(
                        KAFKA_ALLOWED_URLS,
                        allowed.isEmpty() ? tokenEndpoint() : allowed + "," + tokenEndpoint());
            }
        }
        return this;
    }

    /** How many tokens were handed out so far. */
    public int tokensIssued() {
        return tokensIssued.get();
    }

    /**
     * A token for {@code clientId} with the current lifetime, as the token endpoint would issue.
     */
    public String issueToken(String clientId, String scope) {
        Instant now = Instant.now();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("typ", "JWT");
        header.put("kid", KEY_ID);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer());
        claims.put("sub", clientId);
        claims.put("aud", AUDIENCE);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(tokenLifetime).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        if (scope != null && !scope.isEmpty()) {
            claims.put("scope", scope);
        }
        String signingInput = base64Url(json(header)) + "." + base64Url(json(claims));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            tokensIssued.incrementAndGet();
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not sign a test token", e);
        }
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                respond(exchange, 405, "{\"error\":\"invalid_request\"}");
                return;
            }
            Map<String, String> form;
            try (InputStream in = exchange.getRequestBody()) {
                form = formFields(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            String clientId = form.get("client_id");
            String clientSecret = form.get("client_secret");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null && authorization.startsWith("Basic ")) {
                String decoded =
                        new String(
                                Base64.getDecoder().decode(authorization.substring(6).trim()),
                                StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    // RFC 6749 2.3.1: both parts form-urlencoded; unencoded plain values decode
                    // to themselves.
                    clientId = urlDecode(decoded.substring(0, colon));
                    clientSecret = urlDecode(decoded.substring(colon + 1));
                }
            }
            if (!"client_credentials".equals(form.get("grant_type"))) {
                respond(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
                return;
            }
            if (clientId == null
                    || clientSecret == null
                    || !clientSecret.equals(clients.get(clientId))) {
                respond(
                        exchange,
                        401,
                        "{\"error\":\"invalid_client\",\"error_description\":\"Client"
                                + " authentication failed\"}");
                return;
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("access_token", issueToken(clientId, form.get("scope")));
            answer.put("token_type", "Bearer");
            answer.put("expires_in", Math.max(0, tokenLifetime.toSeconds()));
            respond(exchange, 200, json(answer));
        }
    }

    private void jwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            RSAPublicKey key = (RSAPublicKey) keys.getPublic();
            respond(
                    exchange,
                    200,
                    "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\""
                            + KEY_ID
                            + "\",\"n\":\""
                            + base64Url(unsigned(key.getModulus()))
                            + "\",\"e\":\""
                            + base64Url(unsigned(key.getPublicExponent()))
                            + "\"}]}");
        }
    }

    private void discovery(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("issuer", issuer());
            document.put("token_endpoint", tokenEndpoint());
            document.put("jwks_uri", jwksEndpoint());
            document.put("grant_types_supported", new String[] {"client_credentials"});
            document.put("response_types_supported", new String[] {"token"});
            document.put("subject_types_supported", new String[] {"public"});
            document.put("id_token_signing_alg_values_supported", new String[] {"RS256"});
            respond(exchange, 200, json(document));
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> formFields(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            fields.put(
                    urlDecode(equals < 0 ? pair : pair.substring(0, equals)),
                    equals < 0 ? "" : urlDecode(pair.substring(equals + 1)));
        }
        return fields;
    }

    private static String urlDecode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    /** Enough JSON for flat objects of strings, numbers and string arrays. */
    private static String json(Map<String, Object> object) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, Object> e : object.entrySet()) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(e.getKey())).append(':');
            Object value = e.getValue();
            if (value instanceof Number) {
                out.append(value);
            } else if (value instanceof String[] array) {
                out.append('[');
                for (int i = 0; i < array.length; i++) {
                    out.append(i == 0 ? "" : ",").append(quote(array[i]));
                }
                out.append(']');
            } else {
                out.append(quote(String.valueOf(value)));
            }
        }
        return out.append('}').toString();
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String base64Url(String text) {
        return base64Url(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Big-endian bytes without the sign byte {@link BigInteger#toByteArray()} may add. */
    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "OAuthTokenServer at " + issuer();
    }
}
