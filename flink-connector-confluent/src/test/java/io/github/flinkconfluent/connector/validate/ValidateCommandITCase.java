package io.github.flinkconfluent.connector.validate;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.FreePorts;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The validate command against the real broker and registry, step by step. */
@ExtendWith(ConfluentServicesExtension.class)
class ValidateCommandITCase {

    private static final Schema ORDER =
            SchemaBuilder.record("Order")
                    .fields()
                    .requiredInt("customer_id")
                    .requiredInt("order_id")
                    .endRecord();

    private record Result(int status, String output) {}

    private static Result validate(String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        String[] withCommand = new String[args.length + 1];
        withCommand[0] = "validate";
        System.arraycopy(args, 0, withCommand, 1, args.length);
        int status = Main.run(withCommand, out);
        return new Result(status, bytes.toString(StandardCharsets.UTF_8));
    }

    private static Path profiles(Path dir, String bootstrap, String registry) throws Exception {
        Path file = dir.resolve("profiles.yaml");
        Files.writeString(
                file,
                "profiles:\n  local:\n    bootstrap.servers: '"
                        + bootstrap
                        + "'\n    schema-registry.endpoint: '"
                        + registry
                        + "'\n");
        return file;
    }

    @Test
    void everyStepPassesAndTheSampleIsDecoded(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names, @TempDir Path dir)
            throws Exception {
        String topic = names.topic("orders");
        kafka.createTopic(topic, 2);
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(
                        SchemaRegistryClients.create(
                                SchemaRegistryConfig.builder(registry.url()).build()),
                        TestNames.valueSubject(topic),
                        ORDER,
                        true);
        GenericRecord order = new GenericData.Record(ORDER);
        order.put("customer_id", 7);
        order.put("order_id", 70);
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(topic, 1, null, serializer.serialize(order)));
        }
        Path file = profiles(dir, kafka.bootstrapServers(), registry.url());

        Result result =
                validate(
                        "--profile",
                        "local",
                        "--profiles-file",
                        file.toString(),
                        "--topic",
                        topic,
                        "--type",
                        "source",
                        "--format",
                        "avro");

        assertThat(result.status()).as(result.output()).isZero();
        assertThat(result.output())
                .contains("[ok] resolve profile")
                .contains("[ok] brokers reachable, credentials accepted: cluster ")
                .contains("[ok] topic exists: " + topic + ", 2 partitions")
                .contains("[ok] registry reachable, credentials accepted")
                .contains("[ok] subject found: " + topic + "-value, version 1")
                .contains(
                        "[ok] sample message decoded: partition 1, offset 0: {\"customer_id\": 7,"
                                + " \"order_id\": 70}")
                .contains("All checks passed.");
    }

    @Test
    void theFailedStepIsNamed(KafkaBroker kafka, ApicurioRegistry registry, @TempDir Path dir)
            throws Exception {
        Path file = profiles(dir, kafka.bootstrapServers(), registry.url());

        Result noTopic =
                validate(
                        "--profile",
                        "local",
                        "--profiles-file",
                        file.toString(),
                        "--topic",
                        "nope-x");
        assertThat(noTopic.status()).isEqualTo(1);
        assertThat(noTopic.output()).contains("[FAILED] topic exists: ");

        Result noProfile = validate("--profile", "other", "--profiles-file", file.toString());
        assertThat(noProfile.status()).isEqualTo(1);
        assertThat(noProfile.output()).contains("[FAILED] resolve profile: ").contains("'other'");

        Path deadRegistry =
                profiles(
                        Files.createDirectories(dir.resolve("dead")),
                        kafka.bootstrapServers(),
                        "http://127.0.0.1:" + FreePorts.pick() + "/apis/ccompat/v7");
        Result registryDown =
                validate("--profile", "local", "--profiles-file", deadRegistry.toString());
        assertThat(registryDown.status()).isEqualTo(1);
        assertThat(registryDown.output())
                .contains("[ok] brokers reachable")
                .contains("[FAILED] registry reachable, credentials accepted: ");

        assertThat(validate("--topic", "x").status()).isEqualTo(2);
    }
}
