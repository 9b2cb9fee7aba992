package io.github.flinkconfluent.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A reverse proxy on 127.0.0.1 in front of a real HTTP server (in practice the real registry) that
 * forwards every request unchanged and records it with its answer.
 *
 * <p>Some properties of a client are exact counts — "listing N subjects takes N/1000 + 1 requests",
 * "a cached listing sends nothing" — that neither elapsed time nor the server can show. Putting
 * this proxy between the client and the real server counts them without a seam in production code
 * and without replacing the server by a fake: the answers are still the real server's.
 *
 * <p>{@link #mutualTls} makes it the TLS front of a plain server that admits only clients with a
 * certificate of the test CA: mutual TLS to a registry whose own server cannot require client
 * certificates (Apicurio's build fixes that setting).
 */
public final class RecordingHttpProxy implements AutoCloseable {

    /** One forwarded request: method, path with query (below the proxy's root) and the answer. */
    public record Exchange(String method, String pathAndQuery, int status, String responseBody) {}

    // The JDK's HTTP client refuses to set these itself; it computes them.
    private static final Set<String> RESTRICTED_HEADERS =
            Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final URI target;
    private final boolean tls;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private final List<Exchange> exchanges = new ArrayList<>();

    /**
     * Starts a proxy for {@code targetUrl} (scheme, host, port and a base path, e.g. a registry's
     * {@code http://127.0.0.1:P/apis/ccompat/v7}); {@link #url()} is the same base on the proxy.
     */
    public RecordingHttpProxy(String targetUrl) {
        this(targetUrl, null);
    }

    private RecordingHttpProxy(String targetUrl, SSLContext tls) {
        this.target = URI.create(targetUrl.endsWith("/") ? targetUrl : targetUrl + "/");
        this.tls = tls != null;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try {
            if (tls == null) {
                server = HttpServer.create(address, 0);
            } else {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(
                        new HttpsConfigurator(tls) {
                            @Override
                            public void configure(HttpsParameters params) {
                                SSLParameters parameters = tls.getDefaultSSLParameters();
                                parameters.setNeedClientAuth(true);
                                params.setSSLParameters(parameters);
                            }
                        });
                server = https;
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot open a proxy port on 127.0.0.1", e);
        }
        server.createContext("/", this::forward);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * A proxy for {@code targetUrl} that serves HTTPS with the server certificate of {@code
     * certificates} and requires a client certificate signed by their CA; a client without one
     * fails the TLS handshake.
     */
    public static RecordingHttpProxy mutualTls(String targetUrl, TestCertificates certificates) {
        char[] password = certificates.password().toCharArray();
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(certificates.serverKeystore())) {
                keys.load(in, password);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(certificates.truststore())) {
                trust.load(in, password);
            }
            KeyManagerFactory keyManagers =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, password);
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return new RecordingHttpProxy(targetUrl, context);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load the test certificates", e);
        }
    }

    /** The base URL to give the client instead of the target's. */
    public String url() {
        return (tls ? "https" : "http")
                + "://127.0.0.1:"
                + server.getAddress().getPort()
                + target.getRawPath();
    }

    /** Every exchange so far, in the order the answers were sent. */
    public List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    /** Forgets what was recorded so far. */
    public void clear() {
        synchronized (exchanges) {
            exchanges.clear();
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String base = target.getRawPath();
            String path = uri.getRawPath();
            String below = path.startsWith(base) ? path.substring(base.length()) : path;
            String pathAndQuery =
                    "/" + below + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            byte[] requestBody;
            try (InputStream in = exchange.getRequestBody()) {
                requestBody = in.readAllBytes();
            }
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(target.resolve(pathAndQuery.substring(1)))
                            .method(
                                    exchange.getRequestMethod(),
                                    requestBody.length == 0
                                            ? HttpRequest.BodyPublishers.noBody()
                                            : HttpRequest.BodyPublishers.ofByteArray(requestBody));
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                if (!RESTRICTED_HEADERS.contains(header.getKey().toLowerCase())) {
                    header.getValue().forEach(v -> request.header(header.getKey(), v));
                }
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(502, -1);
                return;
            } catch (IOException e) {
                // The target is down: answer as a gateway would, so the client sees a 5xx.
                exchange.sendResponseHeaders(502, -1);
                return;
            }
            response.headers()
                    .map()
                    .forEach(
                            (name, values) -> {
                                if (!RESTRICTED_HEADERS.contains(name.toLowerCase())
                                        && !name.equalsIgnoreCase("transfer-encoding")
                                        && !name.startsWith(":")) {
                                    exchange.getResponseHeaders().put(name, values);
                                }
                            });
            byte[] body = response.body();
            synchronized (exchanges) {
                exchanges.add(
                        new Exchange(
                                exchange.getRequestMethod(),
                                pathAndQuery,
                                response.statusCode(),
                                new String(body, StandardCharsets.UTF_8)));
            }
            exchange.sendResponseHeaders(
                    response.statusCode(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
