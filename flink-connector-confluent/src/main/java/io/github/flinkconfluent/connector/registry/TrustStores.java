package io.github.flinkconfluent.connector.registry;

import io.github.flinkconfluent.connector.profile.SecretTemplates;

import org.apache.flink.annotation.Internal;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;
import java.util.function.Function;

/**
 * Builds the TLS context for a registry whose certificate is not signed by a CA the JVM trusts (a
 * private registry; Confluent Cloud needs none of this).
 */
@Internal
final class TrustStores {

    private TrustStores() {}

    static SSLContext sslContext(
            SchemaRegistryConfig config, Function<String, String> environment) {
        String written = config.truststoreLocation();
        String resolved =
                SecretTemplates.resolve(
                        written, "schema-registry.ssl.truststore.location", environment);
        Path location;
        try {
            location = Path.of(resolved);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(
                    "The Schema Registry trust store location '"
                            + written
                            + "' is not a valid path. Check"
                            + " schema-registry.ssl.truststore.location.");
        }
        String type = config.truststoreType().toUpperCase(Locale.ROOT);
        try {
            KeyStore trust;
            if (type.equals("PEM")) {
                trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                try (InputStream in = Files.newInputStream(location)) {
                    int n = 0;
                    for (Certificate cert :
                            CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        trust.setCertificateEntry("cert-" + n++, cert);
                    }
                }
            } else {
                String password =
                        SecretTemplates.resolve(
                                config.truststorePassword(),
                                "schema-registry.ssl.truststore.password",
                                environment);
                trust = KeyStore.getInstance(type);
                try (InputStream in = Files.newInputStream(location)) {
                    trust.load(in, password == null ? null : password.toCharArray());
                }
            }
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            // Messages show the location as written: a template may name a variable whose value
            // the reader must not see. The JDK's messages quote the resolved path, so they are
            // shown with it replaced, and the exception is chained only when nothing was resolved.
            String problem =
                    e instanceof java.nio.file.NoSuchFileException
                            ? "the file does not exist"
                            : e.getClass().getSimpleName()
                                    + (e.getMessage() == null
                                            ? ""
                                            : ": " + e.getMessage().replace(resolved, written));
            throw new IllegalArgumentException(
                    "Cannot load the Schema Registry trust store '"
                            + written
                            + "' (type "
                            + type
                            + "): "
                            + problem
                            + ". Check schema-registry.ssl.truststore.location, .type and"
                            + " .password.",
                    resolved.equals(written) ? e : null);
        }
    }
}
