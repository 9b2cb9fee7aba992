package io.github.flinkconfluent.benchmarks;

import io.github.flinkconfluent.catalog.SchemaRegistryCatalog;
import io.github.flinkconfluent.catalog.SchemaRegistryCatalogOptions;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;

import org.apache.flink.configuration.Configuration;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * How long listing many subjects takes on a real registry: what {@code SHOW TABLES} in the
 * schema-registry catalog costs with a cold cache. A test cannot assert a duration (it depends on
 * the machine); {@code SchemaRegistryCatalogITCase} asserts the exact number of requests instead,
 * and this benchmark keeps the figure.
 *
 * <p>Needs a running registry, given with {@code -p registryUrl=...} (the Confluent-compatible base
 * URL, e.g. Apicurio's {@code http://127.0.0.1:P/apis/ccompat/v7} from {@code
 * dev/start-services.sh}). The setup registers {@code subjects} subjects named {@code
 * bench-listing-<i>-value} (idempotent: a second run finds them registered), then checks that a
 * listing sees all of them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class SubjectListingBenchmark {

    private static final String PREFIX = "bench-listing-";
    private static final String SCHEMA =
            "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"id\",\"type\":\"int\"}]}";

    /** The registry's Confluent-compatible base URL; required. */
    @Param("")
    public String registryUrl;

    /** How many subjects to register and list. */
    @Param("10000")
    public int subjects;

    private SchemaRegistryClient client;
    private SchemaRegistryCatalog catalog;

    @Setup
    public void setUp() throws Exception {
        if (registryUrl.isEmpty()) {
            throw new IllegalArgumentException(
                    "Pass the registry with -p registryUrl=http://HOST:PORT/apis/ccompat/v7"
                            + " (dev/start-services.sh prints one); see docs/benchmarks.md.");
        }
        client = SchemaRegistryClients.create(SchemaRegistryConfig.builder(registryUrl).build());
        register();

        // The catalog as CREATE CATALOG builds it, with the subject cache off: every listTables
        // asks the registry. Kafka is never contacted for a listing.
        ConnectionProfile profile =
                ConnectionProfiles.resolve(
                        null,
                        new Configuration(),
                        Map.of(
                                "bootstrap.servers",
                                "127.0.0.1:9",
                                "schema-registry.endpoint",
                                registryUrl));
        Configuration options = new Configuration();
        options.set(SchemaRegistryCatalogOptions.CACHE_TTL, Duration.ZERO);
        catalog =
                new SchemaRegistryCatalog(
                        "bench", profile, profile.schemaRegistry().orElseThrow(), options);
        catalog.open();
        long listed =
                catalog.listTables(catalog.getDefaultDatabase()).stream()
                        .filter(t -> t.startsWith(PREFIX))
                        .count();
        if (listed != subjects) {
            throw new IllegalStateException(
                    "The catalog lists " + listed + " of the " + subjects + " subjects");
        }
    }

    private void register() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> registered = new ArrayList<>();
            for (int i = 0; i < subjects; i++) {
                String subject = PREFIX + i + "-value";
                registered.add(
                        pool.submit(() -> client.register(subject, SchemaDefinition.avro(SCHEMA))));
            }
            for (Future<Integer> future : registered) {
                future.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        if (catalog != null) {
            catalog.close();
        }
        if (client != null) {
            client.close();
        }
    }

    /** The registry client alone: every page of {@code GET /subjects}. */
    @Benchmark
    public List<String> clientGetSubjects() {
        return client.getSubjects();
    }

    /** What {@code SHOW TABLES} asks the catalog for, with a cold cache. */
    @Benchmark
    public List<String> catalogListTables() throws Exception {
        return catalog.listTables(catalog.getDefaultDatabase());
    }
}
