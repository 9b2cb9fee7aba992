package io.github.flinkconfluent.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the shared test services are real: records and transactions go through the broker, and
 * schemas through the registry's Confluent-compatible REST API, including across a crash.
 */
@ExtendWith(ConfluentServicesExtension.class)
class TestServicesSmokeITCase {

    private static final String AVRO_SCHEMA =
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"smoke\",\"fields\":"
                    + "[{\"name\":\"customer_id\",\"type\":\"int\"},"
                    + "{\"name\":\"order_id\",\"type\":\"int\"}]}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void producedRecordsAreConsumed(KafkaBroker kafka, TestNames names) {
        String topic = names.topic("plain");
        kafka.createTopic(topic, 2);

        try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, "k" + i, "v" + i));
            }
        }

        assertThat(readAll(kafka, topic, 2, "read_uncommitted"))
                .containsExactlyInAnyOrder(
                        "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9");
    }

    @Test
    void readCommittedSeesOnlyCommittedTransactions(KafkaBroker kafka, TestNames names) {
        String topic = names.topic("tx");
        kafka.createTopic(topic, 1);

        try (KafkaProducer<String, String> producer =
                producer(kafka, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-tx"))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "committed-1"));
            producer.send(new ProducerRecord<>(topic, "committed-2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "aborted-1"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "committed-3"));
            producer.commitTransaction();
        }

        assertThat(readAll(kafka, topic, 1, "read_committed"))
                .containsExactly("committed-1", "committed-2", "committed-3");
        assertThat(readAll(kafka, topic, 1, "read_uncommitted"))
                .containsExactly("committed-1", "committed-2", "aborted-1", "committed-3");
    }

    @Test
    void committedDataSurvivesABrokerKill(KafkaBroker kafka, TestNames names) {
        String topic = names.topic("crash");
        kafka.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
            producer.send(new ProducerRecord<>(topic, "before-crash"));
        }
        long pidBefore = kafka.pid();

        kafka.kill();
        assertThat(ProcessHandle.of(pidBefore).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        kafka.start();

        try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
            producer.send(new ProducerRecord<>(topic, "after-restart"));
        }
        assertThat(kafka.pid()).isNotEqualTo(pidBefore);
        assertThat(readAll(kafka, topic, 1, "read_committed"))
                .containsExactly("before-crash", "after-restart");
    }

    @Test
    void avroSchemaIsRegisteredAndFetchedById(ApicurioRegistry registry, TestNames names)
            throws Exception {
        String subject = TestNames.valueSubject(names.topic("orders"));

        HttpResponse<String> registered =
                post(
                        registry.url() + "/subjects/" + subject + "/versions",
                        "{\"schema\":" + jsonString(AVRO_SCHEMA) + "}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
        int id = intField(registered.body(), "id");

        HttpResponse<String> byId = get(registry.url() + "/schemas/ids/" + id);
        assertThat(byId.statusCode()).isEqualTo(200);
        assertThat(byId.body()).contains("\\\"name\\\":\\\"Order\\\"");

        HttpResponse<String> latest =
                get(registry.url() + "/subjects/" + subject + "/versions/latest");
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(intField(latest.body(), "id")).isEqualTo(id);
        assertThat(intField(latest.body(), "version")).isEqualTo(1);

        HttpResponse<String> unknown =
                get(registry.url() + "/subjects/" + subject + "-nope/versions");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("40401");
    }

    @Test
    void registryKeepsSchemasAcrossARestart(ApicurioRegistry registry, TestNames names)
            throws Exception {
        String subject = TestNames.valueSubject(names.topic("restart"));
        HttpResponse<String> registered =
                post(
                        registry.url() + "/subjects/" + subject + "/versions",
                        "{\"schema\":" + jsonString(AVRO_SCHEMA) + "}");
        int id = intField(registered.body(), "id");

        registry.kill();
        registry.start();

        HttpResponse<String> byId = get(registry.url() + "/schemas/ids/" + id);
        assertThat(byId.statusCode()).as(byId.body()).isEqualTo(200);
        assertThat(get(registry.url() + "/subjects").body()).contains(subject);
    }

    private static KafkaProducer<String, String> producer(
            KafkaBroker kafka, Map<String, Object> extra) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.putAll(extra);
        return new KafkaProducer<>(config);
    }

    /**
     * Every value of {@code topic} with {@code isolation}, from the start of each partition to its
     * end as of now (the last stable offset for {@code read_committed}): reading to a known offset,
     * not for a while, so a record that should not be there always shows.
     */
    private static List<String> readAll(
            KafkaBroker kafka, String topic, int partitions, String isolation) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> assignment = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                assignment.add(new TopicPartition(topic, p));
            }
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            Map<TopicPartition, Long> end = consumer.endOffsets(assignment);
            Poll.until(
                    topic + " read to its end " + end,
                    Duration.ofSeconds(120),
                    () -> {
                        for (ConsumerRecord<String, String> record :
                                consumer.poll(Duration.ofMillis(200))) {
                            values.add(record.value());
                        }
                        return assignment.stream()
                                .allMatch(p -> consumer.position(p) >= end.get(p));
                    },
                    () -> "read so far: " + values);
        }
        return values;
    }

    private HttpResponse<String> post(String url, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int intField(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\"\\s*:\\s*(\\d+)").matcher(json);
        assertThat(matcher.find()).as("field %s in %s", field, json).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static String jsonString(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
