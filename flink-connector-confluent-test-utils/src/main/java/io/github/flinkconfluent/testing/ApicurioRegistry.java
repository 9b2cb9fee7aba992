package io.github.flinkconfluent.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Apicurio Registry 3.x in its own JVM, used through its Confluent-compatible API.
 *
 * <p>Apicurio is an independent implementation of the Confluent Schema Registry REST API, so tests
 * against it check our client against a server we did not write. It runs with Confluent's default
 * global compatibility (BACKWARD) and schema validation on. Storage is an H2 database file in the
 * service directory, so a {@link #restart()} or {@link #kill()} + {@link #start()} keeps every
 * subject and id, as a real registry would.
 */
public final class ApicurioRegistry extends ServiceProcess {

    /** The registry needs at least this Java major version (its classes are compiled for 21). */
    public static final int MINIMUM_JAVA = 21;

    private final int httpPort = FreePorts.pick();
    private final int managementPort = FreePorts.pick();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String compatibility;
    private final String basicAuthUser;
    private final String basicAuthPassword;
    private java.nio.file.Path tlsKeystore;
    private String tlsPassword;
    private OAuthTokenServer tokenServer;

    public ApicurioRegistry() {
        this("BACKWARD");
    }

    /** A registry whose global compatibility rule is {@code compatibility} (e.g. NONE). */
    public ApicurioRegistry(String compatibility) {
        this(compatibility, null, null);
    }

    private ApicurioRegistry(String compatibility, String user, String password) {
        super("apicurio-registry");
        this.compatibility = compatibility;
        this.basicAuthUser = user;
        this.basicAuthPassword = password;
    }

    /**
     * A registry that requires HTTP basic authentication with this one user, as Confluent Cloud
     * requires an API key and secret; wrong or missing credentials get 401. Owned by the caller.
     */
    public static ApicurioRegistry withBasicAuth(String user, String password) {
        return new ApicurioRegistry("BACKWARD", user, password);
    }

    /**
     * Serve the API over HTTPS only, with the key and certificate in the PKCS12 {@code keystore}
     * (its certificate must name 127.0.0.1); call before {@link #start()}. The management port
     * (health checks) stays plain HTTP.
     */
    public ApicurioRegistry tls(java.nio.file.Path keystore, String password) {
        this.tlsKeystore = keystore;
        this.tlsPassword = password;
        return this;
    }

    /**
     * Also accept {@code Authorization: Bearer} tokens issued by {@code tokenServer} (signature,
     * issuer, audience and expiry checked through its OpenID discovery document and key set), as
     * Confluent Cloud accepts OAuth tokens. Call before {@link #start()}.
     */
    public ApicurioRegistry bearerTokens(OAuthTokenServer tokenServer) {
        this.tokenServer = tokenServer;
        return this;
    }

    /**
     * Base URL of the Confluent-compatible API, e.g. {@code http://127.0.0.1:PORT/apis/ccompat/v7}:
     * what a Confluent client calls the registry URL.
     */
    public String url() {
        return (tlsKeystore == null ? "http" : "https")
                + "://127.0.0.1:"
                + httpPort
                + "/apis/ccompat/v7";
    }

    @Override
    protected void prepare() {
        // Everything is passed on the command line; the database file is created on first start.
    }

    @Override
    protected List<String> command() {
        Path home = TestServicesConfig.apicurioHome();
        Path javaHome = JavaRuntimes.findAtLeast(MINIMUM_JAVA);
        List<String> jvm = new ArrayList<>();
        jvm.add("-Xmx512m");
        jvm.add("-XX:+UseSerialGC");
        // Start-up speed matters more than peak throughput for a test registry.
        jvm.add("-XX:TieredStopAtLevel=1");
        // quarkus-run.jar asks for this in its manifest, which only applies with -jar.
        jvm.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        jvm.add("-Dquarkus.http.host=127.0.0.1");
        if (tlsKeystore == null) {
            jvm.add("-Dquarkus.http.port=" + httpPort);
        } else {
            jvm.add("-Dquarkus.http.port=" + FreePorts.pick());
            jvm.add("-Dquarkus.http.ssl-port=" + httpPort);
            jvm.add("-Dquarkus.http.insecure-requests=disabled");
            jvm.add("-Dquarkus.http.ssl.certificate.key-store-file=" + tlsKeystore);
            jvm.add("-Dquarkus.http.ssl.certificate.key-store-password=" + tlsPassword);
        }
        jvm.add("-Dquarkus.management.host=127.0.0.1");
        jvm.add("-Dquarkus.management.port=" + managementPort);
        jvm.add("-Dquarkus.http.access-log.enabled=false");
        jvm.add("-Dapicurio.rules.global.compatibility=" + compatibility);
        jvm.add("-Dapicurio.rules.global.validity=FULL");
        if (basicAuthUser != null) {
            // Quarkus' embedded user store guards the whole API with HTTP basic auth.
            jvm.add("-Dquarkus.http.auth.basic=true");
            jvm.add("-Dquarkus.security.users.embedded.enabled=true");
            jvm.add("-Dquarkus.security.users.embedded.plain-text=true");
            jvm.add(
                    "-Dquarkus.security.users.embedded.users."
                            + basicAuthUser
                            + "="
                            + basicAuthPassword);
        }
        if (tokenServer != null) {
            // Quarkus OIDC as a resource server: bearer tokens checked against the provider's
            // discovery document and keys; Apicurio's own authorization stays off.
            jvm.add("-Dquarkus.oidc.tenant-enabled=true");
            jvm.add("-Dquarkus.oidc.application-type=service");
            jvm.add("-Dquarkus.oidc.auth-server-url=" + tokenServer.issuer());
            jvm.add("-Dquarkus.oidc.token.audience=" + OAuthTokenServer.AUDIENCE);
        }
        if (basicAuthUser != null || tokenServer != null) {
            jvm.add("-Dquarkus.http.auth.permission.registry.paths=/apis/*");
            jvm.add("-Dquarkus.http.auth.permission.registry.policy=authenticated");
        }
        jvm.add(
                "-Dapicurio.datasource.url=jdbc:h2:file:"
                        + directory().resolve("db").resolve("registry")
                        + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        return javaCommand(
                javaHome,
                jvm,
                home.resolve("quarkus-run.jar").toString(),
                List.of("io.quarkus.bootstrap.runner.QuarkusEntryPoint"));
    }

    @Override
    protected boolean isReady(long logOffset) {
        try {
            HttpResponse<Void> response =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + managementPort
                                                            + "/health/ready"))
                                    .timeout(Duration.ofSeconds(2))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "Apicurio Registry " + TestServicesConfig.apicurioVersion() + " at " + url();
    }
}
