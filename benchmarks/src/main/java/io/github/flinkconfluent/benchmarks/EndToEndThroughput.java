package io.github.flinkconfluent.benchmarks;

import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataDecoder;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataEncoder;
import io.github.flinkconfluent.connector.format.json.JsonRowDataDecoder;
import io.github.flinkconfluent.connector.format.json.JsonRowDataEncoder;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.testing.ConfluentTestServices;
import io.github.flinkconfluent.testing.KafkaBroker;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.util.FileUtils;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * End-to-end throughput of this connector against Flink's own Kafka connector ({@code 'connector' =
 * 'kafka'} with Flink's {@code avro}, {@code json} and {@code raw} formats), in one run, on a real
 * broker and a Flink MiniCluster: see docs/benchmarks.md.
 *
 * <p>Reads: bounded {@code INSERT INTO} a counting blackhole ({@link CountingSinkFactory}) from
 * topics written once, before the rounds, so both sides read the same records; writes: a bounded
 * {@code datagen} turned into the same ten-column rows ({@link OrderRows}) into a fresh topic per
 * job. Each round runs every path at every parallelism, ours and the peer's back to back (ours
 * first in odd rounds, the peer first in even ones), then the raw client loop of that path ({@link
 * RawClientLoops}). Every job's rows are counted (the sink's count for reads, the topic's committed
 * records for writes) and a wrong count fails the run: a fast job that lost rows is not a result.
 *
 * <p>The MiniCluster runs in this JVM (one TaskManager, four slots): simpler than the e2e tests'
 * standalone cluster (no job jar, no REST submission), and the harness can read the counting sink's
 * counters directly. Job time is the job's net runtime as Flink reports it (from submission to
 * finish, the figure the REST API shows as the job's duration).
 *
 * <p>Usage: {@code EndToEndThroughput [--rows N] [--rounds R] [--parallelism 1,2] [--only REGEX]
 * [--ours-properties k=v,...] [--peer-properties k=v,...] [--checkpoint-interval-ms MS]}; REGEX
 * picks paths by name (e.g. {@code read}, {@code write json}); the properties are Kafka client
 * settings added to one side's tables as {@code 'properties.k' = 'v'} (to measure a tuning before
 * making it a default). Write jobs checkpoint every 2 s unless told otherwise: a bounded
 * exactly-once job ends only at the first checkpoint after its input, so its time is rounded up to
 * the checkpoint schedule, and a shorter interval takes that rounding out of a comparison.
 */
public final class EndToEndThroughput {

    /** What to run. */
    public record Options(
            long rows,
            int rounds,
            List<Integer> parallelisms,
            Pattern only,
            Map<String, String> oursProperties,
            Map<String, String> peerProperties,
            Duration checkpointInterval) {

        /** Client defaults on both sides, write jobs checkpointing every 2 s. */
        public Options(long rows, int rounds, List<Integer> parallelisms, Pattern only) {
            this(rows, rounds, parallelisms, only, Map.of(), Map.of(), Duration.ofSeconds(2));
        }

        static Options parse(String[] args) {
            long rows = 500_000;
            int rounds = 3;
            List<Integer> parallelisms = List.of(1, 2);
            Pattern only = Pattern.compile("");
            Map<String, String> oursProperties = Map.of();
            Map<String, String> peerProperties = Map.of();
            Duration checkpointInterval = Duration.ofSeconds(2);
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--rows" -> rows = Long.parseLong(value);
                    case "--rounds" -> rounds = Integer.parseInt(value);
                    case "--parallelism" -> {
                        List<Integer> list = new ArrayList<>();
                        for (String p : value.split(",")) {
                            list.add(Integer.parseInt(p.trim()));
                        }
                        parallelisms = list;
                    }
                    case "--only" -> only = Pattern.compile(value);
                    case "--ours-properties" -> oursProperties = properties(value);
                    case "--peer-properties" -> peerProperties = properties(value);
                    case "--checkpoint-interval-ms" ->
                            checkpointInterval = Duration.ofMillis(Long.parseLong(value));
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown argument "
                                            + args[i]
                                            + "; usage: [--rows N] [--rounds R]"
                                            + " [--parallelism 1,2] [--only REGEX]"
                                            + " [--ours-properties k=v,k=v]"
                                            + " [--peer-properties k=v,k=v]"
                                            + " [--checkpoint-interval-ms MS]");
                }
                i++;
            }
            return new Options(
                    rows,
                    rounds,
                    parallelisms,
                    only,
                    oursProperties,
                    peerProperties,
                    checkpointInterval);
        }

        /** {@code linger.ms=20,batch.size=131072}: Kafka client properties of one side. */
        private static Map<String, String> properties(String list) {
            Map<String, String> properties = new LinkedHashMap<>();
            for (String pair : list.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException(
                            "expected key=value in the client properties, got '" + pair + "'");
                }
                properties.put(kv[0].trim(), kv[1].trim());
            }
            return properties;
        }
    }

    /** Who ran a measurement. */
    public enum Side {
        OURS,
        PEER,
        /** The raw client loop: the floor of a read, the ceiling of a write. */
        CLIENT
    }

    /** One job (or client loop): its path, side, parallelism, round, time and rows counted. */
    public record Measurement(
            String path, Side side, int parallelism, int round, long millis, long rows) {}

    private static final String PROFILE = "bench";

    private final Options options;
    private final KafkaBroker kafka;
    private final String registryUrl;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicInteger jobs = new AtomicInteger();

    /**
     * Checkpoints go to files, not the JobManager's memory, whose limit (5 MB) a large state could
     * pass; a failed checkpoint would restart the job and void the measurement.
     */
    private final Path checkpointDir;

    private final List<Measurement> measurements = new ArrayList<>();

    private EndToEndThroughput(
            Options options, KafkaBroker kafka, String registryUrl, Path checkpoints) {
        this.options = options;
        this.kafka = kafka;
        this.registryUrl = registryUrl;
        this.checkpointDir = checkpoints;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        int status = 0;
        try {
            List<Measurement> measurements = run(options);
            System.out.println();
            System.out.println(ThroughputReport.table(measurements, options.rows()));
        } catch (Throwable t) {
            t.printStackTrace();
            status = 1;
        }
        // Leftover client threads are no reason to stay; exiting stops the broker and registry.
        System.exit(status);
    }

    /**
     * Starts (or reuses) the test broker and registry and a MiniCluster, runs every selected path
     * for {@code options.rounds()} rounds and returns the measurements.
     *
     * @throws IllegalStateException if a job or loop did not read or write exactly {@code
     *     options.rows()} rows
     */
    public static List<Measurement> run(Options options) throws Exception {
        KafkaBroker kafka = ConfluentTestServices.kafka();
        String registryUrl = ConfluentTestServices.registry().url();
        Configuration config = new Configuration();
        config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.parse("64m"));
        config.set(RestOptions.BIND_PORT, "0");
        config.set(RestOptions.ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(config)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(4)
                                .build());
        cluster.start();
        TestStreamEnvironment.setAsContext(cluster, 1);
        Path checkpoints = Files.createTempDirectory("throughput-checkpoints");
        try {
            EndToEndThroughput harness =
                    new EndToEndThroughput(options, kafka, registryUrl, checkpoints);
            harness.runAll();
            return harness.measurements;
        } finally {
            TestStreamEnvironment.unsetAsContext();
            cluster.close();
            FileUtils.deleteDirectory(checkpoints.toFile());
        }
    }

    /** A read path: the topic both sides read and how each side declares it. */
    private record ReadPath(
            String name,
            String columns,
            String oursTopic,
            String oursFormat,
            boolean oursRegistry,
            String peerTopic,
            String peerFormat,
            Supplier<RowDecoder> clientDecoder) {}

    /** A write path: format and delivery guarantee of both sides. */
    private record WritePath(
            String name,
            String oursFormat,
            String peerFormat,
            boolean exactlyOnce,
            Supplier<RowEncoder> clientEncoder) {}

    private void runAll() throws Exception {
        long rows = options.rows();
        String avroTopic = topic("avro");
        String jsonTopic = topic("json");
        String rawTopic = topic("raw");
        String registryAvroTopic = topic("registry-avro");
        RegistryClientFactory registry =
                RegistryClientFactory.of(SchemaRegistryConfig.builder(registryUrl).build());
        List<ReadPath> reads =
                List.of(
                        new ReadPath(
                                "read avro",
                                OrderRows.COLUMNS,
                                avroTopic,
                                "avro",
                                false,
                                avroTopic,
                                "avro",
                                () -> new AvroRowDataDecoder(OrderRows.ROW_TYPE, "record", null)),
                        new ReadPath(
                                "read registry avro (peer: bare avro)",
                                OrderRows.COLUMNS,
                                registryAvroTopic,
                                "avro",
                                true,
                                avroTopic,
                                "avro",
                                () ->
                                        new AvroRowDataDecoder(
                                                OrderRows.ROW_TYPE, "record", registry)),
                        new ReadPath(
                                "read json",
                                OrderRows.COLUMNS,
                                jsonTopic,
                                "json",
                                false,
                                jsonTopic,
                                "json",
                                () -> new JsonRowDataDecoder(OrderRows.ROW_TYPE, null, false)),
                        new ReadPath(
                                "read raw",
                                OrderRows.RAW_COLUMNS,
                                rawTopic,
                                "raw_string",
                                false,
                                rawTopic,
                                "raw",
                                () -> message -> GenericRowData.of(StringData.fromBytes(message))));
        List<WritePath> writes = new ArrayList<>();
        for (boolean exactlyOnce : new boolean[] {false, true}) {
            writes.add(
                    new WritePath(
                            "write avro " + (exactlyOnce ? "exactly_once" : "at_least_once"),
                            "avro",
                            "avro",
                            exactlyOnce,
                            () ->
                                    new AvroRowDataEncoder(
                                            OrderRows.ROW_TYPE, "record", null, "unused")));
            writes.add(
                    new WritePath(
                            "write json " + (exactlyOnce ? "exactly_once" : "at_least_once"),
                            "json",
                            "json",
                            exactlyOnce,
                            () -> new JsonRowDataEncoder(OrderRows.ROW_TYPE, null, "unused")));
        }
        reads = reads.stream().filter(path -> selected(path.name())).toList();
        writes = writes.stream().filter(path -> selected(path.name())).toList();

        if (!reads.isEmpty()) {
            seed(avroTopic, jsonTopic, rawTopic, registryAvroTopic);
        }
        for (int round = 1; round <= options.rounds(); round++) {
            boolean oursFirst = round % 2 == 1;
            for (ReadPath path : reads) {
                for (int p : options.parallelisms()) {
                    for (Side side : oursFirst ? order(Side.OURS) : order(Side.PEER)) {
                        record(path.name(), side, p, round, read(path, side, p));
                    }
                    // The floor: our topic, read with our decoder.
                    RawClientLoops.Timed floor =
                            RawClientLoops.consume(
                                    kafka.bootstrapServers(),
                                    path.oursTopic(),
                                    p,
                                    path.clientDecoder());
                    record(path.name(), Side.CLIENT, p, round, floor);
                }
            }
            for (WritePath path : writes) {
                for (int p : options.parallelisms()) {
                    for (Side side : oursFirst ? order(Side.OURS) : order(Side.PEER)) {
                        record(path.name(), side, p, round, write(path, side, p));
                    }
                    if (!path.exactlyOnce()) {
                        String topic = topic("client");
                        RawClientLoops.Timed written =
                                RawClientLoops.produce(
                                        kafka.bootstrapServers(),
                                        topic,
                                        rows,
                                        p,
                                        path.clientEncoder());
                        long inTopic =
                                RawClientLoops.countCommitted(kafka.bootstrapServers(), topic);
                        deleteTopic(topic);
                        record(
                                path.name(),
                                Side.CLIENT,
                                p,
                                round,
                                new RawClientLoops.Timed(
                                        Math.min(written.rows(), inTopic), written.millis()));
                    }
                }
            }
        }
    }

    private static Side[] order(Side first) {
        return first == Side.OURS
                ? new Side[] {Side.OURS, Side.PEER}
                : new Side[] {Side.PEER, Side.OURS};
    }

    private boolean selected(String path) {
        return options.only().matcher(path).find();
    }

    private void record(String path, Side side, int p, int round, RawClientLoops.Timed timed) {
        Measurement m = new Measurement(path, side, p, round, timed.millis(), timed.rows());
        System.out.printf(
                Locale.ROOT,
                "round %d  %-40s p=%d  %-6s %7d ms  %,10.0f rows/s%n",
                round,
                path,
                p,
                side,
                timed.millis(),
                timed.rows() * 1000.0 / Math.max(1, timed.millis()));
        if (timed.rows() != options.rows()) {
            throw new IllegalStateException(
                    String.format(
                            Locale.ROOT,
                            "%s, %s side, parallelism %d, round %d: %d rows instead of %d; the"
                                    + " measurement is void (see the job's log)",
                            path,
                            side,
                            p,
                            round,
                            timed.rows(),
                            options.rows()));
        }
        measurements.add(m);
    }

    /** Writes the read paths' topics once: three by the peer, the framed one by ours. */
    private void seed(String avroTopic, String jsonTopic, String rawTopic, String registryAvroTopic)
            throws Exception {
        long start = System.nanoTime();
        TableEnvironment env = tableEnv(2, true);
        env.executeSql(peerSinkDdl("seed_avro", OrderRows.COLUMNS, avroTopic, "avro", false));
        env.executeSql(peerSinkDdl("seed_json", OrderRows.COLUMNS, jsonTopic, "json", false));
        env.executeSql(peerSinkDdl("seed_raw", OrderRows.RAW_COLUMNS, rawTopic, "raw", false));
        env.executeSql(
                oursSinkDdl(
                        "seed_registry_avro",
                        OrderRows.COLUMNS,
                        registryAvroTopic,
                        "avro",
                        true,
                        false));
        TableResult result =
                env.createStatementSet()
                        .addInsertSql("INSERT INTO seed_avro SELECT * FROM orders_gen")
                        .addInsertSql("INSERT INTO seed_json SELECT * FROM orders_gen")
                        .addInsertSql("INSERT INTO seed_raw SELECT * FROM raw_gen")
                        .addInsertSql("INSERT INTO seed_registry_avro SELECT * FROM orders_gen")
                        .execute();
        result.await();
        for (String topic : List.of(avroTopic, jsonTopic, rawTopic, registryAvroTopic)) {
            long count = RawClientLoops.countCommitted(kafka.bootstrapServers(), topic);
            if (count != options.rows()) {
                throw new IllegalStateException(
                        "seeding wrote "
                                + count
                                + " records to "
                                + topic
                                + ", not "
                                + options.rows());
            }
        }
        System.out.printf(
                Locale.ROOT,
                "seeded 4 topics with %,d records each in %d ms%n",
                options.rows(),
                (System.nanoTime() - start) / 1_000_000);
    }

    private RawClientLoops.Timed read(ReadPath path, Side side, int p) throws Exception {
        TableEnvironment env = tableEnv(p, false);
        String counter = "read-" + jobs.incrementAndGet();
        env.executeSql(
                side == Side.OURS
                        ? oursSourceDdl(
                                path.columns(),
                                path.oursTopic(),
                                path.oursFormat(),
                                path.oursRegistry())
                        : peerSourceDdl(path.columns(), path.peerTopic(), path.peerFormat()));
        env.executeSql(
                "CREATE TEMPORARY TABLE sink ("
                        + path.columns()
                        + ") WITH ('connector' = '"
                        + CountingSinkFactory.IDENTIFIER
                        + "', 'counter' = '"
                        + counter
                        + "')");
        long millis = runJob(env, "INSERT INTO sink SELECT * FROM src");
        return new RawClientLoops.Timed(CountingSinkFactory.count(counter), millis);
    }

    private RawClientLoops.Timed write(WritePath path, Side side, int p) throws Exception {
        TableEnvironment env = tableEnv(p, true);
        String topic = topic(side == Side.OURS ? "ours" : "peer");
        env.executeSql(
                side == Side.OURS
                        ? oursSinkDdl(
                                "dst",
                                OrderRows.COLUMNS,
                                topic,
                                path.oursFormat(),
                                false,
                                path.exactlyOnce())
                        : peerSinkDdl(
                                "dst",
                                OrderRows.COLUMNS,
                                topic,
                                path.peerFormat(),
                                path.exactlyOnce()));
        long millis = runJob(env, "INSERT INTO dst SELECT * FROM orders_gen");
        // A commit returns before the broker has written its markers into the partitions (that
        // happens asynchronously), so a read_committed count right after the job may still miss
        // the last transaction: count until all rows are there, for at most 30 s.
        long committed = RawClientLoops.countCommitted(kafka.bootstrapServers(), topic);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (committed != options.rows() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            committed = RawClientLoops.countCommitted(kafka.bootstrapServers(), topic);
        }
        deleteTopic(topic);
        return new RawClientLoops.Timed(committed, millis);
    }

    /**
     * Deletes a topic once its rows are counted: a run at 1 000 000 rows writes about 8 GB, which
     * the broker's data directory (under {@code target/test-services}) would otherwise keep.
     */
    private void deleteTopic(String topic) throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                kafka.bootstrapServers()))) {
            admin.deleteTopics(List.of(topic)).all().get();
        }
    }

    /** Runs {@code insert} to its end; the job's net runtime in milliseconds. */
    private static long runJob(TableEnvironment env, String insert) throws Exception {
        TableResult result = env.executeSql(insert);
        result.await();
        JobExecutionResult job = result.getJobClient().orElseThrow().getJobExecutionResult().get();
        return job.getNetRuntime();
    }

    /**
     * A table environment of parallelism {@code p} with the {@code bench} connection profile and
     * the generator views; write jobs checkpoint at the options' interval (exactly-once commits at
     * checkpoints, both sides flush at them).
     */
    private TableEnvironment tableEnv(int p, boolean checkpoints) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("table.exec.resource.default-parallelism", String.valueOf(p));
        env.getConfig().set("parallelism.default", String.valueOf(p));
        env.getConfig().set("table.local-time-zone", "UTC");
        env.getConfig()
                .set(
                        "confluent.profiles." + PROFILE + ".bootstrap.servers",
                        kafka.bootstrapServers());
        env.getConfig()
                .set("confluent.profiles." + PROFILE + ".schema-registry.endpoint", registryUrl);
        if (checkpoints) {
            env.getConfig()
                    .set(
                            "execution.checkpointing.interval",
                            options.checkpointInterval().toMillis() + " ms");
            env.getConfig().set("execution.checkpointing.storage", "filesystem");
            env.getConfig().set("execution.checkpointing.dir", checkpointDir.toUri().toString());
        }
        for (String ddl : OrderRows.generatorDdl(options.rows())) {
            env.executeSql(ddl);
        }
        return env;
    }

    /** {@code , 'properties.k' = 'v'} for each client property of one side. */
    private static String clientProperties(Map<String, String> properties) {
        StringBuilder options = new StringBuilder();
        properties.forEach(
                (key, value) ->
                        options.append(", 'properties.")
                                .append(key)
                                .append("' = '")
                                .append(value)
                                .append("'"));
        return options.toString();
    }

    private String topic(String what) {
        String topic = "throughput-" + runId + "-" + what + "-" + jobs.incrementAndGet();
        kafka.createTopic(topic, 2);
        return topic;
    }

    private String oursSourceDdl(String columns, String topic, String format, boolean registry) {
        return "CREATE TEMPORARY TABLE src ("
                + columns
                + ") WITH ('connector' = 'confluent', 'connection_profile' = '"
                + PROFILE
                + "', 'topic' = '"
                + topic
                + "', 'format' = '"
                + format
                + "', 'schema_registry' = '"
                + registry
                + "', 'source.offset' = 'earliest', 'source.bounded' = 'latest',"
                + " 'source.commit_offsets' = 'false'"
                + clientProperties(options.oursProperties())
                + ")";
    }

    private String peerSourceDdl(String columns, String topic, String format) {
        return "CREATE TEMPORARY TABLE src ("
                + columns
                + ") WITH ('connector' = 'kafka', 'topic' = '"
                + topic
                + "', 'properties.bootstrap.servers' = '"
                + kafka.bootstrapServers()
                + "', 'properties.group.id' = 'throughput-peer-"
                + runId
                + "', 'format' = '"
                + format
                + "', 'scan.startup.mode' = 'earliest-offset',"
                + " 'scan.bounded.mode' = 'latest-offset'"
                + clientProperties(options.peerProperties())
                + ")";
    }

    private String oursSinkDdl(
            String table,
            String columns,
            String topic,
            String format,
            boolean registry,
            boolean exactlyOnce) {
        return "CREATE TEMPORARY TABLE "
                + table
                + " ("
                + columns
                + ") WITH ('connector' = 'confluent', 'connection_profile' = '"
                + PROFILE
                + "', 'type' = 'sink', 'topic' = '"
                + topic
                + "', 'format' = '"
                + format
                + "', 'schema_registry' = '"
                + registry
                + "', 'sink.commit_mode' = '"
                + (exactlyOnce ? "exactly_once" : "at_least_once")
                + "'"
                + clientProperties(options.oursProperties())
                + ")";
    }

    private String peerSinkDdl(
            String table, String columns, String topic, String format, boolean exactlyOnce) {
        return "CREATE TEMPORARY TABLE "
                + table
                + " ("
                + columns
                + ") WITH ('connector' = 'kafka', 'topic' = '"
                + topic
                + "', 'properties.bootstrap.servers' = '"
                + kafka.bootstrapServers()
                + "', 'format' = '"
                + format
                + "', 'sink.delivery-guarantee' = '"
                + (exactlyOnce ? "exactly-once" : "at-least-once")
                + "', 'sink.transactional-id-prefix' = '"
                + topic
                // the peer's default (1 h) is above the broker's maximum (15 min)
                + "', 'properties.transaction.timeout.ms' = '600000'"
                + clientProperties(options.peerProperties())
                + ")";
    }
}
