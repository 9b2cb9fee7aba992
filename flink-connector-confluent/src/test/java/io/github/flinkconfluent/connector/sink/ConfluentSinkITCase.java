package io.github.flinkconfluent.connector.sink;

import io.github.flinkconfluent.connector.options.CommitMode;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.connector.record.ConfluentRecordSerializer;
import io.github.flinkconfluent.connector.sink.FailureInjectingSink.Point;
import io.github.flinkconfluent.connector.sink.internal.TransactionalProducer;
import io.github.flinkconfluent.connector.source.ConfluentSource;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.Sends;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sink on a real broker and Flink's MiniCluster: exactly-once with failures injected at each
 * point of the two-phase commit and restores at lower and higher parallelism, proven by a {@code
 * read_committed} drain that must equal the input exactly.
 */
@ExtendWith(ConfluentServicesExtension.class)
class ConfluentSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    static ConnectionProfile profile(KafkaBroker kafka) {
        return ConnectionProfiles.resolve(
                null, new Configuration(), Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    static List<String> produce(KafkaBroker kafka, String topic, int from, int count) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        List<String> values = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = from; i < from + count; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, "v" + i)));
                values.add("v" + i);
            }
            Sends.confirm(sends);
        }
        return values;
    }

    private static StreamExecutionEnvironment environment(String savepoint) {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        if (savepoint != null) {
            config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.enableCheckpointing(300);
        return env;
    }

    private static JobClient start(
            KafkaBroker kafka,
            String input,
            String output,
            int parallelism,
            String savepoint,
            CommitMode mode)
            throws Exception {
        StreamExecutionEnvironment env = environment(savepoint);
        env.setParallelism(parallelism);
        env.fromSource(
                        ConfluentSource.<String>builder()
                                .setConnectionProfile(profile(kafka))
                                .setTopic(input)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setDeserializer(
                                        ConfluentRecordDeserializer.valueOnly(
                                                new SimpleStringSchema()))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .uid("source")
                .sinkTo(
                        new FailureInjectingSink<>(
                                ConfluentSink.<String>builder()
                                        .setConnectionProfile(profile(kafka))
                                        .setTopic(output)
                                        .setCommitMode(mode)
                                        .setRecordSerializer(
                                                ConfluentRecordSerializer.valueOnly(
                                                        new SimpleStringSchema()))
                                        .build()))
                .uid("sink");
        return env.executeAsync();
    }

    private static String stopWithSavepoint(JobClient job, Path dir) throws Exception {
        return job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                .get(120, TimeUnit.SECONDS);
    }

    static void awaitCommitted(KafkaBroker kafka, String output, int count) {
        Poll.until(
                count + " committed records in " + output,
                Duration.ofSeconds(120),
                () -> kafka.readCommittedValues(output).size() >= count,
                () -> "seen " + kafka.readCommittedValues(output).size());
    }

    static void assertExactly(List<String> seen, List<String> produced) {
        List<String> duplicates = new ArrayList<>();
        HashSet<String> unique = new HashSet<>();
        for (String value : seen) {
            if (!unique.add(value)) {
                duplicates.add(value);
            }
        }
        assertThat(duplicates).as("duplicates").isEmpty();
        assertThat(unique).as("exactly the input").containsExactlyInAnyOrderElementsOf(produced);
    }

    @ParameterizedTest(name = "{0}, then restored at parallelism {1}")
    @CsvSource({
        "WHILE_WRITING, 1",
        "WHILE_WRITING, 3",
        "AFTER_PRE_COMMIT, 1",
        "AFTER_PRE_COMMIT, 3",
        "BEFORE_COMMIT, 1",
        "BEFORE_COMMIT, 3"
    })
    void exactlyOnceAcrossAFailureAndARescale(
            Point point, int restoredParallelism, @TempDir Path savepoints) throws Exception {
        KafkaBroker kafka = io.github.flinkconfluent.testing.ConfluentTestServices.kafka();
        TestNames names = new TestNames("sink-eo-" + point + "-" + restoredParallelism);
        String input = names.topic("in");
        String output = names.topic("out");
        kafka.createTopic(input, 4);
        kafka.createTopic(output, 3);
        List<String> produced = new ArrayList<>();
        FailureInjectingSink.FAILURES.set(0);

        String savepoint =
                runWithFailure(kafka, input, output, 2, null, point, produced, savepoints);
        assertThat(FailureInjectingSink.FAILURES.get()).as("a failure was injected").isEqualTo(1);
        assertExactly(kafka.readCommittedValues(output), produced);

        runWithFailure(
                kafka, input, output, restoredParallelism, savepoint, point, produced, savepoints);
        assertThat(FailureInjectingSink.FAILURES.get()).as("failures injected").isEqualTo(2);
        assertExactly(kafka.readCommittedValues(output), produced);
    }

    /**
     * Runs the job until two batches of input are committed, the second written after a first
     * commit (so that the armed failure strikes mid-stream), then stops it with a savepoint.
     */
    private static String runWithFailure(
            KafkaBroker kafka,
            String input,
            String output,
            int parallelism,
            String savepoint,
            Point point,
            List<String> produced,
            Path savepoints)
            throws Exception {
        produced.addAll(produce(kafka, input, produced.size(), 1000));
        FailureInjectingSink.arm(point);
        JobClient job =
                start(kafka, input, output, parallelism, savepoint, CommitMode.EXACTLY_ONCE);
        try {
            awaitCommitted(kafka, output, produced.size());
            produced.addAll(produce(kafka, input, produced.size(), 1000));
            awaitCommitted(kafka, output, produced.size());
            return stopWithSavepoint(job, savepoints);
        } finally {
            cancelQuietly(job);
        }
    }

    private static void cancelQuietly(JobClient job) {
        try {
            if (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // already gone
        }
    }

    @Test
    void atLeastOnceLosesNothingAcrossAFailure(
            KafkaBroker kafka, TestNames names, @TempDir Path savepoints) throws Exception {
        String input = names.topic("in");
        String output = names.topic("out");
        kafka.createTopic(input, 2);
        kafka.createTopic(output, 2);
        List<String> produced = new ArrayList<>(produce(kafka, input, 0, 1000));
        FailureInjectingSink.FAILURES.set(0);
        FailureInjectingSink.arm(Point.WHILE_WRITING);

        JobClient job = start(kafka, input, output, 2, null, CommitMode.AT_LEAST_ONCE);
        try {
            // At-least-once pre-commits nothing: the failure strikes after the first write.
            awaitCommitted(kafka, output, 1);
            produced.addAll(produce(kafka, input, 1000, 1000));
            Poll.until(
                    "every input value in the output",
                    Duration.ofSeconds(120),
                    () -> new HashSet<>(kafka.readCommittedValues(output)).containsAll(produced));
            stopWithSavepoint(job, savepoints);
        } finally {
            cancelQuietly(job);
        }

        assertThat(FailureInjectingSink.FAILURES.get()).isEqualTo(1);
        assertThat(new HashSet<>(kafka.readCommittedValues(output)))
                .containsExactlyInAnyOrderElementsOf(produced);
    }

    @Test
    void aLingeringTransactionOfAKilledRunIsAbortedSoReadersMoveOn(
            KafkaBroker kafka, TestNames names, @TempDir Path savepoints) throws Exception {
        String input = names.topic("in");
        String output = names.topic("out");
        kafka.createTopic(input, 1);
        kafka.createTopic(output, 1);
        String prefix = names.topic("prefix");
        // What a killed run leaves behind: an open transaction on one of the sink's ids.
        Map<String, String> properties = new HashMap<>();
        kafka.clientProperties().forEach((k, v) -> properties.put(k, String.valueOf(v)));
        // Longer than this test waits: only the sink's abort can unblock readers in time.
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "600000");
        TransactionalProducer killed = new TransactionalProducer(properties, prefix + "-0-0-0");
        killed.initTransactions();
        killed.beginTransaction();
        killed.send(
                new ProducerRecord<>(output, "never-committed".getBytes(StandardCharsets.UTF_8)));
        killed.flush();
        killed.closeQuietly();
        List<String> produced = produce(kafka, input, 0, 100);

        StreamExecutionEnvironment env = environment(null);
        env.setParallelism(1);
        env.fromSource(
                        ConfluentSource.<String>builder()
                                .setConnectionProfile(profile(kafka))
                                .setTopic(input)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setDeserializer(
                                        ConfluentRecordDeserializer.valueOnly(
                                                new SimpleStringSchema()))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .sinkTo(
                        ConfluentSink.<String>builder()
                                .setConnectionProfile(profile(kafka))
                                .setTopic(output)
                                .setCommitMode(CommitMode.EXACTLY_ONCE)
                                .setTransactionalIdPrefix(prefix)
                                .setRecordSerializer(
                                        ConfluentRecordSerializer.valueOnly(
                                                new SimpleStringSchema()))
                                .build());
        JobClient job = env.executeAsync();
        try {
            // Unless the sink aborts it, a read_committed reader stalls at the open transaction
            // until the broker times it out (10 minutes here).
            awaitCommitted(kafka, output, produced.size());
            stopWithSavepoint(job, savepoints);
        } finally {
            cancelQuietly(job);
        }

        assertExactly(kafka.readCommittedValues(output), produced);
    }

    @Test
    void aTransactionTimeoutAboveTheBrokersMaximumFailsAtBuild(KafkaBroker kafka) {
        assertThatThrownBy(
                        () ->
                                ConfluentSink.<String>builder()
                                        .setConnectionProfile(profile(kafka))
                                        .setTopic("any")
                                        .setCommitMode(CommitMode.EXACTLY_ONCE)
                                        .setTransactionTimeout(Duration.ofHours(1))
                                        .setRecordSerializer(
                                                ConfluentRecordSerializer.valueOnly(
                                                        new SimpleStringSchema()))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sink.transaction.timeout' is 3600000 ms")
                .hasMessageContaining("transaction.max.timeout.ms = 900000 ms");
    }
}
