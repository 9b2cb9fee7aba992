package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.options.BadDataPolicy;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.options.ReadMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.connector.testing.JobWatch;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.Sends;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.flink.util.ExceptionUtils;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DataStream source on a real broker and Flink's MiniCluster. */
@ExtendWith(ConfluentServicesExtension.class)
class ConfluentSourceITCase {

    /** For anything that waits on a job: generous, as a loaded 2-core machine needs. */
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(2)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static ConnectionProfile profile(KafkaBroker kafka) {
        return ConnectionProfiles.resolve(
                null, new Configuration(), Map.of("bootstrap.servers", kafka.bootstrapServers()));
    }

    private static ConfluentSource.Builder<String> strings(KafkaBroker kafka, String topic) {
        return ConfluentSource.<String>builder()
                .setConnectionProfile(profile(kafka))
                .setTopic(topic)
                .setDeserializer(ConfluentRecordDeserializer.valueOnly(new SimpleStringSchema()));
    }

    private static List<String> produce(
            KafkaBroker kafka, String topic, int partitions, int from, int count) {
        List<String> values = new ArrayList<>();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(kafka, null)) {
            for (int i = from; i < from + count; i++) {
                String value = "v" + i;
                sends.add(producer.send(new ProducerRecord<>(topic, i % partitions, null, value)));
                values.add(value);
            }
            Sends.confirm(sends);
        }
        return values;
    }

    private static KafkaProducer<String, String> producer(KafkaBroker kafka, String txId) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        if (txId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, txId);
        }
        return new KafkaProducer<>(config);
    }

    private static List<String> runBounded(ConfluentSource<String> source, int parallelism)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        List<String> out = new ArrayList<>();
        try (CloseableIterator<String> it =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "source")
                        .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void boundedReadReturnsEveryRecordOfEveryPartitionOnce(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("bounded");
        kafka.createTopic(topic, 3);
        List<String> produced = produce(kafka, topic, 3, 0, 300);

        List<String> read =
                runBounded(
                        strings(kafka, topic)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setBounded(true)
                                .build(),
                        2);

        assertThat(read).containsExactlyInAnyOrderElementsOf(produced);
    }

    @Test
    void latestStartsAfterWhatIsAlreadyThere(KafkaBroker kafka, TestNames names) throws Exception {
        String topic = names.topic("latest");
        kafka.createTopic(topic, 2);
        produce(kafka, topic, 2, 0, 20);

        assertThat(
                        runBounded(
                                strings(kafka, topic)
                                        .setStartingOffset(OffsetMode.LATEST)
                                        .setBounded(true)
                                        .build(),
                                1))
                .isEmpty();
    }

    @Test
    void timestampAndSpecificOffsetsPickTheirStart(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("start");
        kafka.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = producer(kafka, null)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, 1_000_000L * (i + 1), null, "v" + i));
            }
        }

        assertThat(
                        runBounded(
                                strings(kafka, topic)
                                        .setStartingTimestamp(6_000_000L)
                                        .setBounded(true)
                                        .build(),
                                1))
                .containsExactly("v5", "v6", "v7", "v8", "v9");
        assertThat(
                        runBounded(
                                strings(kafka, topic)
                                        .setSpecificStartingOffsets(Map.of(0, 8L))
                                        .setBounded(true)
                                        .build(),
                                1))
                .containsExactly("v8", "v9");
    }

    @Test
    void readCommittedSkipsAbortedTransactions(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("tx");
        kafka.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = producer(kafka, topic + "-tx")) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "committed-1"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "committed-2"));
            producer.commitTransaction();
        }

        assertThat(
                        runBounded(
                                strings(kafka, topic)
                                        .setStartingOffset(OffsetMode.EARLIEST)
                                        .setReadMode(ReadMode.READ_COMMITTED)
                                        .setBounded(true)
                                        .build(),
                                1))
                .containsExactly("committed-1", "committed-2");
        assertThat(
                        runBounded(
                                strings(kafka, topic)
                                        .setStartingOffset(OffsetMode.EARLIEST)
                                        .setReadMode(ReadMode.READ_UNCOMMITTED)
                                        .setBounded(true)
                                        .build(),
                                1))
                .containsExactly("committed-1", "aborted", "committed-2");
    }

    @Test
    void badDataFailsWithItsPositionOrIsDropped(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("bad");
        kafka.createTopic(topic, 1);
        try (KafkaProducer<String, String> producer = producer(kafka, null)) {
            producer.send(new ProducerRecord<>(topic, "good-1"));
            producer.send(new ProducerRecord<>(topic, "BAD"));
            producer.send(new ProducerRecord<>(topic, "good-2"));
        }

        assertThatThrownBy(
                        () ->
                                runBounded(
                                        rejectingBad(kafka, topic)
                                                .setBadDataPolicy(BadDataPolicy.FAIL)
                                                .build(),
                                        1))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowableWithMessage(
                                                        e,
                                                        "topic '"
                                                                + topic
                                                                + "', partition 0, offset 1"))
                                        .hasValueSatisfying(
                                                cause ->
                                                        assertThat(cause)
                                                                .hasMessageContaining(
                                                                        "test says bad")
                                                                .hasMessageContaining("bad_data")));
        assertThat(
                        runBounded(
                                rejectingBad(kafka, topic)
                                        .setBadDataPolicy(BadDataPolicy.DROP)
                                        .build(),
                                1))
                .containsExactly("good-1", "good-2");
    }

    private static ConfluentSource.Builder<String> rejectingBad(KafkaBroker kafka, String topic) {
        return ConfluentSource.<String>builder()
                .setConnectionProfile(profile(kafka))
                .setTopic(topic)
                .setStartingOffset(OffsetMode.EARLIEST)
                .setBounded(true)
                .setDeserializer(new RejectBad());
    }

    /** Values "BAD" are undecodable. */
    private static final class RejectBad implements ConfluentRecordDeserializer<String> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out)
                throws WireFormatException {
            String value = new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
            if (value.equals("BAD")) {
                throw new WireFormatException(
                        WireFormatException.Reason.MALFORMED_BODY, -1, "test says bad");
            }
            out.collect(value);
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    /**
     * Exactly once across a failover, with every step gated on an event rather than on speed:
     * records are written in two batches, the failure is armed only after two checkpoints completed
     * once the whole first batch was processed, and it fires on the 500th record afterwards, while
     * most of the second batch (3000 records) is still to come.
     */
    @Test
    void exactlyOnceAcrossATaskFailure(KafkaBroker kafka, TestNames names) throws Exception {
        String topic = names.topic("eo");
        kafka.createTopic(topic, 4);
        String view = topic;
        StateBackedCollector.reset(view);
        FailOnceWhenArmed.reset();
        List<String> produced = new ArrayList<>(produce(kafka, topic, 4, 0, 1000));

        StreamExecutionEnvironment env = environment(null);
        env.setParallelism(2);
        env.fromSource(
                        strings(kafka, topic).setStartingOffset(OffsetMode.EARLIEST).build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .map(new FailOnceWhenArmed())
                .map(new StateBackedCollector(view))
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync();
        try {
            Supplier<String> progress =
                    () ->
                            "seen "
                                    + StateBackedCollector.values(view).size()
                                    + ", failures "
                                    + FailOnceWhenArmed.FAILURES.get()
                                    + ", latest completed checkpoint "
                                    + FailOnceWhenArmed.LATEST_COMPLETED.get();
            JobWatch.until(
                    job,
                    "the first 1000 records",
                    JOB_TIMEOUT,
                    () -> StateBackedCollector.values(view).size() >= 1000,
                    progress);
            long completedBefore = FailOnceWhenArmed.LATEST_COMPLETED.get();
            JobWatch.until(
                    job,
                    "two more completed checkpoints",
                    JOB_TIMEOUT,
                    () -> FailOnceWhenArmed.LATEST_COMPLETED.get() >= completedBefore + 2,
                    progress);
            FailOnceWhenArmed.arm(500);
            produced.addAll(produce(kafka, topic, 4, 1000, 3000));

            JobWatch.until(
                    job,
                    "every record, after the failover",
                    JOB_TIMEOUT,
                    () -> StateBackedCollector.values(view).size() >= produced.size(),
                    progress);
            assertThat(FailOnceWhenArmed.FAILURES.get())
                    .as("one failure was injected")
                    .isEqualTo(1);
            assertExactly(StateBackedCollector.values(view), produced);
        } finally {
            job.cancel().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * Fails exactly once, on the n-th record after {@link #arm(int)}, across all subtasks; and
     * tells the test which checkpoints completed ({@link CheckpointListener}), so the test can arm
     * it only once the job has completed checkpoints with records in them.
     */
    private static final class FailOnceWhenArmed extends RichMapFunction<String, String>
            implements CheckpointListener {
        static final AtomicInteger FAILURES = new AtomicInteger();
        static final AtomicLong LATEST_COMPLETED = new AtomicLong();

        /** Records left until the failure; zero or less: disarmed. */
        private static final AtomicInteger COUNTDOWN = new AtomicInteger();

        static void reset() {
            FAILURES.set(0);
            LATEST_COMPLETED.set(0);
            COUNTDOWN.set(0);
        }

        static void arm(int records) {
            COUNTDOWN.set(records);
        }

        @Override
        public String map(String value) {
            // Of two subtasks racing on the last step, only one sees exactly zero.
            if (COUNTDOWN.get() > 0 && COUNTDOWN.decrementAndGet() == 0) {
                FAILURES.incrementAndGet();
                throw new RuntimeException("injected failure");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            LATEST_COMPLETED.accumulateAndGet(checkpointId, Math::max);
        }
    }

    @Test
    void restoresWithLowerAndHigherParallelism(
            KafkaBroker kafka, TestNames names, @TempDir Path savepoints) throws Exception {
        String topic = names.topic("rescale");
        kafka.createTopic(topic, 4);
        String view = topic;
        StateBackedCollector.reset(view);
        List<String> produced = new ArrayList<>(produce(kafka, topic, 4, 0, 200));

        String savepoint =
                runUntilAndSavepoint(kafka, topic, view, 2, null, produced.size(), savepoints);
        produced.addAll(produce(kafka, topic, 4, 200, 200));
        StateBackedCollector.reset(view);
        savepoint =
                runUntilAndSavepoint(kafka, topic, view, 1, savepoint, produced.size(), savepoints);
        assertExactly(StateBackedCollector.values(view), produced);

        produced.addAll(produce(kafka, topic, 4, 400, 200));
        StateBackedCollector.reset(view);
        runUntilAndSavepoint(kafka, topic, view, 3, savepoint, produced.size(), savepoints);
        assertExactly(StateBackedCollector.values(view), produced);
    }

    @Test
    void partitionsAddedWhileRunningAreReadFromTheirStart(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("grow");
        kafka.createTopic(topic, 1);
        String view = topic;
        StateBackedCollector.reset(view);
        List<String> produced = new ArrayList<>(produce(kafka, topic, 1, 0, 10));
        StreamExecutionEnvironment env = environment(null);
        env.setParallelism(2);
        env.fromSource(
                        strings(kafka, topic)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setPartitionDiscoveryInterval(Duration.ofMillis(300))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .uid("source")
                .map(new StateBackedCollector(view))
                .uid("collector")
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync();
        try {
            JobWatch.until(
                    job,
                    "the first 10 records",
                    JOB_TIMEOUT,
                    () -> StateBackedCollector.values(view).size() >= 10,
                    () -> "seen " + StateBackedCollector.values(view).size());
            try (Admin admin = Admin.create(kafka.clientProperties())) {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3)))
                        .all()
                        .get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            // Written before discovery finds the partitions: must still be read.
            produced.addAll(produce(kafka, topic, 3, 10, 30));
            JobWatch.until(
                    job,
                    "records of the new partitions",
                    JOB_TIMEOUT,
                    () -> StateBackedCollector.values(view).size() >= produced.size(),
                    () -> "seen " + StateBackedCollector.values(view).size());
            assertExactly(StateBackedCollector.values(view), produced);
        } finally {
            job.cancel().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void partitionsAddedUnderAShortDiscoveryIntervalAreEachAssignedOnce(
            KafkaBroker kafka, TestNames names) throws Exception {
        String topic = names.topic("discovery-race");
        kafka.createTopic(topic, 1);
        String view = topic;
        StateBackedCollector.reset(view);
        List<String> produced = new ArrayList<>(produce(kafka, topic, 1, 0, 20));
        // No restarts: a partition assigned twice fails the reader (and so the job) at once.
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.enableCheckpointing(100);
        env.setParallelism(2);
        env.fromSource(
                        strings(kafka, topic)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                // Far shorter than one metadata round trip: runs would overlap.
                                .setPartitionDiscoveryInterval(Duration.ofMillis(2))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .map(new StateBackedCollector(view))
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            for (int partitions = 2; partitions <= 6; partitions++) {
                admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                produced.addAll(produce(kafka, topic, partitions, produced.size(), 30));
                int expected = produced.size();
                Poll.until(
                        expected + " records from " + partitions + " partitions",
                        Duration.ofSeconds(60),
                        () -> StateBackedCollector.values(view).size() >= expected || ended(job),
                        () -> "seen " + StateBackedCollector.values(view).size());
            }
            assertThat(job.getJobStatus().get(10, TimeUnit.SECONDS))
                    .as("no partition was assigned twice")
                    .isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
            assertExactly(StateBackedCollector.values(view), produced);
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void completedCheckpointsCommitOffsetsToTheGroup(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("group");
        kafka.createTopic(topic, 2);
        produce(kafka, topic, 2, 0, 50);
        String group = topic + "-monitor";
        StreamExecutionEnvironment env = environment(null);
        env.fromSource(
                        strings(kafka, topic)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setGroupId(group)
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            JobWatch.until(
                    job,
                    "group offsets at the end of both partitions",
                    JOB_TIMEOUT,
                    () -> committedTotal(admin, group) == 50,
                    () -> "committed " + committedTotal(admin, group));
        } finally {
            job.cancel().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        produce(kafka, topic, 2, 50, 10);
        assertThat(
                        runBounded(
                                strings(kafka, topic)
                                        .setGroupId(group)
                                        .setStartingOffset(OffsetMode.GROUP)
                                        .setBounded(true)
                                        .build(),
                                1))
                .as("a group start continues where the group's commits are")
                .hasSize(10);
    }

    private static boolean ended(JobClient job) {
        try {
            return job.getJobStatus().get().isGloballyTerminalState();
        } catch (Exception e) {
            return true;
        }
    }

    private static long committedTotal(Admin admin, String group) {
        try {
            return admin
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS)
                    .values()
                    .stream()
                    .mapToLong(OffsetAndMetadata::offset)
                    .sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String runUntilAndSavepoint(
            KafkaBroker kafka,
            String topic,
            String view,
            int parallelism,
            String restoreFrom,
            int expected,
            Path savepoints)
            throws Exception {
        StreamExecutionEnvironment env = environment(restoreFrom);
        env.setParallelism(parallelism);
        env.fromSource(
                        strings(kafka, topic).setStartingOffset(OffsetMode.EARLIEST).build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .uid("source")
                .map(new StateBackedCollector(view))
                .uid("collector")
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync();
        String path;
        try {
            JobWatch.until(
                    job,
                    expected + " records at parallelism " + parallelism,
                    JOB_TIMEOUT,
                    () -> StateBackedCollector.values(view).size() >= expected,
                    () -> "seen " + StateBackedCollector.values(view).size());
            path =
                    job.stopWithSavepoint(
                                    false,
                                    savepoints.toUri().toString(),
                                    SavepointFormatType.CANONICAL)
                            .get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Throwable t) {
            // A job left running keeps its slots: every later test of the class would then fail
            // for want of resources instead of on its own merits.
            if (!ended(job)) {
                job.cancel().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
            throw t;
        }
        Poll.until(
                "the job to stop",
                JOB_TIMEOUT,
                () -> {
                    try {
                        return job.getJobStatus().get().isGloballyTerminalState();
                    } catch (Exception e) {
                        return true;
                    }
                });
        return path;
    }

    private static StreamExecutionEnvironment environment(String savepoint) {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        if (savepoint != null) {
            config.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.enableCheckpointing(200);
        return env;
    }

    private static void assertExactly(List<String> seen, List<String> produced) {
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
}
