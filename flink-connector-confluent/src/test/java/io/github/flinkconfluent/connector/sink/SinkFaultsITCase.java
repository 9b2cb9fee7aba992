package io.github.flinkconfluent.connector.sink;

import io.github.flinkconfluent.connector.options.CommitMode;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.connector.record.ConfluentRecordSerializer;
import io.github.flinkconfluent.connector.sink.FailureInjectingSink.Point;
import io.github.flinkconfluent.connector.source.ConfluentSource;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The sink under bad timing and odd deployments, on real brokers and Flink's MiniCluster: an outage
 * longer than the transaction timeout, two sinks in one operator chain, a cancel while the brokers
 * are down, two jobs with the same transactional ids.
 */
@ExtendWith(ConfluentServicesExtension.class)
class SinkFaultsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .setConfiguration(noCancelInterrupts())
                            .build());

    /**
     * Flink interrupts a cancelled task's thread every {@code task.cancellation.interval} (30 s),
     * which cut short the writer's old blocking close after half a minute or more. Interrupts are
     * pushed out of the test's reach here, so only a close that never waits on the brokers lets a
     * cancel finish.
     */
    private static Configuration noCancelInterrupts() {
        Configuration config = new Configuration();
        config.set(TaskManagerOptions.TASK_CANCELLATION_INTERVAL, Duration.ofMinutes(30));
        config.set(TaskManagerOptions.TASK_CANCELLATION_TIMEOUT, Duration.ZERO);
        return config;
    }

    /** A broker of this class's own, which tests may stop, with quick abort of timed-out work. */
    private static KafkaBroker fragile;

    @AfterAll
    static void stopFragile() {
        if (fragile != null) {
            fragile.close();
        }
    }

    private static synchronized KafkaBroker fragile() {
        if (fragile == null) {
            fragile =
                    new KafkaBroker(
                            Map.of(
                                    "transaction.abort.timed.out.transaction.cleanup.interval.ms",
                                    "500"));
        }
        if (!fragile.isRunning()) {
            fragile.start();
        }
        return fragile;
    }

    static StreamExecutionEnvironment environment(int restartAttempts) {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restartAttempts);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.enableCheckpointing(300);
        return env;
    }

    static DataStream<String> read(
            StreamExecutionEnvironment env,
            ConnectionProfile profile,
            String topic,
            boolean bounded) {
        ConfluentSource.Builder<String> source =
                ConfluentSource.<String>builder()
                        .setConnectionProfile(profile)
                        .setTopic(topic)
                        .setStartingOffset(OffsetMode.EARLIEST)
                        .setDeserializer(
                                ConfluentRecordDeserializer.valueOnly(new SimpleStringSchema()));
        if (bounded) {
            source.setBounded(true);
        }
        return env.fromSource(source.build(), WatermarkStrategy.noWatermarks(), "source");
    }

    static ConfluentSink.Builder<String> exactlyOnce(ConnectionProfile profile, String topic) {
        return ConfluentSink.<String>builder()
                .setConnectionProfile(profile)
                .setTopic(topic)
                .setCommitMode(CommitMode.EXACTLY_ONCE)
                .setRecordSerializer(ConfluentRecordSerializer.valueOnly(new SimpleStringSchema()));
    }

    /** The end offset of partition 0 of {@code topic}, uncommitted records included. */
    private static long endOffset(KafkaBroker kafka, String topic) {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.latest()))
                    .partitionResult(partition)
                    .get(30, TimeUnit.SECONDS)
                    .offset();
        } catch (Exception e) {
            return -1;
        }
    }

    private static JobStatus status(JobClient job) {
        try {
            return job.getJobStatus().get(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Throwable awaitFailure(JobClient job) {
        return assertThrows(
                ExecutionException.class,
                () -> job.getJobExecutionResult().get(5, TimeUnit.MINUTES),
                "the job must fail");
    }

    @Test
    void anOutageLongerThanTheTransactionTimeoutFailsTheJobInsteadOfLosingDataSilently(
            TestNames names) throws Exception {
        KafkaBroker kafka = fragile();
        String input = names.topic("in");
        String output = names.topic("out");
        kafka.createTopic(input, 1);
        kafka.createTopic(output, 1);
        List<String> produced = new ArrayList<>(ConfluentSinkITCase.produce(kafka, input, 0, 1000));
        Map<String, String> inspect = new HashMap<>();
        kafka.clientProperties().forEach((k, v) -> inspect.put(k, String.valueOf(v)));
        FailureInjectingSink.arm(Point.BEFORE_COMMIT);
        FailureInjectingSink.awaitAbortWith = inspect;
        FailureInjectingSink.AWAIT_ABORT_FAILURE.set(null);
        try {
            StreamExecutionEnvironment env = environment(Integer.MAX_VALUE);
            env.setParallelism(1);
            ConnectionProfile profile = ConfluentSinkITCase.profile(kafka);
            read(env, profile, input, false)
                    .sinkTo(
                            new FailureInjectingSink<>(
                                    exactlyOnce(profile, output)
                                            // Long enough that no other transaction
                                            // times out on a loaded machine; the injected
                                            // failure waits for the broker's abort anyway.
                                            .setTransactionTimeout(Duration.ofSeconds(30))
                                            .build()));
            JobClient job = env.executeAsync();
            // The second batch is written only after a first transaction committed, so that a
            // second transaction holds records whatever the producer's batching and the
            // checkpoint timing (the first one may hold a single record: the first write waits
            // for the topic's metadata while the first checkpoint is due).
            ConfluentSinkITCase.awaitCommitted(kafka, output, 1);
            produced.addAll(ConfluentSinkITCase.produce(kafka, input, 1000, 1000));
            // The second commit waits until the broker aborted its transaction, then fails.
            Throwable failure = awaitFailure(job);

            assertThat(FailureInjectingSink.AWAIT_ABORT_FAILURE.get())
                    .as("the broker aborted the timed-out transaction")
                    .isNull();
            assertThat(failure)
                    .hasStackTraceContaining("The failure is not recoverable")
                    .hasStackTraceContaining("Data loss")
                    .hasStackTraceContaining("'sink.transaction.timeout'");
            List<String> seen = kafka.readCommittedValues(output);
            assertThat(new HashSet<>(seen)).as("no duplicates").hasSameSizeAs(seen);
            assertThat(produced.subList(0, 1000))
                    .as("only records of the first batch: the second came after the last commit")
                    .containsAll(seen);
            assertThat(seen).as("the first commit's records").isNotEmpty();
        } finally {
            FailureInjectingSink.awaitAbortWith = null;
            FailureInjectingSink.ARMED.set(null);
        }
    }

    @Test
    void twoExactlyOnceSinksInOneChainDoNotFenceEachOther(KafkaBroker kafka, TestNames names)
            throws Exception {
        String input = names.topic("in");
        String first = names.topic("first");
        String second = names.topic("second");
        kafka.createTopic(input, 2);
        kafka.createTopic(first, 2);
        kafka.createTopic(second, 2);
        List<String> produced = ConfluentSinkITCase.produce(kafka, input, 0, 2000);
        StreamExecutionEnvironment env = environment(Integer.MAX_VALUE);
        env.setParallelism(2);
        ConnectionProfile profile = ConfluentSinkITCase.profile(kafka);
        DataStream<String> stream = read(env, profile, input, true);
        // Default prefixes: both sinks chain to the source, so they share one task name.
        stream.sinkTo(exactlyOnce(profile, first).build());
        stream.sinkTo(exactlyOnce(profile, second).build());

        env.executeAsync().getJobExecutionResult().get(3, TimeUnit.MINUTES);

        ConfluentSinkITCase.assertExactly(kafka.readCommittedValues(first), produced);
        ConfluentSinkITCase.assertExactly(kafka.readCommittedValues(second), produced);
    }

    @Test
    void cancelDoesNotWaitForBrokersThatDoNotAnswer(TestNames names) throws Exception {
        // A broker of its own: one that was frozen is not handed to the next test.
        try (KafkaBroker kafka = new KafkaBroker()) {
            kafka.start();
            cancelWithAFrozenBroker(kafka, names);
        }
    }

    private static void cancelWithAFrozenBroker(KafkaBroker kafka, TestNames names)
            throws Exception {
        String input = names.topic("in");
        String output = names.topic("out");
        kafka.createTopic(input, 1);
        kafka.createTopic(output, 1);
        ConfluentSinkITCase.produce(kafka, input, 0, 100);
        // Clients that would wait ten minutes for the brokers, as the writer's close once did.
        ConnectionProfile patient =
                ConnectionProfiles.resolve(
                        null,
                        new Configuration(),
                        Map.of(
                                "bootstrap.servers", kafka.bootstrapServers(),
                                "properties.max.block.ms", "600000",
                                "properties.default.api.timeout.ms", "600000"));
        StreamExecutionEnvironment env = environment(Integer.MAX_VALUE);
        // No checkpoint comes: the writer's transaction stays open with the records in it, so
        // aborting it needs an answer from the broker (an empty one aborts without asking).
        env.enableCheckpointing(Duration.ofHours(1).toMillis());
        env.setParallelism(1);
        read(env, patient, input, false).sinkTo(exactlyOnce(patient, output).build());
        JobClient job = env.executeAsync();
        try {
            Poll.until(
                    "100 records written (uncommitted) to " + output,
                    Duration.ofMinutes(2),
                    () -> endOffset(kafka, output) >= 100,
                    () -> "end offset " + endOffset(kafka, output));
            // Frozen, not stopped: connections stay open and requests go unanswered, the worst
            // case for a client that waits (a stopped broker refuses connections at once).
            kafka.pause();

            long start = System.nanoTime();
            job.cancel().get(2, TimeUnit.MINUTES);
            // Before the fix the writer's close waited max.block.ms (ten minutes here).
            Poll.until(
                    "the job to be CANCELED",
                    Duration.ofMinutes(2),
                    () -> status(job) == JobStatus.CANCELED,
                    () -> "status " + status(job));
            // Reported, not asserted: speed is not what this test checks.
            System.out.printf(
                    "cancel with the broker down took %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } finally {
            kafka.resume();
        }
    }

    @Test
    void aSecondJobWithTheSameTransactionalIdsIsNamedAsTheCause(KafkaBroker kafka, TestNames names)
            throws Exception {
        String input = names.topic("in");
        String output = names.topic("out");
        String prefix = names.topic("shared-prefix");
        kafka.createTopic(input, 1);
        kafka.createTopic(output, 1);
        ConfluentSinkITCase.produce(kafka, input, 0, 100);
        ConnectionProfile profile = ConfluentSinkITCase.profile(kafka);

        StreamExecutionEnvironment firstEnv = environment(0);
        firstEnv.setParallelism(1);
        read(firstEnv, profile, input, false)
                .sinkTo(exactlyOnce(profile, output).setTransactionalIdPrefix(prefix).build());
        JobClient firstJob = firstEnv.executeAsync();
        ConfluentSinkITCase.awaitCommitted(kafka, output, 100);

        StreamExecutionEnvironment secondEnv = environment(0);
        secondEnv.setParallelism(1);
        read(secondEnv, profile, input, false)
                .sinkTo(
                        exactlyOnce(profile, names.topic("other-out"))
                                .setTransactionalIdPrefix(prefix)
                                .build());
        kafka.createTopic(names.topic("other-out"), 1);
        JobClient secondJob = secondEnv.executeAsync();
        try {
            // The first job learns of the second when it next writes or commits: keep feeding it.
            int[] next = {100};
            Poll.until(
                    "the first job to fail",
                    Duration.ofMinutes(3),
                    () -> {
                        ConfluentSinkITCase.produce(kafka, input, next[0], 10);
                        next[0] += 10;
                        try {
                            return firstJob.getJobStatus()
                                    .get(1, TimeUnit.MINUTES)
                                    .isGloballyTerminalState();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
        } finally {
            secondJob.cancel().get(2, TimeUnit.MINUTES);
        }
        assertThat(awaitFailure(firstJob)).hasStackTraceContaining("into a second job");
    }
}
