package io.github.flinkconfluent.connector.registry;

import io.github.flinkconfluent.connector.profile.SecretTemplates;

import org.apache.flink.annotation.Internal;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
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
 * private registry; Confluent Cloud needs none of this), or that requires a client certificate
 * (mutual TLS). Either part falls back to the JVM's default when not configured.
 */
@Internal
final class RegistryTls {

    private RegistryTls() {}

    /** True when the config needs a TLS context of its own. */
    static boolean configured(SchemaRegistryConfig config) {
        return config.truststoreLocation() != null || config.keystoreLocation() != null;
    }

    static SSLContext sslContext(
            SchemaRegistryConfig config, Function<String, String> environment) {
        TrustManager[] trust =
                config.truststoreLocation() == null ? null : trustManagers(config, environment);
        KeyManager[] keys =
                config.keystoreLocation() == null ? null : keyManagers(config, environment);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Cannot set up TLS for the Schema Registry at "
                            + config.endpoints()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private static TrustManager[] trustManagers(
            SchemaRegistryConfig config, Function<String, String> environment) {
        Path location = Path.of(config.truststoreLocation());
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
                trust =
                        load(
                                location,
                                type,
                                SecretTemplates.resolve(
                                        config.truststorePassword(),
                                        "schema-registry.ssl.truststore.password",
                                        environment));
            }
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            return factory.getTrustManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Cannot load the Schema Registry trust store "
                            + location
                            + " (type "
                            + type
                            + "): "
                            + e.getMessage()
                            + ". Check schema-registry.ssl.truststore.location, .type and"
                            + " .password.",
                    e);
        }
    }

    private static KeyManager[] keyManagers(
            SchemaRegistryConfig config, Function<String, String> environment) {
        Path location = Path.of(config.keystoreLocation());
        String type = config.keystoreType().toUpperCase(Locale.ROOT);
        try {
            String password =
                    SecretTemplates.resolve(
                            config.keystorePassword(),
                            "schema-registry.ssl.keystore.password",
                            environment);
            KeyStore keys = load(location, type, password);
            KeyManagerFactory factory =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password == null ? new char[0] : password.toCharArray());
            return factory.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            // The JDK's messages name the file and the problem ("keystore password was
            // incorrect"), never the password.
            throw new IllegalArgumentException(
                    "Cannot load the Schema Registry key store "
                            + location
                            + " (type "
                            + type
                            + "): "
                            + e.getMessage()
                            + ". Check schema-registry.ssl.keystore.location, .type and"
                            + " .password.",
                    e);
        }
    }

    private static KeyStore load(Path location, String type, String password)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(location)) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}
