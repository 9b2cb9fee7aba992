package io.github.flinkconfluent.connector.validate;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.avro.AvroRegistryDeserializer;
import io.github.flinkconfluent.connector.format.json.JsonRegistryDeserializer;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRegistryDeserializer;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.registry.RegisteredSchema;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.connector.util.ConnectorClassLoader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A "Validate" / "Test Connection" button as a command: checks a connection profile step by step
 * before a job is deployed and says which step failed.
 *
 * <pre>
 * validate --profile NAME [--profiles-file F] [--config-dir DIR]
 *          [--topic T [--type source|sink] [--format avro|json|raw_string|raw_bytes]]
 * </pre>
 *
 * <p>Steps: profile resolved; brokers reachable and the credentials accepted; the topic exists; the
 * registry reachable and its credentials accepted; the value subject found; for a source, one
 * recent message read (waiting at most 30 s) and decoded with the format. Exit status 0 when all
 * pass, 2 for usage errors, 1 naming the failed step otherwise. Secrets are never printed.
 */
@Internal
public final class ValidateCommand {

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SAMPLE_TIMEOUT = Duration.ofSeconds(30);

    private final PrintStream out;

    public ValidateCommand(PrintStream out) {
        this.out = out;
    }

    /** A failed step: its message is printed after the step's name. */
    private static final class StepFailed extends Exception {
        private static final long serialVersionUID = 1L;

        StepFailed(String message) {
            super(message);
        }
    }

    public int run(String[] args) {
        // Clients made here resolve classes through the context loader; it must see this jar.
        return ConnectorClassLoader.call(() -> runChecks(args));
    }

    private int runChecks(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                return usage("unexpected argument '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        for (String key : options.keySet()) {
            if (!List.of("profile", "profiles-file", "config-dir", "topic", "type", "format")
                    .contains(key)) {
                return usage("unknown option --" + key);
            }
        }
        if (!options.containsKey("profile")) {
            return usage("--profile is required");
        }
        String step = "resolve profile";
        SchemaRegistryClient registry = null;
        try {
            ConnectionProfile profile = resolve(options);
            ok(step, profile.describe());

            step = "brokers reachable, credentials accepted";
            try (Admin admin =
                    Admin.create(new HashMap<String, Object>(profile.kafkaProperties()))) {
                ok(step, brokers(admin));
                String topic = options.get("topic");
                if (topic != null) {
                    step = "topic exists";
                    ok(step, topic(admin, topic));
                }
            }
            Optional<SchemaRegistryConfig> registryConfig = profile.schemaRegistry();
            if (registryConfig.isPresent()) {
                step = "registry reachable, credentials accepted";
                registry = SchemaRegistryClients.create(registryConfig.get());
                ok(
                        step,
                        registryConfig.get().urls()
                                + ": "
                                + registry.getSubjects().size()
                                + " subjects");
            } else {
                skip("registry", "the profile has no schema-registry.endpoint");
            }
            String topic = options.get("topic");
            DataFormat format = format(options.get("format"));
            boolean structured =
                    format == DataFormat.AVRO
                            || format == DataFormat.JSON
                            || format == DataFormat.PROTOBUF;
            if (topic != null && registry != null && structured) {
                step = "subject found";
                RegisteredSchema latest = registry.getLatest(topic + "-value");
                ok(
                        step,
                        topic
                                + "-value, version "
                                + latest.version()
                                + ", id "
                                + latest.id()
                                + ", "
                                + latest.definition().type());
            }
            if (topic != null && !"sink".equals(options.get("type"))) {
                step = "sample message decoded";
                ok(step, sample(profile, topic, format, registry));
            }
            out.println("All checks passed.");
            return 0;
        } catch (Exception e) {
            out.println("[FAILED] " + step + ": " + message(e));
            return 1;
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
    }

    private ConnectionProfile resolve(Map<String, String> options) {
        Configuration config =
                options.containsKey("config-dir")
                        ? GlobalConfiguration.loadConfiguration(options.get("config-dir"))
                        : Optional.ofNullable(System.getenv("FLINK_CONF_DIR"))
                                .map(GlobalConfiguration::loadConfiguration)
                                .orElseGet(Configuration::new);
        if (options.containsKey("profiles-file")) {
            config.set(ConnectionProfiles.PROFILES_FILE, options.get("profiles-file"));
        }
        return ConnectionProfiles.resolve(options.get("profile"), config, Map.of());
    }

    private static String brokers(Admin admin) throws Exception {
        var cluster = admin.describeCluster();
        int nodes = cluster.nodes().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).size();
        return "cluster "
                + cluster.clusterId().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                + ", "
                + nodes
                + (nodes == 1 ? " broker" : " brokers");
    }

    private static String topic(Admin admin, String topic) throws Exception {
        TopicDescription description =
                admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                        .get(topic);
        return topic + ", " + description.partitions().size() + " partitions";
    }

    private static DataFormat format(String name) throws StepFailed {
        if (name == null) {
            return DataFormat.RAW_BYTES;
        }
        for (DataFormat format : DataFormat.values()) {
            if (format.toString().equals(name)) {
                return format;
            }
        }
        throw new StepFailed(
                "unknown --format '"
                        + name
                        + "'; use avro, json, protobuf, raw_string or raw_bytes");
    }

    /** Reads the newest message of any partition and decodes it with {@code format}. */
    private static String sample(
            ConnectionProfile profile,
            String topic,
            DataFormat format,
            SchemaRegistryClient registry)
            throws Exception {
        Map<String, Object> config = new HashMap<>(profile.kafkaProperties());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic, STEP_TIMEOUT)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, STEP_TIMEOUT);
            if (end.values().stream().allMatch(offset -> offset == 0)) {
                return "no message to check: the topic is empty";
            }
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(0, end.get(partition) - 1));
            }
            long deadline = System.nanoTime() + SAMPLE_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        return "partition "
                                + record.partition()
                                + ", offset "
                                + record.offset()
                                + ": "
                                + abbreviate(decode(record.value(), format, registry));
                    }
                }
            }
            throw new StepFailed("no message arrived within " + SAMPLE_TIMEOUT.toSeconds() + " s");
        }
    }

    private static String decode(byte[] value, DataFormat format, SchemaRegistryClient registry)
            throws Exception {
        switch (format) {
            case AVRO:
                if (registry == null) {
                    return value.length + " bytes (bare Avro cannot be checked without a schema)";
                }
                return String.valueOf(
                        new AvroRegistryDeserializer(registry, null).deserialize(value));
            case JSON:
                return registry == null
                        ? new org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind
                                        .ObjectMapper()
                                .readTree(value)
                                .toString()
                        : new JsonRegistryDeserializer(registry, true)
                                .deserialize(value)
                                .toString();
            case PROTOBUF:
                return registry == null
                        ? value.length + " bytes (Protobuf cannot be checked without a registry)"
                        : new ProtobufRegistryDeserializer(registry)
                                .deserialize(value)
                                .toString()
                                .replace('\n', ' ')
                                .trim();
            case RAW_STRING:
                return new String(value, StandardCharsets.UTF_8);
            default:
                return value.length + " bytes";
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static String message(Throwable e) {
        Throwable cause =
                e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return (message == null ? cause.getClass().getSimpleName() : message)
                + (cause instanceof java.util.concurrent.TimeoutException
                        ? " (no answer within " + STEP_TIMEOUT.toSeconds() + " s)"
                        : "");
    }

    private void ok(String step, String detail) {
        out.println("[ok] " + step + ": " + detail);
    }

    private void skip(String step, String reason) {
        out.println("[skipped] " + step + ": " + reason);
    }

    private int usage(String problem) {
        out.println("validate: " + problem);
        out.println(
                "usage: validate --profile NAME [--profiles-file FILE] [--config-dir"
                        + " FLINK_CONF_DIR] [--topic TOPIC [--type source|sink] [--format"
                        + " avro|json|raw_string|raw_bytes]]");
        return 2;
    }
}
