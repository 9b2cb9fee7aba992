package io.github.flinkconfluent.connector.registry;

import io.github.flinkconfluent.connector.secrets.SecretTemplates;
import io.github.flinkconfluent.connector.util.ConnectorClassLoader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * {@link SchemaRegistryClient} over the Confluent Schema Registry REST API with the JDK's HTTP
 * client; no caching (see {@link CachingSchemaRegistryClient}).
 *
 * <p>Connection errors, timeouts, 5xx and 429 are retried with exponential backoff and jitter,
 * moving to the next endpoint when several are configured, and waiting at least what a {@code
 * Retry-After} header asks for (a longer wait than the client's longest pause ends the retries);
 * other 4xx answers are final, because repeating a rejected request cannot change the answer.
 * Redirects are never followed, and no answer is read beyond {@link #MAX_RESPONSE_BYTES}.
 * Credentials are resolved from their templates once, here, and kept only in the {@code
 * Authorization} header value. With OAuth client credentials, bearer tokens come from {@link
 * OAuthTokens}; a token the registry rejects is replaced once before the rejection counts.
 */
@Internal
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json,"
                    + " application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    private final SchemaRegistryConfig config;
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final HttpClient http;
    private final ExecutorService executor;
    private final String authorization;
    private final OAuthTokens tokens;
    private final String logicalCluster;
    private final String identityPoolId;

    /** The endpoints with their templates resolved, for requests only. */
    private final List<String> urls;

    /** The same endpoints as written, for every message and log line. */
    private final List<String> shownUrls;

    /** Waits between attempts; a test records the pauses instead. */
    private final LongConsumer pause;

    private volatile int preferredUrl;

    /** Whether any request had a 2xx answer: the registry accepts these credentials. */
    private volatile boolean credentialsAccepted;

    /**
     * The most this client reads of one answer: 16 MiB, far above any schema or subject page a
     * registry sends, and a bound on what a misconfigured endpoint (or a hostile one) can make a
     * TaskManager hold in memory.
     */
    @VisibleForTesting static final int MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

    public RestSchemaRegistryClient(SchemaRegistryConfig config) {
        this(config, System::getenv);
    }

    @VisibleForTesting
    RestSchemaRegistryClient(SchemaRegistryConfig config, Function<String, String> environment) {
        this(config, environment, RestSchemaRegistryClient::sleep);
    }

    @VisibleForTesting
    RestSchemaRegistryClient(
            SchemaRegistryConfig config, Function<String, String> environment, LongConsumer pause) {
        this.config = config;
        this.pause = pause;
        this.shownUrls = config.urls();
        List<String> resolved = new ArrayList<>();
        for (String written : shownUrls) {
            String url =
                    SchemaRegistryConfig.withoutTrailingSlash(
                            SecretTemplates.resolve(
                                    written, "schema-registry.endpoint", environment));
            SchemaRegistryConfig.checkUrl(url, written);
            SchemaRegistryConfig.checkTransport(
                    url, written, config.authType(), config.allowHttpCredentials());
            resolved.add(url);
        }
        this.urls = List.copyOf(resolved);
        this.authorization = authorizationHeader(config, environment);
        this.logicalCluster =
                SecretTemplates.resolve(
                        config.bearerLogicalCluster(),
                        "schema-registry.bearer.logical-cluster",
                        environment);
        this.identityPoolId =
                SecretTemplates.resolve(
                        config.bearerIdentityPoolId(),
                        "schema-registry.bearer.identity-pool-id",
                        environment);
        HttpClient.Builder builder =
                HttpClient.newBuilder()
                        .connectTimeout(config.connectTimeout())
                        // HTTP/1.1, not HTTP/2 (which the JDK negotiates over TLS by default):
                        // seen against an HTTPS registry, one HTTP/2 connection stopped delivering
                        // answers the registry had sent, and every request multiplexed on it timed
                        // out for a minute. A timed-out HTTP/1.1 connection is dropped instead,
                        // and the small requests of this API gain nothing from multiplexing.
                        .version(HttpClient.Version.HTTP_1_1)
                        // Never: a redirect would carry the Authorization header (or make the
                        // client send it again) to an address nobody configured.
                        .followRedirects(HttpClient.Redirect.NEVER);
        if (RegistryTls.configured(config)) {
            builder.sslContext(RegistryTls.sslContext(config, environment));
        }
        // The HTTP client's threads (its selector, and the pool below) would otherwise keep the
        // context class loader of whichever thread made them: often a job's, which a shared
        // client then pins for as long as it lives. They get the connector's loader instead.
        this.executor = Executors.newCachedThreadPool(RestSchemaRegistryClient::newThread);
        builder.executor(executor);
        this.http = ConnectorClassLoader.call(builder::build);
        if (config.oauth() == null) {
            this.tokens = null;
        } else {
            // The identity provider is not the registry: no registry trust store or client
            // certificate, and no redirects that could carry the client secret elsewhere.
            HttpClient tokenHttp =
                    ConnectorClassLoader.call(
                            () ->
                                    HttpClient.newBuilder()
                                            .connectTimeout(config.connectTimeout())
                                            .version(HttpClient.Version.HTTP_1_1)
                                            .followRedirects(HttpClient.Redirect.NEVER)
                                            .executor(executor)
                                            .build());
            this.tokens =
                    new OAuthTokens(
                            config.oauth(),
                            environment,
                            tokenHttp,
                            config.requestTimeout(),
                            config.allowHttpCredentials());
        }
    }

    private static Thread newThread(Runnable task) {
        Thread thread = new Thread(task, "schema-registry-http-" + THREAD_IDS.incrementAndGet());
        thread.setDaemon(true);
        thread.setContextClassLoader(ConnectorClassLoader.get());
        return thread;
    }

    /**
     * Stops the client's threads. On Java 21 and later the HTTP client itself is closed too; on
     * Java 17 its selector thread ends once the client is no longer reachable.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        if (http instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("Could not close the HTTP client of {}", config.endpoints(), e);
            }
        }
    }

    @Override
    public int register(String subject, SchemaDefinition schema) {
        JsonNode response =
                send(
                        "POST",
                        "/subjects/" + encode(subject) + "/versions",
                        schemaBody(schema),
                        Target.subject(subject));
        return requiredInt(response, "id");
    }

    @Override
    public RegisteredSchema lookup(String subject, SchemaDefinition schema) {
        JsonNode response =
                send(
                        "POST",
                        "/subjects/" + encode(subject),
                        schemaBody(schema),
                        Target.subject(subject));
        return registeredSchema(subject, response);
    }

    @Override
    public SchemaDefinition getById(int id) {
        JsonNode response;
        try {
            response = send("GET", "/schemas/ids/" + id, null, Target.id(id));
        } catch (SchemaRegistryException e) {
            throw refusedOne(e, "schema id " + id);
        }
        return definition(response);
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        JsonNode response;
        try {
            response =
                    send(
                            "GET",
                            "/subjects/" + encode(subject) + "/versions/" + version,
                            null,
                            Target.version(subject, String.valueOf(version)));
        } catch (SchemaRegistryException e) {
            throw refusedOne(e, "version " + version + " of subject '" + subject + "'");
        }
        return registeredSchema(subject, response);
    }

    /**
     * {@code e}, or, for a 403 about one schema while the registry accepts these credentials
     * otherwise, an {@link SchemaRegistryException.Kind#ACCESS_DENIED} for that schema: with
     * per-subject permissions (Confluent Cloud role bindings), a producer may write with a schema
     * this reader may not read, which is that record's problem, not the job's.
     */
    private SchemaRegistryException refusedOne(SchemaRegistryException e, String what) {
        if (e.kind() != SchemaRegistryException.Kind.AUTHENTICATION
                || e.httpStatus() != 403
                || !credentialsWork()) {
            return e;
        }
        return new SchemaRegistryException(
                SchemaRegistryException.Kind.ACCESS_DENIED,
                e.httpStatus(),
                e.errorCode(),
                "The Schema Registry at "
                        + config.endpoints()
                        + " denies these credentials read access to "
                        + what
                        + " (HTTP 403), although it accepts them otherwise. Grant them read"
                        + " access to the subject that holds it (for Confluent Cloud: a role"
                        + " binding such as DeveloperRead on that subject), or find the producer"
                        + " that wrote with it.",
                null);
    }

    /**
     * Whether the registry accepts these credentials: some request had a 2xx answer, or a cheap one
     * ({@code GET /schemas/types}) gets an answer other than 401/403 now.
     */
    private boolean credentialsWork() {
        if (credentialsAccepted) {
            return true;
        }
        try {
            send("GET", "/schemas/types", null, Target.none());
            return true;
        } catch (SchemaRegistryException probe) {
            if (probe.kind() == SchemaRegistryException.Kind.UNAVAILABLE) {
                throw probe;
            }
            // Any other answer (e.g. 404 from a registry without this call) got past the
            // authentication.
            return probe.kind() != SchemaRegistryException.Kind.AUTHENTICATION;
        }
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        JsonNode response =
                send(
                        "GET",
                        "/subjects/" + encode(subject) + "/versions/latest",
                        null,
                        Target.version(subject, "latest"));
        return registeredSchema(subject, response);
    }

    @Override
    public List<Integer> getVersions(String subject) {
        JsonNode response =
                send(
                        "GET",
                        "/subjects/" + encode(subject) + "/versions",
                        null,
                        Target.subject(subject));
        List<Integer> versions = new ArrayList<>();
        response.forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    @Override
    public List<String> getSubjects() {
        // Registries cap one answer (Apicurio at 1000 subjects by default), so page through with
        // offset/limit, which Confluent and Apicurio both accept. A registry that ignores them
        // answers every page with the same list: its first answer is then the whole list.
        // Apicurio orders by creation time, and subjects created in the same millisecond may swap
        // places between two pages; a pass that sees a subject twice may have missed another one,
        // so the listing is then repeated and the passes merged.
        Set<String> subjects = new LinkedHashSet<>();
        for (int pass = 0; pass < 3; pass++) {
            if (listOnce(subjects)) {
                break;
            }
        }
        return new ArrayList<>(subjects);
    }

    /** Adds one paged listing to {@code into}; true when no page repeated a subject. */
    private boolean listOnce(Set<String> into) {
        Set<String> seen = new HashSet<>();
        boolean clean = true;
        String first = null;
        for (int offset = 0; ; offset += SUBJECTS_PAGE) {
            JsonNode page =
                    send(
                            "GET",
                            "/subjects?offset=" + offset + "&limit=" + SUBJECTS_PAGE,
                            null,
                            Target.none());
            if (offset > 0 && page.size() > 0 && page.get(0).asText().equals(first)) {
                return clean; // offset ignored: the first page was everything
            }
            for (JsonNode subject : page) {
                String name = subject.asText();
                if (first == null) {
                    first = name;
                }
                clean &= seen.add(name);
                into.add(name);
            }
            if (page.size() < SUBJECTS_PAGE) {
                return clean;
            }
        }
    }

    /** Subjects asked for per request when listing. */
    private static final int SUBJECTS_PAGE = 1000;

    @Override
    public CompatibilityResult testCompatibility(String subject, SchemaDefinition schema) {
        JsonNode response;
        try {
            response =
                    send(
                            "POST",
                            "/compatibility/subjects/"
                                    + encode(subject)
                                    + "/versions/latest?verbose=true",
                            schemaBody(schema),
                            Target.subject(subject));
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.SUBJECT_NOT_FOUND
                    || e.kind() == SchemaRegistryException.Kind.VERSION_NOT_FOUND) {
                // Nothing registered yet: any schema may become the first version.
                return new CompatibilityResult(true, List.of());
            }
            throw e;
        }
        List<String> messages = new ArrayList<>();
        response.path("messages").forEach(m -> messages.add(m.asText()));
        return new CompatibilityResult(response.path("is_compatible").asBoolean(false), messages);
    }

    @Override
    public String getCompatibility(String subject) {
        String path =
                subject == null
                        ? "/config"
                        : "/config/" + encode(subject) + "?defaultToGlobal=true";
        JsonNode response =
                send("GET", path, null, subject == null ? Target.none() : Target.subject(subject));
        JsonNode level = response.get("compatibilityLevel");
        if (level == null) {
            level = response.get("compatibility");
        }
        if (level == null) {
            throw protocolError("GET " + path, "no compatibilityLevel in " + response);
        }
        return level.asText();
    }

    @Override
    public void setCompatibility(String subject, String level) {
        ObjectNode body = MAPPER.createObjectNode().put("compatibility", level);
        send(
                "PUT",
                subject == null ? "/config" : "/config/" + encode(subject),
                body,
                subject == null ? Target.none() : Target.subject(subject));
    }

    @Override
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        JsonNode response =
                send(
                        "DELETE",
                        "/subjects/" + encode(subject) + (permanent ? "?permanent=true" : ""),
                        null,
                        Target.subject(subject));
        List<Integer> versions = new ArrayList<>();
        response.forEach(v -> versions.add(v.asInt()));
        return versions;
    }

    // ------------------------------------------------------------------------------------------

    /** Sends one request, with retries, and returns the parsed JSON body of a 2xx answer. */
    private JsonNode send(String method, String path, JsonNode body, Target target) {
        String payload = body == null ? null : body.toString();
        Duration backoff = config.initialBackoff();
        String lastProblem = null;
        Exception lastCause = null;
        boolean renewedToken = false;
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            int urlIndex = Math.floorMod(preferredUrl, urls.size());
            String base = shownUrls.get(urlIndex);
            long retryAfter = 0;
            String token = null;
            if (tokens != null) {
                try {
                    token = tokens.token();
                } catch (IOException e) {
                    lastProblem =
                            "cannot get a token from the OAuth token endpoint "
                                    + tokens.endpoint()
                                    + " ("
                                    + describe(e)
                                    + ")";
                    lastCause = e;
                    backoff = waitBeforeRetry(method, path, attempt, lastProblem, backoff, 0);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw interrupted(method, path, e);
                }
            }
            try {
                HttpResponse<BoundedBody.Body> response =
                        http.send(
                                request(method, urls.get(urlIndex) + path, payload, token),
                                info ->
                                        new BoundedBody(
                                                info.headers()
                                                        .firstValueAsLong("Content-Length")
                                                        .orElse(-1),
                                                MAX_RESPONSE_BYTES));
                int status = response.statusCode();
                if (response.body().tooLarge()) {
                    throw protocolError(
                            method + " " + path,
                            "the answer (HTTP "
                                    + status
                                    + ") has more than "
                                    + (MAX_RESPONSE_BYTES >> 20)
                                    + " MiB, the most this client reads");
                }
                String text = response.body().text();
                if (status >= 200 && status < 300) {
                    credentialsAccepted = true;
                    return parse(method, path, text);
                }
                if (status >= 300 && status < 400) {
                    throw redirected(method, path, base, status, response);
                }
                if (status == 401 && token != null && !renewedToken) {
                    // The token may have been revoked or have expired early: one fresh token
                    // before the rejection counts. Not an attempt of its own.
                    tokens.invalidate(token);
                    renewedToken = true;
                    attempt--;
                    continue;
                }
                if (!retriable(status)) {
                    throw errorFor(method, path, base, status, text, target);
                }
                lastProblem = "HTTP " + status + " from " + base;
                lastCause = null;
                if (status == 429 || status == 503) {
                    Optional<Long> asked =
                            response.headers()
                                    .firstValue("Retry-After")
                                    .flatMap(v -> retryAfterMillis(v, Instant.now()));
                    if (asked.isPresent() && asked.get() > config.maxBackoff().toMillis()) {
                        throw new SchemaRegistryException(
                                SchemaRegistryException.Kind.UNAVAILABLE,
                                status,
                                -1,
                                "The Schema Registry at "
                                        + base
                                        + " answered "
                                        + method
                                        + " "
                                        + path
                                        + " with HTTP "
                                        + status
                                        + " and asks to retry after "
                                        + (asked.get() + 999) / 1000
                                        + " s (Retry-After), longer than this client waits"
                                        + " between attempts ("
                                        + config.maxBackoff().toMillis()
                                        + " ms); giving up now rather than retrying early."
                                        + " The registry is overloaded or rate-limits this"
                                        + " client: lower the request rate or raise the"
                                        + " client's retry settings.",
                                null);
                    }
                    retryAfter = asked.orElse(0L);
                }
            } catch (SSLException e) {
                // A certificate problem does not go away by retrying.
                throw new SchemaRegistryException(
                        SchemaRegistryException.Kind.UNAVAILABLE,
                        -1,
                        -1,
                        "TLS handshake with the Schema Registry at "
                                + base
                                + " failed ("
                                + describe(e)
                                + "). If the registry uses a private CA or a self-signed"
                                + " certificate, set the schema-registry.ssl.truststore.*"
                                + " options; if it requires a client certificate, set"
                                + " schema-registry.ssl.keystore.*.",
                        e);
            } catch (HttpTimeoutException e) {
                lastProblem = "no answer from " + base + " within " + config.requestTimeout();
                lastCause = e;
                preferredUrl = urlIndex + 1;
            } catch (IOException e) {
                lastProblem = "cannot reach " + base + " (" + describe(e) + ")";
                lastCause = e;
                preferredUrl = urlIndex + 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw interrupted(method, path, e);
            }
            backoff = waitBeforeRetry(method, path, attempt, lastProblem, backoff, retryAfter);
        }
        throw new SchemaRegistryException(
                SchemaRegistryException.Kind.UNAVAILABLE,
                -1,
                -1,
                "The Schema Registry at "
                        + config.endpoints()
                        + " is unavailable: "
                        + method
                        + " "
                        + path
                        + " failed "
                        + config.maxAttempts()
                        + " times, last: "
                        + lastProblem
                        + ". Check that the endpoint is right and reachable from"
                        + " this machine; the client retries connection errors, timeouts and"
                        + " 5xx answers.",
                lastCause);
    }

    /**
     * Waits before the next attempt, if there is one: the backoff with jitter, or longer when the
     * registry asked for it ({@code Retry-After}); returns the next backoff.
     */
    private Duration waitBeforeRetry(
            String method,
            String path,
            int attempt,
            String problem,
            Duration backoff,
            long retryAfter) {
        if (attempt >= config.maxAttempts()) {
            return backoff;
        }
        long wait = Math.max(jittered(backoff), retryAfter);
        LOG.warn(
                "Schema Registry request {} {} failed (attempt {}/{}): {}; retrying in {} ms",
                method,
                path,
                attempt,
                config.maxAttempts(),
                problem,
                wait);
        this.pause.accept(wait);
        return min(backoff.multipliedBy(2), config.maxBackoff());
    }

    private static SchemaRegistryException interrupted(
            String method, String path, InterruptedException e) {
        return new SchemaRegistryException(
                SchemaRegistryException.Kind.UNAVAILABLE,
                -1,
                -1,
                "Interrupted while calling the Schema Registry (" + method + " " + path + ")",
                e);
    }

    private HttpRequest request(String method, String url, String payload, String token) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(config.requestTimeout())
                        .header("Accept", ACCEPT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        } else if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (config.authType() == SchemaRegistryConfig.AuthType.BEARER) {
            // Confluent Cloud routes bearer requests by these two headers.
            if (logicalCluster != null) {
                builder.header("target-sr-cluster", logicalCluster);
            }
            if (identityPoolId != null) {
                builder.header("Confluent-Identity-Pool-Id", identityPoolId);
            }
        }
        if (payload != null) {
            builder.header("Content-Type", CONTENT_TYPE);
            builder.method(
                    method, HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return builder.build();
    }

    /**
     * A 3xx answer. Redirects are not followed (the credentials stay with the configured endpoint);
     * the message names where the registry points, so the user can configure that address if it is
     * right.
     */
    private SchemaRegistryException redirected(
            String method, String path, String base, int status, HttpResponse<?> response) {
        String location =
                response.headers()
                        .firstValue("Location")
                        .map(l -> asWritten(printable(l, 300)))
                        .orElse("(no Location header)");
        return new SchemaRegistryException(
                SchemaRegistryException.Kind.REQUEST_REJECTED,
                status,
                -1,
                "The Schema Registry at "
                        + base
                        + " answered "
                        + method
                        + " "
                        + path
                        + " with a redirect (HTTP "
                        + status
                        + ") to "
                        + location
                        + ". The client does not follow redirects, so that credentials are never"
                        + " sent to an address nobody configured; set schema-registry.endpoint to"
                        + " the registry's own address.",
                null);
    }

    /**
     * The pause a {@code Retry-After} header asks for: delta-seconds or an HTTP date (RFC 9110);
     * empty when it is neither or lies in the past.
     */
    @VisibleForTesting
    static Optional<Long> retryAfterMillis(String value, Instant now) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds >= 0 ? Optional.of(seconds * 1000) : Optional.empty();
        } catch (NumberFormatException e) {
            // not delta-seconds
        }
        try {
            long millis =
                    Duration.between(
                                    now,
                                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                                            .toInstant())
                            .toMillis();
            return millis >= 0 ? Optional.of(millis) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** At most {@code max} characters of {@code text}, control characters escaped. */
    private static String printable(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return text.length() > max ? out + "..." : out.toString();
    }

    private static boolean retriable(int status) {
        // 429 is "try again later" by definition, so it is retried like a 5xx.
        return status >= 500 || status == 429 || status == 408;
    }

    @VisibleForTesting
    SchemaRegistryException errorFor(
            String method, String path, String base, int status, String body, Target target) {
        int code = -1;
        String registryMessage = "";
        try {
            JsonNode error = MAPPER.readTree(body);
            code = error.path("error_code").asInt(-1);
            registryMessage = error.path("message").asText("");
        } catch (JsonProcessingException | RuntimeException e) {
            registryMessage = body == null ? "" : body.substring(0, Math.min(body.length(), 300));
        }
        String request = method + " " + base + path;
        SchemaRegistryException.Kind kind;
        String message;
        if (status == 401 || status == 403) {
            kind = SchemaRegistryException.Kind.AUTHENTICATION;
            message = authenticationFailure(base, status);
        } else if (code == 40401
                || (status == 404
                        && code == -1
                        && target.subject != null
                        && target.version == null
                        && target.id < 0)) {
            kind = SchemaRegistryException.Kind.SUBJECT_NOT_FOUND;
            message =
                    "Subject '"
                            + target.subject
                            + "' not found in the Schema Registry at "
                            + base
                            + ". Register a schema for it first, or check the topic name and the"
                            + " subject name strategy (default: '<topic>-value').";
        } else if (code == 40402) {
            kind = SchemaRegistryException.Kind.VERSION_NOT_FOUND;
            message =
                    "Version "
                            + target.version
                            + " of subject '"
                            + target.subject
                            + "' not found in the Schema Registry at "
                            + base
                            + ".";
        } else if (code == 40403 || (status == 404 && target.id >= 0)) {
            kind = SchemaRegistryException.Kind.SCHEMA_NOT_FOUND;
            message =
                    target.id >= 0
                            ? "Schema id "
                                    + target.id
                                    + " not found in the Schema Registry at "
                                    + base
                                    + ". The data was written with a registry other than the one"
                                    + " configured, or the schema was deleted permanently."
                            : "Subject '"
                                    + target.subject
                                    + "' has no version with this schema"
                                    + " (Schema Registry at "
                                    + base
                                    + ").";
        } else if (status == 409) {
            kind = SchemaRegistryException.Kind.INCOMPATIBLE;
            message =
                    "The schema is incompatible with the latest version of subject '"
                            + target.subject
                            + "' under its compatibility rule (Schema Registry at "
                            + base
                            + "): "
                            + registryMessage
                            + ". Change the table to a compatible"
                            + " schema, or change the subject's compatibility level.";
        } else if (status == 422 && (code == 42201 || code == -1 || code == 422)) {
            kind = SchemaRegistryException.Kind.INVALID_SCHEMA;
            message =
                    "The Schema Registry at "
                            + base
                            + " rejected the schema for subject '"
                            + target.subject
                            + "' as invalid: "
                            + registryMessage;
        } else {
            kind = SchemaRegistryException.Kind.REQUEST_REJECTED;
            message =
                    "The Schema Registry rejected "
                            + request
                            + " with HTTP "
                            + status
                            + (code > 0 ? " (error " + code + ")" : "")
                            + ": "
                            + registryMessage;
        }
        return new SchemaRegistryException(kind, status, code, message, null);
    }

    /** What was rejected and what to check, by how this client authenticates. */
    private String authenticationFailure(String base, int status) {
        String rejected = "The Schema Registry at " + base + " rejected ";
        String with = " with HTTP " + status + (status == 403 ? " (forbidden)" : "") + ". ";
        if (config.authType() == SchemaRegistryConfig.AuthType.BASIC) {
            return rejected
                    + "the configured credentials (BASIC)"
                    + with
                    + "Check schema-registry.api-key and schema-registry.api-secret of the"
                    + " connection profile (for Confluent Cloud: a Schema Registry API key, not a"
                    + " Kafka cluster key).";
        }
        String routing =
                " For Confluent Cloud, also check schema-registry.bearer.logical-cluster (lsrc-…)"
                        + " and schema-registry.bearer.identity-pool-id (pool-…), and that the"
                        + " identity pool may use this registry.";
        if (tokens != null) {
            long lifetime = tokens.lastLifetimeSeconds();
            return rejected
                    + "the bearer token from the OAuth token endpoint "
                    + tokens.endpoint()
                    + (status == 401 ? ", also a freshly fetched one," : "")
                    + with
                    + (lifetime <= 0
                            ? "The token endpoint issued a token that had already expired"
                                    + " (expires_in "
                                    + lifetime
                                    + " s): check the identity provider's token lifetime and"
                                    + " the clocks of the identity provider and this host. "
                            : "")
                    + "Check "
                    + tokens.fieldPrefix()
                    + ".client-id, .client-secret and .scope, and that the registry accepts"
                    + " tokens of this identity provider (issuer and audience)."
                    + routing;
        }
        if (config.authType() == SchemaRegistryConfig.AuthType.BEARER) {
            return rejected
                    + "the static bearer token (schema-registry.bearer.token)"
                    + with
                    + "The token may have expired or have been issued for another audience:"
                    + " renew it, or let the connector fetch tokens with OAuth client credentials"
                    + " (schema-registry.oauth.* or auth.oauth.*)."
                    + routing;
        }
        return rejected
                + "the request without credentials"
                + with
                + "Set schema-registry.api-key and schema-registry.api-secret (basic), or"
                + " schema-registry.auth = 'bearer' with a token or OAuth client credentials.";
    }

    private JsonNode parse(String method, String path, String body) {
        try {
            return body == null || body.isEmpty() ? MAPPER.nullNode() : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw protocolError(method + " " + path, "the answer is not JSON");
        }
    }

    private SchemaRegistryException protocolError(String request, String problem) {
        return new SchemaRegistryException(
                SchemaRegistryException.Kind.PROTOCOL,
                -1,
                -1,
                "Unexpected answer from the Schema Registry at "
                        + config.endpoints()
                        + " to "
                        + request
                        + ": "
                        + problem
                        + ". Is the endpoint a Confluent-compatible Schema Registry API?",
                null);
    }

    private static ObjectNode schemaBody(SchemaDefinition schema) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("schema", schema.text());
        if (schema.type() != SchemaType.AVRO) {
            body.put("schemaType", schema.type().name());
        }
        if (!schema.references().isEmpty()) {
            ArrayNode refs = body.putArray("references");
            for (SchemaReference ref : schema.references()) {
                refs.addObject()
                        .put("name", ref.name())
                        .put("subject", ref.subject())
                        .put("version", ref.version());
            }
        }
        return body;
    }

    private RegisteredSchema registeredSchema(String subject, JsonNode response) {
        String actualSubject = response.path("subject").asText(subject);
        return new RegisteredSchema(
                actualSubject,
                requiredInt(response, "version"),
                requiredInt(response, "id"),
                definition(response));
    }

    private SchemaDefinition definition(JsonNode response) {
        JsonNode text = response.get("schema");
        if (text == null || !text.isTextual()) {
            throw protocolError("schema lookup", "no 'schema' text in " + abbreviate(response));
        }
        List<SchemaReference> references = new ArrayList<>();
        response.path("references")
                .forEach(
                        ref ->
                                references.add(
                                        new SchemaReference(
                                                ref.path("name").asText(),
                                                ref.path("subject").asText(),
                                                ref.path("version").asInt())));
        return new SchemaDefinition(
                SchemaType.fromRegistry(response.path("schemaType").asText(null)),
                text.asText(),
                references);
    }

    private int requiredInt(JsonNode response, String field) {
        JsonNode value = response.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw protocolError(
                    "a schema request", "no integer '" + field + "' in " + abbreviate(response));
        }
        return value.asInt();
    }

    private static String abbreviate(JsonNode node) {
        String text = String.valueOf(node);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static String authorizationHeader(
            SchemaRegistryConfig config, Function<String, String> environment) {
        switch (config.authType()) {
            case BASIC:
                String user =
                        SecretTemplates.resolve(
                                config.username(), "schema-registry.api-key", environment);
                String pass =
                        SecretTemplates.resolve(
                                config.password(), "schema-registry.api-secret", environment);
                return "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (user + ":" + pass).getBytes(StandardCharsets.UTF_8));
            case BEARER:
                if (config.bearerToken() == null) {
                    return null; // fetched per request by OAuthTokens
                }
                return "Bearer "
                        + SecretTemplates.resolve(
                                config.bearerToken(), "schema-registry.bearer.token", environment);
            default:
                return null;
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String describe(IOException e) {
        String message = e.getMessage();
        if (message == null && e.getCause() != null) {
            message = e.getCause().toString();
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + asWritten(message));
    }

    /**
     * {@code text} (a JDK message, which may name the host it tried) with every endpoint, and the
     * host of every endpoint, that a template resolved replaced by the endpoint as written.
     */
    private String asWritten(String text) {
        String result = text;
        for (int i = 0; i < urls.size(); i++) {
            String url = urls.get(i);
            String written = shownUrls.get(i);
            if (url.equals(written)) {
                continue;
            }
            result = result.replace(url, written);
            String host = URI.create(url).getHost(); // checked by checkUrl
            if (host != null && !host.isEmpty()) {
                result = result.replace(host, written);
            }
        }
        return result;
    }

    private static long jittered(Duration backoff) {
        long millis = Math.max(1, backoff.toMillis());
        return millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(
                    SchemaRegistryException.Kind.UNAVAILABLE,
                    -1,
                    -1,
                    "Interrupted while waiting to retry a Schema Registry request",
                    e);
        }
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient{" + config + "}";
    }

    /** What a request is about, so error messages can name it. */
    @VisibleForTesting
    static final class Target {
        final String subject;
        final String version;
        final int id;

        private Target(String subject, String version, int id) {
            this.subject = subject;
            this.version = version;
            this.id = id;
        }

        static Target none() {
            return new Target(null, null, -1);
        }

        static Target subject(String subject) {
            return new Target(subject, null, -1);
        }

        static Target version(String subject, String version) {
            return new Target(subject, version, -1);
        }

        static Target id(int id) {
            return new Target(null, null, id);
        }
    }
}
