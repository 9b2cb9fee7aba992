package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.UnrecoverableException;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.options.OffsetOutOfRangePolicy;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.Sends;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code source.offset_out_of_range} on a real broker: offsets below the log start (moved with
 * {@code Admin.deleteRecords}, as retention or {@code kafka-delete-records} would) reached from a
 * savepoint, from group and specific start offsets, and by a running reader that fell behind.
 */
@ExtendWith(ConfluentServicesExtension.class)
class ConfluentSourceOffsetOutOfRangeITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    private static final String SKIPPED = ".*offsetOutOfRangeSkippedRecords";

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void restoredOffsetsBelowTheLogStartFailOrSkipToTheEarliestOrLatest(
            KafkaBroker kafka, TestNames names, @TempDir Path savepoints) throws Exception {
        String topic = names.topic("restore");
        kafka.createTopic(topic, 2);
        String view = topic;
        List<String> first = produce(kafka, topic, 2, 0, 100); // offsets 0-49 in each partition
        StateBackedCollector.reset(view);
        JobClient job = collecting(kafka, topic, view, null, OffsetOutOfRangePolicy.FAIL);
        Poll.until(
                "the first 100 records",
                Duration.ofSeconds(60),
                () -> StateBackedCollector.values(view).size() >= 100);
        String savepoint =
                job.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(60, TimeUnit.SECONDS);
        awaitEnd(job);

        // Offsets 50-99 of each partition; then everything below 75 is deleted: the savepoint's
        // offsets (50) are below the log start, v100-v149 are gone, v150-v199 remain.
        produce(kafka, topic, 2, 100, 200);
        deleteBefore(kafka, topic, 2, 75);

        StateBackedCollector.reset(view);
        JobClient failing = collecting(kafka, topic, view, savepoint, OffsetOutOfRangePolicy.FAIL);
        Throwable failure = awaitFailure(failing);
        assertThat(ExceptionUtils.findThrowable(failure, UnrecoverableException.class))
                .as("restarts suppressed")
                .isPresent();
        assertThat(ExceptionUtils.findThrowableWithMessage(failure, "Offset 50 of topic '" + topic))
                .hasValueSatisfying(
                        e ->
                                assertThat(e.getMessage())
                                        .containsPattern("', partition [01] is out of range")
                                        .contains("holds offsets 75 (earliest) to 100 (latest")
                                        .contains("Offsets 50 to 74 were deleted")
                                        .contains("'source.offset_out_of_range'"));

        StateBackedCollector.reset(view);
        JobClient earliest =
                collecting(kafka, topic, view, savepoint, OffsetOutOfRangePolicy.EARLIEST);
        List<String> expected = new ArrayList<>(first);
        expected.addAll(values(150, 200));
        try {
            Poll.until(
                    "the records after the gap and 2 x 25 skipped offsets counted",
                    Duration.ofSeconds(60),
                    () ->
                            StateBackedCollector.values(view).size() >= expected.size()
                                    && skipped(earliest.getJobID()) == 50,
                    () ->
                            "seen "
                                    + StateBackedCollector.values(view).size()
                                    + ", skipped "
                                    + skipped(earliest.getJobID()));
            assertExactly(StateBackedCollector.values(view), expected);
        } finally {
            earliest.cancel().get(30, TimeUnit.SECONDS);
        }

        StateBackedCollector.reset(view);
        JobClient latest = collecting(kafka, topic, view, savepoint, OffsetOutOfRangePolicy.LATEST);
        try {
            Poll.until(
                    "both partitions moved to their end (2 x 50 offsets skipped)",
                    Duration.ofSeconds(60),
                    () -> skipped(latest.getJobID()) == 100,
                    () -> "skipped " + skipped(latest.getJobID()));
            List<String> expectedLatest = new ArrayList<>(first);
            expectedLatest.addAll(produce(kafka, topic, 2, 200, 220));
            Poll.until(
                    "the records written after the jump",
                    Duration.ofSeconds(60),
                    () -> StateBackedCollector.values(view).size() >= expectedLatest.size());
            assertExactly(StateBackedCollector.values(view), expectedLatest);
            assertThat(skipped(latest.getJobID())).isEqualTo(100);
        } finally {
            latest.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void groupAndSpecificStartOffsetsBelowTheLogStart(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("start");
        kafka.createTopic(topic, 1);
        produce(kafka, topic, 1, 0, 100);
        deleteBefore(kafka, topic, 1, 60);
        String group = topic + "-group";
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.alterConsumerGroupOffsets(
                            group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(20)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }

        Bounded failing =
                bounded(
                        kafka,
                        topic,
                        b ->
                                b.setSpecificStartingOffsets(Map.of(0, 10L))
                                        .setOffsetOutOfRangePolicy(OffsetOutOfRangePolicy.FAIL));
        Throwable failure;
        try {
            failure = awaitFailure(failing.job);
        } finally {
            failing.results.close();
        }
        assertThat(ExceptionUtils.findThrowable(failure, UnrecoverableException.class)).isPresent();
        assertThat(ExceptionUtils.findThrowableWithMessage(failure, "Offset 10 of topic '" + topic))
                .hasValueSatisfying(
                        e ->
                                assertThat(e.getMessage())
                                        .contains(
                                                "', partition 0 is out of range: the partition now"
                                                        + " holds offsets 60 (earliest) to 100"
                                                        + " (latest, exclusive). Offsets 10 to 59"
                                                        + " were deleted"));

        Bounded fromGroup =
                bounded(
                        kafka,
                        topic,
                        b ->
                                b.setGroupId(group)
                                        .setStartingOffset(OffsetMode.GROUP)
                                        .setOffsetOutOfRangePolicy(
                                                OffsetOutOfRangePolicy.EARLIEST));
        assertThat(fromGroup.values())
                .as("a group offset below the log start continues at the log start")
                .containsExactlyElementsOf(values(60, 100));
        assertThat(skipped(fromGroup.job.getJobID())).isEqualTo(40);

        Bounded fromSpecific =
                bounded(
                        kafka,
                        topic,
                        b ->
                                b.setSpecificStartingOffsets(Map.of(0, 10L))
                                        .setOffsetOutOfRangePolicy(OffsetOutOfRangePolicy.LATEST));
        assertThat(fromSpecific.values()).isEmpty();
        assertThat(skipped(fromSpecific.job.getJobID())).isEqualTo(90);

        StreamExecutionEnvironment env = environment(null);
        env.fromSource(
                        strings(kafka, topic)
                                .setSpecificStartingOffsets(Map.of(0, 500L))
                                .setOffsetOutOfRangePolicy(OffsetOutOfRangePolicy.FAIL)
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .sinkTo(new DiscardingSink<>());
        assertThat(
                        ExceptionUtils.findThrowableWithMessage(
                                awaitFailure(env.executeAsync()), "Offset 500 of topic '" + topic))
                .as("an offset beyond the end (a recreated topic) fails the same way")
                .hasValueSatisfying(
                        e ->
                                assertThat(e.getMessage())
                                        .contains("holds offsets 60 (earliest) to 100 (latest")
                                        .contains("beyond the end"));
    }

    @Test
    void aReaderThatFallsBehindRetentionWhileRunningContinuesAtTheLogStart(
            KafkaBroker kafka, TestNames names) throws Exception {
        String topic = names.topic("behind");
        kafka.createTopic(topic, 1);
        // One record per batch, fetched one batch at a time: the consumer never holds more than
        // a few records beyond what the blocked task thread took.
        Map<String, Object> unbatched = kafka.clientProperties();
        unbatched.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        unbatched.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        unbatched.put(ProducerConfig.BATCH_SIZE_CONFIG, 0);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(unbatched)) {
            for (int i = 0; i < 200; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, "v" + i));
            }
        }
        String view = topic;
        StateBackedCollector.reset(view);
        Gate.reset();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSource(
                        ConfluentSource.<String>builder()
                                .setConnectionProfile(
                                        ConnectionProfiles.resolve(
                                                null,
                                                new Configuration(),
                                                Map.of(
                                                        "bootstrap.servers",
                                                        kafka.bootstrapServers(),
                                                        "properties.max.partition.fetch.bytes",
                                                        "1",
                                                        "properties.fetch.max.bytes",
                                                        "1")))
                                .setTopic(topic)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setOffsetOutOfRangePolicy(OffsetOutOfRangePolicy.EARLIEST)
                                .setDeserializer(
                                        ConfluentRecordDeserializer.valueOnly(
                                                new SimpleStringSchema()))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .map(new Gate())
                .map(new StateBackedCollector(view))
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync();
        try {
            // The first record holds the task thread; meanwhile retention takes the first half.
            assertThat(Gate.ENTERED.await(60, TimeUnit.SECONDS)).isTrue();
            deleteBefore(kafka, topic, 1, 100);
            Gate.RELEASE.countDown();

            Poll.until(
                    "every record after the gap, and the skipped offsets counted",
                    Duration.ofSeconds(60),
                    () -> {
                        List<String> seen = StateBackedCollector.values(view);
                        return seen.containsAll(values(100, 200))
                                && skipped(job.getJobID()) == 200 - seen.size();
                    },
                    () ->
                            "seen "
                                    + StateBackedCollector.values(view).size()
                                    + ", skipped "
                                    + skipped(job.getJobID()));
            List<String> seen = StateBackedCollector.values(view);
            int beforeGap = seen.size() - 100;
            assertThat(beforeGap)
                    .as("records read before the deletion (the reader was behind)")
                    .isBetween(1, 20);
            List<String> expected = new ArrayList<>(values(0, beforeGap));
            expected.addAll(values(100, 200));
            assertExactly(seen, expected);
        } finally {
            Gate.RELEASE.countDown();
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    /** Holds the first record until the test releases it. */
    private static final class Gate implements MapFunction<String, String> {
        static CountDownLatch ENTERED = new CountDownLatch(1);
        static CountDownLatch RELEASE = new CountDownLatch(1);

        static void reset() {
            ENTERED = new CountDownLatch(1);
            RELEASE = new CountDownLatch(1);
        }

        @Override
        public String map(String value) throws Exception {
            if (ENTERED.getCount() > 0) {
                ENTERED.countDown();
                if (!RELEASE.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the gate");
                }
            }
            return value;
        }
    }

    // ------------------------------------------------------------------------------ helpers

    private static ConfluentSource.Builder<String> strings(KafkaBroker kafka, String topic) {
        return ConfluentSource.<String>builder()
                .setConnectionProfile(
                        ConnectionProfiles.resolve(
                                null,
                                new Configuration(),
                                Map.of("bootstrap.servers", kafka.bootstrapServers())))
                .setTopic(topic)
                .setDeserializer(ConfluentRecordDeserializer.valueOnly(new SimpleStringSchema()));
    }

    /**
     * An environment that would restart for ever: a job that ends FAILED under it was not
     * restarted.
     */
    private static StreamExecutionEnvironment environment(String savepoint) {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(50));
        if (savepoint != null) {
            config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        return StreamExecutionEnvironment.getExecutionEnvironment(config);
    }

    private static JobClient collecting(
            KafkaBroker kafka,
            String topic,
            String view,
            String savepoint,
            OffsetOutOfRangePolicy policy)
            throws Exception {
        StreamExecutionEnvironment env = environment(savepoint);
        env.enableCheckpointing(200);
        env.setParallelism(1);
        env.fromSource(
                        strings(kafka, topic)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setOffsetOutOfRangePolicy(policy)
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .uid("source")
                .map(new StateBackedCollector(view))
                .uid("collector")
                .sinkTo(new DiscardingSink<>());
        return env.executeAsync();
    }

    private record Bounded(JobClient job, CloseableIterator<String> results) {
        List<String> values() throws Exception {
            List<String> out = new ArrayList<>();
            try (CloseableIterator<String> it = results) {
                it.forEachRemaining(out::add);
            }
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
            return out;
        }
    }

    private static Bounded bounded(
            KafkaBroker kafka,
            String topic,
            java.util.function.UnaryOperator<ConfluentSource.Builder<String>> options)
            throws Exception {
        StreamExecutionEnvironment env = environment(null);
        env.setParallelism(1);
        CloseableIterator<String> results =
                env.fromSource(
                                options.apply(strings(kafka, topic).setBounded(true)).build(),
                                WatermarkStrategy.noWatermarks(),
                                "source")
                        .collectAsync();
        return new Bounded(env.executeAsync(), results);
    }

    /** Waits for the job to end FAILED (a job restarted for ever never does) and returns why. */
    private static Throwable awaitFailure(JobClient job) throws Exception {
        Poll.until(
                "the job to fail",
                Duration.ofSeconds(60),
                () -> status(job) == JobStatus.FAILED,
                () -> "status " + status(job));
        try {
            job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e;
        }
        throw new AssertionError("the job ended without an error");
    }

    private static void awaitEnd(JobClient job) {
        Poll.until(
                "the job to end",
                Duration.ofSeconds(30),
                () -> status(job) == null || status(job).isGloballyTerminalState());
    }

    private static JobStatus status(JobClient job) {
        try {
            return job.getJobStatus().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    private static long skipped(JobID job) {
        long total = 0;
        for (Metric metric : REPORTER.findMetrics(job, SKIPPED).values()) {
            total += ((Counter) metric).getCount();
        }
        return total;
    }

    private static KafkaProducer<String, String> producer(KafkaBroker kafka) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return new KafkaProducer<>(config);
    }

    /** Values v{from}..v{to - 1}, value i to partition i % partitions. */
    private static List<String> produce(
            KafkaBroker kafka, String topic, int partitions, int from, int to) {
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(kafka)) {
            for (int i = from; i < to; i++) {
                sends.add(
                        producer.send(new ProducerRecord<>(topic, i % partitions, null, "v" + i)));
            }
            Sends.confirm(sends);
        }
        return values(from, to);
    }

    private static List<String> values(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "v" + i).toList();
    }

    /** What retention does: every partition's log now starts at {@code offset}. */
    private static void deleteBefore(KafkaBroker kafka, String topic, int partitions, long offset)
            throws Exception {
        Map<TopicPartition, RecordsToDelete> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), RecordsToDelete.beforeOffset(offset));
        }
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.deleteRecords(request).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void assertExactly(List<String> seen, List<String> expected) {
        List<String> duplicates = new ArrayList<>();
        HashSet<String> unique = new HashSet<>();
        for (String value : seen) {
            if (!unique.add(value)) {
                duplicates.add(value);
            }
        }
        assertThat(duplicates).as("duplicates").isEmpty();
        assertThat(unique)
                .as("exactly the expected records")
                .containsExactlyInAnyOrderElementsOf(expected);
    }
}
