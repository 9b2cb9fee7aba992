package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.options.BadDataPolicy;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.connector.source.reader.DeadLetterWriter;
import io.github.flinkconfluent.connector.testing.JobWatch;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Sends;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ExceptionUtils;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code bad_data = 'dlq'} on a real broker: what arrives, when, and a write that fails. */
@ExtendWith(ConfluentServicesExtension.class)
class ConfluentSourceDeadLetterITCase {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static final long BAD_TIMESTAMP = 1_700_000_000_123L;

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static ConnectionProfile profile(KafkaBroker kafka, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(extra);
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        return ConnectionProfiles.resolve(null, new Configuration(), settings);
    }

    private static ConfluentSource.Builder<String> source(
            ConnectionProfile profile, String topic, String deadLetterTopic) {
        return ConfluentSource.<String>builder()
                .setConnectionProfile(profile)
                .setTopic(topic)
                .setStartingOffset(OffsetMode.EARLIEST)
                .setBadDataPolicy(BadDataPolicy.DLQ)
                .setBadDataTopic(deadLetterTopic)
                .setDeserializer(new RejectBad());
    }

    /** good-1, then "BAD" with key, headers and timestamp, then good-2, on partition 0. */
    private static void produceGoodBadGood(KafkaBroker kafka, String topic) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", utf8("t-42"));
        headers.add("trace", utf8("t-43"));
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            sends.add(producer.send(new ProducerRecord<>(topic, 0, null, utf8("good-1"))));
            sends.add(
                    producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    0,
                                    BAD_TIMESTAMP,
                                    utf8("key-of-bad"),
                                    utf8("BAD"),
                                    headers)));
            sends.add(producer.send(new ProducerRecord<>(topic, 0, null, utf8("good-2"))));
            Sends.confirm(sends);
        }
    }

    @Test
    void badRecordsArriveInTheDeadLetterTopicAsTheyWereWithTheirProvenance(
            KafkaBroker kafka, TestNames names) throws Exception {
        String topic = names.topic("dlq-src");
        String deadLetters = names.topic("dlq");
        kafka.createTopic(topic, 1);
        kafka.createTopic(deadLetters, 1);
        produceGoodBadGood(kafka, topic);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        List<String> out = new ArrayList<>();
        JobID id;
        try (CloseableIterator<String> it =
                env.fromSource(
                                source(profile(kafka, Map.of()), topic, deadLetters)
                                        .setBounded(true)
                                        .build(),
                                WatermarkStrategy.noWatermarks(),
                                "source")
                        .collectAsync()) {
            JobClient job = env.executeAsync();
            id = job.getJobID();
            it.forEachRemaining(out::add);
            job.getJobExecutionResult().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

        assertThat(out).containsExactly("good-1", "good-2");
        List<ConsumerRecord<byte[], byte[]>> letters = kafka.readCommitted(deadLetters);
        assertThat(letters).hasSize(1);
        ConsumerRecord<byte[], byte[]> letter = letters.get(0);
        assertThat(text(letter.key())).isEqualTo("key-of-bad");
        assertThat(text(letter.value())).isEqualTo("BAD");
        assertThat(letter.timestamp()).isEqualTo(BAD_TIMESTAMP);
        List<String> traces = new ArrayList<>();
        letter.headers().headers("trace").forEach(h -> traces.add(text(h.value())));
        assertThat(traces).containsExactly("t-42", "t-43");
        assertThat(header(letter, DeadLetterWriter.SOURCE_TOPIC)).isEqualTo(topic);
        assertThat(header(letter, DeadLetterWriter.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(letter, DeadLetterWriter.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(header(letter, DeadLetterWriter.SCHEMA_ID)).isEqualTo("7");
        assertThat(header(letter, DeadLetterWriter.ERROR_KIND)).isEqualTo("MALFORMED_BODY");
        assertThat(header(letter, DeadLetterWriter.ERROR_MESSAGE))
                .isEqualTo("MALFORMED_BODY (schema id 7): test says bad");
        assertThat(counter(id, "badRecordsRouted", false)).isEqualTo(1);
        assertThat(counter(id, "reason.MALFORMED_BODY.badRecordsRouted", true)).isEqualTo(1);
        assertThat(counter(id, "numRecordsInErrors", false)).isEqualTo(1);
        assertThat(counter(id, "badRecordsDropped", false)).isZero();
    }

    /**
     * The producer here would hold the dead letter for ten minutes ({@code linger.ms}); only the
     * flush before the checkpoint's state is taken sends it, so it arrives while the job runs.
     */
    @Test
    void aCheckpointFlushesTheDeadLetters(KafkaBroker kafka, TestNames names) throws Exception {
        String topic = names.topic("dlq-cp-src");
        String deadLetters = names.topic("dlq-cp");
        kafka.createTopic(topic, 1);
        kafka.createTopic(deadLetters, 1);
        produceGoodBadGood(kafka, topic);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.enableCheckpointing(200);
        env.fromSource(
                        source(
                                        profile(
                                                kafka,
                                                Map.of(
                                                        "properties.linger.ms", "600000",
                                                        "properties.delivery.timeout.ms",
                                                                "2147483647",
                                                        "properties.request.timeout.ms", "30000")),
                                        topic,
                                        deadLetters)
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync();
        try {
            List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
            JobWatch.until(
                    job,
                    "the dead letter in " + deadLetters,
                    JOB_TIMEOUT,
                    () -> {
                        letters.clear();
                        letters.addAll(kafka.readCommitted(deadLetters));
                        return !letters.isEmpty();
                    },
                    () -> letters.toString());
            assertThat(letters).hasSize(1);
            assertThat(header(letters.get(0), DeadLetterWriter.SOURCE_OFFSET)).isEqualTo("1");
        } finally {
            job.cancel().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * The test broker does not create topics on demand, so a dead-letter topic that does not exist
     * cannot be written: the job fails naming it and the record, instead of going on without it.
     */
    @Test
    void aDeadLetterTopicThatCannotBeWrittenFailsTheJob(KafkaBroker kafka, TestNames names) {
        String topic = names.topic("dlq-fail-src");
        String missing = names.topic("dlq-missing");
        kafka.createTopic(topic, 1);
        produceGoodBadGood(kafka, topic);

        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(1);
        env.fromSource(
                        source(
                                        profile(kafka, Map.of("properties.max.block.ms", "3000")),
                                        topic,
                                        missing)
                                .setBounded(true)
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .sinkTo(new DiscardingSink<>());

        assertThatThrownBy(env::execute)
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowableWithMessage(
                                                        e, "dead-letter topic '" + missing + "'"))
                                        .hasValueSatisfying(
                                                cause ->
                                                        assertThat(cause)
                                                                .hasMessageContaining(
                                                                        "topic '"
                                                                                + topic
                                                                                + "', partition 0,"
                                                                                + " offset 1")
                                                                .hasMessageContaining(
                                                                        "rather than lose")));
    }

    private static long counter(JobID id, String name, boolean withReason) {
        long total = 0;
        for (Map.Entry<String, Metric> e :
                REPORTER.findMetrics(id, ".*\\." + name.replace(".", "\\.")).entrySet()) {
            if (!withReason && e.getKey().contains(".reason.")) {
                continue;
            }
            if (e.getValue() instanceof Counter counter) {
                total += counter.getCount();
            }
        }
        return total;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : text(header.value());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Values "BAD" are undecodable, as if their header named schema 7. */
    private static final class RejectBad implements ConfluentRecordDeserializer<String> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out)
                throws WireFormatException {
            String value = text(record.value());
            if (value.equals("BAD")) {
                throw new WireFormatException(
                        WireFormatException.Reason.MALFORMED_BODY, 7, "test says bad");
            }
            out.collect(value);
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
