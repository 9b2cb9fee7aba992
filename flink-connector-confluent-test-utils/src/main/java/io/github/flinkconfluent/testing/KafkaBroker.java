package io.github.flinkconfluent.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) in its own JVM, started
 * from the {@code kafka_2.13} jars that the build resolved.
 *
 * <p>Ports and data directory are fixed for the life of this object, so after {@link #kill()} and
 * {@link #start()} clients reconnect to the same address and find the same topics, offsets and
 * transaction state: exactly what crash-recovery tests need. Broker settings follow the broker's
 * defaults except where a single node needs otherwise (replication factor 1); extra settings can be
 * passed to the constructor.
 *
 * <p>By default the broker has one plaintext listener. Given {@link SecuredListeners}, it opens
 * secured listeners as well (SASL_SSL with PLAIN, SCRAM-SHA-512 or OAUTHBEARER, SSL with client
 * certificates), each on a port of its own: {@link #bootstrapServers(SecuredListeners.Listener)}.
 * The plaintext listener stays for the test's own setup and checks.
 */
public final class KafkaBroker extends ServiceProcess {

    private static final String STARTED_MARKER = "Kafka Server started";

    private final int brokerPort = FreePorts.pick();
    private final int controllerPort = FreePorts.pick();
    private final Map<String, String> overrides;
    private final SecuredListeners secured;

    /** The node this one joins as a broker only; {@code null} for a combined broker-controller. */
    private final KafkaBroker quorum;

    private final int nodeId;
    private String clusterId;
    private final Map<SecuredListeners.Listener, Integer> securedPorts =
            new EnumMap<>(SecuredListeners.Listener.class);

    public KafkaBroker() {
        this(Map.of());
    }

    /** A broker whose {@code server.properties} carry {@code overrides} on top of the defaults. */
    public KafkaBroker(Map<String, String> overrides) {
        this(overrides, null);
    }

    /**
     * A broker with the {@code secured} listeners next to its plaintext one, and {@code overrides}
     * on top of the defaults.
     */
    public KafkaBroker(Map<String, String> overrides, SecuredListeners secured) {
        super("kafka");
        this.overrides = new LinkedHashMap<>(overrides);
        this.secured = secured;
        this.quorum = null;
        this.nodeId = 1;
        if (secured != null) {
            for (SecuredListeners.Listener listener : secured.listeners()) {
                securedPorts.put(listener, FreePorts.pick());
            }
        }
    }

    /**
     * A second broker, node {@code nodeId}, that joins the cluster of {@code controller} (started
     * first, a combined broker-controller): for tests that need a partition on another broker than
     * the coordinators, e.g. one whose only replica can be stopped.
     */
    public KafkaBroker(KafkaBroker controller, int nodeId, Map<String, String> overrides) {
        super("kafka-" + nodeId);
        if (controller.quorum != null || controller.clusterId == null) {
            throw new IllegalArgumentException(
                    "Join a started combined broker-controller, not " + controller.name());
        }
        this.overrides = new LinkedHashMap<>(overrides);
        this.secured = null;
        this.quorum = controller;
        this.nodeId = nodeId;
    }

    /** The broker's node id (1 for a combined broker-controller). */
    public int nodeId() {
        return nodeId;
    }

    /**
     * {@code 127.0.0.1:<port>} of the plaintext listener, the value for {@code bootstrap.servers}.
     */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** {@code 127.0.0.1:<port>} of a secured listener. */
    public String bootstrapServers(SecuredListeners.Listener listener) {
        Integer port = securedPorts.get(listener);
        if (port == null) {
            throw new IllegalStateException("This broker has no " + listener + " listener");
        }
        return "127.0.0.1:" + port;
    }

    /**
     * Client settings that reach and authenticate on a secured listener with the credentials the
     * listener was made with; add your own on top.
     */
    public Map<String, Object> clientProperties(SecuredListeners.Listener listener) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(listener));
        properties.putAll(secured.clientProperties(listener));
        return properties;
    }

    /** Client settings that reach this broker; add your own on top. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    /**
     * Every record of {@code topic} that a {@code read_committed} consumer sees, from the start of
     * each partition to its end as of now (its last stable offset): what exactly-once tests compare
     * with their input. Fails when the end is not reached within two minutes.
     */
    public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic) {
        Map<String, Object> config = clientProperties();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Could not read "
                                    + topic
                                    + " to its end "
                                    + end
                                    + " within two minutes");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The values of {@link #readCommitted}, as UTF-8 text. */
    public List<String> readCommittedValues(String topic) {
        return readCommitted(topic).stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions and waits until the broker serves
     * every one of them.
     *
     * <p>"Created" is not "ready": the broker's metadata names it leader of a new partition a
     * moment before it has created the partition's log. A producer that writes in that moment gets
     * its first batch for the partition refused ({@code NOT_LEADER_OR_FOLLOWER}) while its next
     * batches, sent after the log exists, are appended; the retried first batch is then out of
     * sequence for ever and fails after {@code delivery.timeout.ms}. Seen in a test that wrote 1000
     * records and found 904 in the topic (96 lost from partition 1). Waiting until each partition
     * answers a {@code ListOffsets} request, which only the partition's log can answer, closes that
     * window.
     */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = Admin.create(clientProperties())) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> all = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                all.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            // Until the broker knows the topic, the admin client fails the request at once
            // (UNKNOWN_TOPIC_OR_PARTITION) rather than retrying it: ask again until it answers.
            Poll.until(
                    "every partition of topic " + topic + " to answer",
                    Duration.ofSeconds(60),
                    () -> answers(admin, all));
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create topic " + topic, e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topic " + topic, e);
        }
    }

    private static boolean answers(Admin admin, Map<TopicPartition, OffsetSpec> partitions) {
        try {
            admin.listOffsets(partitions).all().get(30, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RetriableException) {
                return false; // not there yet: unknown topic, no leader, not the leader yet
            }
            throw new IllegalStateException(
                    "Could not list offsets of " + partitions, e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException("Could not list offsets of " + partitions, e);
        }
    }

    @Override
    protected void prepare() throws IOException {
        Path config = directory().resolve("server.properties");
        Files.writeString(config, serverProperties(), StandardCharsets.UTF_8);
        Files.writeString(
                directory().resolve("log4j2.properties"),
                log4jProperties(),
                StandardCharsets.UTF_8);
        // StorageTool wants a cluster id in Kafka's own base64 UUID form; a joining broker takes
        // its cluster's.
        if (clusterId == null) {
            clusterId = quorum != null ? quorum.clusterId : Uuid.randomUuid().toString();
        }
        List<String> format =
                new ArrayList<>(
                        List.of(
                                "kafka.tools.StorageTool",
                                "format",
                                "-t",
                                clusterId,
                                "-c",
                                config.toString()));
        if (secured != null) {
            // SCRAM users live in the metadata log; a new cluster gets them at format time.
            format.addAll(secured.storageFormatArguments());
        }
        runToCompletion(format);
    }

    @Override
    protected List<String> command() {
        return javaCommand(
                TestServicesConfig.currentJavaHome(),
                jvmArgs(),
                TestServicesConfig.kafkaBrokerClasspath(),
                List.of("kafka.Kafka", directory().resolve("server.properties").toString()));
    }

    @Override
    protected boolean isReady(long logOffset) {
        return logContainsSince(logOffset, STARTED_MARKER);
    }

    private List<String> jvmArgs() {
        List<String> args = new ArrayList<>();
        args.add("-Xmx512m");
        args.add("-Xms128m");
        args.add("-XX:+UseSerialGC");
        args.add("-Djava.awt.headless=true");
        args.add("-Dlog4j2.configurationFile=" + directory().resolve("log4j2.properties").toUri());
        if (secured != null) {
            args.addAll(secured.jvmArguments());
        }
        return args;
    }

    private void runToCompletion(List<String> mainAndArgs) throws IOException {
        Path log = directory().resolve("storage-format.log");
        Process process =
                new ProcessBuilder(
                                javaCommand(
                                        TestServicesConfig.currentJavaHome(),
                                        jvmArgs(),
                                        TestServicesConfig.kafkaBrokerClasspath(),
                                        mainAndArgs))
                        .directory(directory().toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("Formatting Kafka storage timed out; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("Interrupted while formatting Kafka storage", e);
        }
        if (process.exitValue() != 0) {
            throw new IOException(
                    "Formatting Kafka storage failed with status "
                            + process.exitValue()
                            + ":\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    private String serverProperties() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("process.roles", quorum == null ? "broker,controller" : "broker");
        settings.put("node.id", Integer.toString(nodeId));
        settings.put(
                "controller.quorum.voters",
                "1@127.0.0.1:" + (quorum == null ? controllerPort : quorum.controllerPort));
        StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:").append(brokerPort);
        if (quorum == null) {
            listeners.append(",CONTROLLER://127.0.0.1:").append(controllerPort);
        }
        StringBuilder advertised = new StringBuilder("PLAINTEXT://127.0.0.1:").append(brokerPort);
        StringBuilder protocols = new StringBuilder("CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        securedPorts.forEach(
                (listener, port) -> {
                    String address = "," + listener.name() + "://127.0.0.1:" + port;
                    listeners.append(address);
                    advertised.append(address);
                    protocols
                            .append(',')
                            .append(listener.name())
                            .append(':')
                            .append(
                                    listener == SecuredListeners.Listener.MTLS
                                            ? "SSL"
                                            : "SASL_SSL");
                });
        settings.put("listeners", listeners.toString());
        settings.put("advertised.listeners", advertised.toString());
        settings.put("controller.listener.names", "CONTROLLER");
        settings.put("inter.broker.listener.name", "PLAINTEXT");
        settings.put("listener.security.protocol.map", protocols.toString());
        if (secured != null) {
            settings.putAll(secured.serverProperties());
        }
        settings.put("log.dirs", directory().resolve("data").toString());
        settings.put("num.partitions", "1");
        // Confluent Cloud does not create topics on first use; neither does this broker.
        settings.put("auto.create.topics.enable", "false");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "5");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "5");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.putAll(overrides);
        return settings.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("\n"))
                + "\n";
    }

    private static String log4jProperties() {
        return String.join(
                "\n",
                "status = warn",
                "appender.out.type = Console",
                "appender.out.name = OUT",
                "appender.out.layout.type = PatternLayout",
                "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.out.ref = OUT",
                "logger.controller.name = org.apache.kafka.controller",
                "logger.controller.level = WARN",
                "logger.raft.name = org.apache.kafka.raft",
                "logger.raft.level = WARN",
                "logger.cleaner.name = kafka.log.LogCleaner",
                "logger.cleaner.level = WARN",
                "");
    }
}
