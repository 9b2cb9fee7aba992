package io.github.flinkconfluent.connector.registry;

import io.github.flinkconfluent.connector.secrets.SecretTemplates;

import org.apache.flink.annotation.Internal;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
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
 *
 * <p>Store locations may be templates: they are resolved here, and messages show them as written,
 * since a template may name a variable whose value the reader must not see.
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
        Store store =
                Store.of(
                        "trust store",
                        "schema-registry.ssl.truststore",
                        config.truststoreLocation(),
                        config.truststoreType(),
                        environment);
        try {
            KeyStore trust;
            if (store.type.equals("PEM")) {
                trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                try (InputStream in = Files.newInputStream(store.path)) {
                    int n = 0;
                    for (Certificate cert :
                            CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        trust.setCertificateEntry("cert-" + n++, cert);
                    }
                }
            } else {
                trust =
                        store.load(
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
            throw store.failure(e);
        }
    }

    private static KeyManager[] keyManagers(
            SchemaRegistryConfig config, Function<String, String> environment) {
        Store store =
                Store.of(
                        "key store",
                        "schema-registry.ssl.keystore",
                        config.keystoreLocation(),
                        config.keystoreType(),
                        environment);
        try {
            String password =
                    SecretTemplates.resolve(
                            config.keystorePassword(),
                            "schema-registry.ssl.keystore.password",
                            environment);
            KeyStore keys = store.load(password);
            KeyManagerFactory factory =
                    KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, password == null ? new char[0] : password.toCharArray());
            return factory.getKeyManagers();
        } catch (IOException | GeneralSecurityException e) {
            throw store.failure(e);
        }
    }

    /** One store file: its location as written and resolved, and its type. */
    private static final class Store {
        final String what;
        final String fields;
        final String written;
        final String resolved;
        final Path path;
        final String type;

        private Store(
                String what,
                String fields,
                String written,
                String resolved,
                Path path,
                String type) {
            this.what = what;
            this.fields = fields;
            this.written = written;
            this.resolved = resolved;
            this.path = path;
            this.type = type;
        }

        static Store of(
                String what,
                String fields,
                String written,
                String type,
                Function<String, String> environment) {
            String resolved = SecretTemplates.resolve(written, fields + ".location", environment);
            Path path;
            try {
                path = Path.of(resolved);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException(
                        "The Schema Registry "
                                + what
                                + " location '"
                                + written
                                + "' is not a valid path. Check "
                                + fields
                                + ".location.");
            }
            return new Store(what, fields, written, resolved, path, type.toUpperCase(Locale.ROOT));
        }

        KeyStore load(String password) throws IOException, GeneralSecurityException {
            KeyStore store = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(path)) {
                store.load(in, password == null ? null : password.toCharArray());
            }
            return store;
        }

        /**
         * The JDK's messages name the file and the problem ("keystore password was incorrect"),
         * never a password; they quote the resolved path, so it is replaced by the location as
         * written, and the exception is chained only when nothing was resolved.
         */
        IllegalArgumentException failure(Exception e) {
            String problem =
                    e instanceof NoSuchFileException
                            ? "the file does not exist"
                            : e.getClass().getSimpleName()
                                    + (e.getMessage() == null
                                            ? ""
                                            : ": " + e.getMessage().replace(resolved, written));
            return new IllegalArgumentException(
                    "Cannot load the Schema Registry "
                            + what
                            + " '"
                            + written
                            + "' (type "
                            + type
                            + "): "
                            + problem
                            + ". Check "
                            + fields
                            + ".location, .type and .password.",
                    resolved.equals(written) ? e : null);
        }
    }
}
