package io.github.flinkconfluent.packaging;

import org.apache.flink.table.factories.Factory;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/** The shaded SQL jar: what it holds, and that Flink finds the connector in it alone. */
class ShadedJarITCase {

    private static final Path JAR = Path.of(System.getProperty("shaded.jar"));

    /** Compression codecs load native code by their original class names: kept as they are. */
    private static final List<String> NATIVE_CODECS =
            List.of(
                    "org/xerial/snappy/",
                    "com/github/luben/zstd/",
                    "net/jpountz/",
                    "aix/",
                    "darwin/",
                    "freebsd/",
                    "linux/",
                    "win/");

    @Test
    void holdsOnlyOurNamespaceRelocatedLibrariesNativeCodecsAndMetaInf() throws IOException {
        List<String> unexpected = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                boolean allowed =
                        name.startsWith("io/github/flinkconfluent/")
                                || name.equals("io/")
                                || name.equals("io/github/")
                                || name.startsWith("META-INF/")
                                || name.startsWith("kafka/") // kafka-clients' version resource
                                || NATIVE_CODECS.stream().anyMatch(name::startsWith)
                                || NATIVE_CODECS.stream()
                                        .anyMatch(p -> p.startsWith(name) && name.endsWith("/"));
                if (!allowed) {
                    unexpected.add(name);
                }
            }
            assertThat(unexpected).as("entries outside the allowed namespaces").isEmpty();
            assertThat(jar.getEntry("META-INF/NOTICE")).isNotNull();
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.github.flinkconfluent.connector.validate.Main");
        }
    }

    @Test
    void theTableAndCatalogFactoriesAreDiscoverableFromTheJarAlone() throws Exception {
        try (URLClassLoader loader = new OurClassesFromTheJarOnly(JAR.toUri().toURL())) {
            List<Factory> factories = new ArrayList<>();
            ServiceLoader.load(Factory.class, loader).forEach(factories::add);

            Factory confluent =
                    factories.stream()
                            .filter(f -> f.factoryIdentifier().equals("confluent"))
                            .findFirst()
                            .orElseThrow();
            assertThat(confluent.getClass().getClassLoader()).isSameAs(loader);
            Factory catalog =
                    factories.stream()
                            .filter(f -> f.factoryIdentifier().equals("schema-registry"))
                            .findFirst()
                            .orElseThrow();
            assertThat(catalog.getClass().getClassLoader()).isSameAs(loader);
            assertThat(catalog.optionalOptions()).isNotEmpty();
            assertThat(confluent.optionalOptions()).isNotEmpty();
            assertThat(
                            loader.loadClass(
                                            "io.github.flinkconfluent.shaded.org.apache.kafka.clients"
                                                + ".producer.KafkaProducer")
                                    .getClassLoader())
                    .isSameAs(loader);
        }
    }

    @Test
    void jaasLoginModulesPointAtTheRelocatedKafkaClasses() throws IOException {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            JarEntry security =
                    jar.getJarEntry(
                            "io/github/flinkconfluent/connector/profile/KafkaSecurity.class");
            String constants;
            try (InputStream in = jar.getInputStream(security)) {
                constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            assertThat(constants)
                    .contains(
                            "io.github.flinkconfluent.shaded.org.apache.kafka.common.security"
                                    + ".plain.PlainLoginModule")
                    .contains(
                            "io.github.flinkconfluent.shaded.org.apache.kafka.common.security"
                                    + ".oauthbearer.OAuthBearerLoginModule")
                    .contains(
                            "io.github.flinkconfluent.shaded.org.apache.kafka.common.security"
                                    + ".oauthbearer.OAuthBearerLoginCallbackHandler")
                    .doesNotContain("\u0000org.apache.kafka.common.security.plain");
        }
    }

    /**
     * Kafka reads some restrictions from JVM system properties named {@code org.apache.kafka.*}
     * (which OAuth URLs a client may call, which login modules it may load). Relocation must not
     * rename them, or an operator's {@code -Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=…}
     * would not reach the shaded clients: OAuth would fail with a message naming a property nobody
     * can guess, and the login module restrictions would silently not apply.
     */
    @Test
    void kafkasSecuritySystemPropertiesKeepTheirNames() throws Exception {
        List<String> properties =
                List.of(
                        "org.apache.kafka.sasl.oauthbearer.allowed.urls",
                        "org.apache.kafka.sasl.oauthbearer.allowed.files",
                        "org.apache.kafka.allowed.login.modules",
                        "org.apache.kafka.disallowed.login.modules",
                        "org.apache.kafka.automatic.config.providers");
        List<String> relocated = new ArrayList<>();
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                String text;
                try (InputStream in = jar.getInputStream(entry)) {
                    text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
                for (String property : properties) {
                    if (text.contains("shaded." + property)) {
                        relocated.add(entry.getName() + ": " + property);
                    }
                }
            }
        }
        assertThat(relocated).as("relocated system property names").isEmpty();
        try (URLClassLoader loader = new OurClassesFromTheJarOnly(JAR.toUri().toURL())) {
            Class<?> configs =
                    loader.loadClass(
                            "io.github.flinkconfluent.shaded.org.apache.kafka.common.config"
                                    + ".internals.BrokerSecurityConfigs");
            assertThat(configs.getField("ALLOWED_SASL_OAUTHBEARER_URLS_CONFIG").get(null))
                    .isEqualTo("org.apache.kafka.sasl.oauthbearer.allowed.urls");
        }
    }

    /** Loads this project's classes only from the jar, everything else from the test class path. */
    private static final class OurClassesFromTheJarOnly extends URLClassLoader {
        OurClassesFromTheJarOnly(URL jar) {
            super(new URL[] {jar}, ShadedJarITCase.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("io.github.flinkconfluent.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                return loaded != null ? loaded : findClass(name);
            }
        }

        @Override
        public URL getResource(String name) {
            URL own = findResource(name);
            return own != null ? own : super.getResource(name);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return findResources(name); // only the jar's service files
        }
    }
}
