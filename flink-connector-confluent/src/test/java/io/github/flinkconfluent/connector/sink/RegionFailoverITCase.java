package io.github.flinkconfluent.connector.sink;

import io.github.flinkconfluent.connector.options.CommitMode;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.connector.record.ConfluentRecordSerializer;
import io.github.flinkconfluent.connector.sink.internal.ConfluentCommittable;
import io.github.flinkconfluent.connector.sink.internal.ConfluentWriterState;
import io.github.flinkconfluent.connector.source.ConfluentSource;
import io.github.flinkconfluent.connector.testing.LogCapture;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactly-once sink under Flink's region failover, through the real scheduler, checkpoints and
 * committer of a MiniCluster and a real broker.
 *
 * <p>Source, map, writer and committer run chained at parallelism 2 with no shuffle, so each
 * subtask is a failover region of its own: a failure restarts that subtask alone while the other
 * runs on. Subtask 1 fails first and comes back from checkpoint {@code a}, writing under ids of
 * generation {@code a}; after a later checkpoint {@code b}, subtask 0 fails and comes back from
 * {@code b} with its own writer state of generation 0. The lingering-transaction sweep of subtask 0
 * once aborted every id of a generation later than its restored state's, that is subtask 1's live
 * ids: subtask 1 was fenced (or, for a pre-committed transaction, the job failed with "Data loss").
 * Fixed in d92ba88; the rule itself is unit-tested in {@code TransactionDecisionsTest}.
 *
 * <p>To make the test deterministic rather than lucky, subtask 0's restarted writer is only created
 * once the broker shows subtask 1 with an open transaction of its restarted run ({@link
 * GatedSink}): no checkpoint can complete while subtask 0 is down, so that transaction is still
 * open when the sweep looks, and the old rule aborts it every time.
 */
@ExtendWith(ConfluentServicesExtension.class)
class RegionFailoverITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(regionFailover())
                            .build());

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Region failover (Flink's default), on the scheduler that implements it. */
    private static Configuration regionFailover() {
        Configuration config = new Configuration();
        config.set(JobManagerOptions.EXECUTION_FAILOVER_STRATEGY, "region");
        config.set(JobManagerOptions.SCHEDULER, JobManagerOptions.SchedulerType.Default);
        return config;
    }

    /** A map subtask opened, in the given attempt. */
    record Opened(int subtask, int attempt) {}

    /** A checkpoint a map subtask heard of as complete, in the given attempt. */
    record Completed(int subtask, int attempt, long checkpointId) {}

    static final Queue<Opened> OPENED = new ConcurrentLinkedQueue<>();
    static final Queue<Completed> COMPLETED = new ConcurrentLinkedQueue<>();

    /** Per subtask: fail on the next record (once). */
    static final AtomicBoolean[] ARMED = {new AtomicBoolean(), new AtomicBoolean()};

    /** Where {@link GatedSink} looks for subtask 1's open transactions. */
    static volatile String gateBootstrapServers;

    static volatile String gatePrefix;

    /** Passes records on; records its opens and completed checkpoints; fails once when armed. */
    static final class FailOnce extends RichMapFunction<String, String>
            implements CheckpointListener {
        private transient int subtask;
        private transient int attempt;

        @Override
        public void open(OpenContext context) {
            subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            OPENED.add(new Opened(subtask, attempt));
        }

        @Override
        public String map(String value) {
            if (ARMED[subtask].compareAndSet(true, false)) {
                throw new IllegalStateException("injected failure in subtask " + subtask);
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            COMPLETED.add(new Completed(subtask, attempt, checkpointId));
        }
    }

    /**
     * A {@link ConfluentSink} whose writer for a restarted subtask 0 is created only once the
     * broker lists an open transaction of subtask 1 under a generation above 0 (its restarted run).
     * The writer's lingering-transaction sweep then always finds that transaction open.
     */
    static final class GatedSink<IN>
            implements Sink<IN>,
                    SupportsCommitter<ConfluentCommittable>,
                    SupportsWriterState<IN, ConfluentWriterState> {
        private final ConfluentSink<IN> delegate;

        GatedSink(ConfluentSink<IN> delegate) {
            this.delegate = delegate;
        }

        @Override
        public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
            return restoreWriter(context, List.of());
        }

        @Override
        public StatefulSinkWriter<IN, ConfluentWriterState> restoreWriter(
                WriterInitContext context, Collection<ConfluentWriterState> restored)
                throws IOException {
            if (context.getTaskInfo().getIndexOfThisSubtask() == 0
                    && context.getTaskInfo().getAttemptNumber() >= 1) {
                Poll.until(
                        "an open transaction of subtask 1's restarted run, before subtask 0's"
                                + " writer starts",
                        WAIT,
                        () -> !openTransactionsOfSubtask1().isEmpty());
            }
            return delegate.restoreWriter(context, restored);
        }

        @Override
        public SimpleVersionedSerializer<ConfluentWriterState> getWriterStateSerializer() {
            return delegate.getWriterStateSerializer();
        }

        @Override
        public Committer<ConfluentCommittable> createCommitter(CommitterInitContext context) {
            return delegate.createCommitter(context);
        }

        @Override
        public SimpleVersionedSerializer<ConfluentCommittable> getCommittableSerializer() {
            return delegate.getCommittableSerializer();
        }
    }

    /** Open transactions on ids {@code <prefix>-<g>-1-<n>} with {@code g > 0}. */
    static List<String> openTransactionsOfSubtask1() {
        try (Admin admin =
                Admin.create(
                        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, gateBootstrapServers))) {
            Collection<TransactionListing> open =
                    admin.listTransactions(
                                    new ListTransactionsOptions()
                                            .filterStates(List.of(TransactionState.ONGOING)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
            return open.stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> idOfSubtask1InALaterGeneration(gatePrefix, id))
                    .toList();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot list the broker's open transactions", e);
        }
    }

    static boolean idOfSubtask1InALaterGeneration(String prefix, String id) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "-(\\d+)-(\\d+)-(\\d+)").matcher(id);
        return m.matches() && Long.parseLong(m.group(1)) > 0 && m.group(2).equals("1");
    }

    /** Writes distinct values to both partitions of the input in turn and keeps them. */
    static final class Feeder implements AutoCloseable {
        private final KafkaProducer<String, String> producer;
        private final String topic;
        private final List<String> sent = new ArrayList<>();

        Feeder(KafkaBroker kafka, String topic) {
            Map<String, Object> config = kafka.clientProperties();
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            this.producer = new KafkaProducer<>(config);
            this.topic = topic;
        }

        void feed(int count) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = sent.size();
                String value = "v" + n;
                sends.add(producer.send(new ProducerRecord<>(topic, n % 2, null, value)));
                sent.add(value);
            }
            for (Future<RecordMetadata> send : sends) {
                try {
                    send.get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("Cannot write the input to " + topic, e);
                }
            }
        }

        List<String> sent() {
            return sent;
        }

        @Override
        public void close() {
            producer.close();
        }
    }

    private static final Pattern ABORTED = Pattern.compile("Aborting lingering transaction (\\S+)");

    /** The ids the writers' sweeps aborted, from the captured log. */
    private static List<String> abortedIds(LogCapture.Collecting log) {
        List<String> ids = new ArrayList<>();
        for (String line : log.lines()) {
            Matcher m = ABORTED.matcher(line);
            if (m.find()) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    private static List<Integer> attempts(int subtask) {
        return OPENED.stream().filter(o -> o.subtask() == subtask).map(Opened::attempt).toList();
    }

    private static long completedInAttempt(int subtask, int minAttempt) {
        return COMPLETED.stream()
                .filter(c -> c.subtask() == subtask && c.attempt() >= minAttempt)
                .count();
    }

    private static String progress() {
        return "opened " + OPENED + "\ncompleted " + COMPLETED;
    }

    /** The job's failure if it has ended, so a wait stops at once with the cause. */
    private static Optional<Throwable> ended(JobClient job) {
        try {
            JobStatus status = job.getJobStatus().get(30, TimeUnit.SECONDS);
            if (!status.isGloballyTerminalState()) {
                return Optional.empty();
            }
            job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
            return Optional.of(new IllegalStateException("the job ended " + status));
        } catch (ExecutionException e) {
            return Optional.of(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for {@code condition} while feeding input, failing at once if the job ends. */
    private static void feedUntil(
            String what, JobClient job, Feeder feeder, BooleanSupplier condition) {
        Poll.until(
                what,
                WAIT,
                () -> {
                    feeder.feed(10);
                    ended(job)
                            .ifPresent(
                                    failure -> {
                                        throw new AssertionError(
                                                "The job ended while waiting for " + what, failure);
                                    });
                    return condition.getAsBoolean();
                },
                RegionFailoverITCase::progress);
    }

    @Test
    void aRegionFailoverNeverAbortsTheTransactionsOfTheSubtaskThatRunsOn(
            KafkaBroker kafka, TestNames names) throws Exception {
        String input = names.topic("in");
        String output = names.topic("out");
        String prefix = names.topic("tx");
        kafka.createTopic(input, 2);
        kafka.createTopic(output, 2);
        OPENED.clear();
        COMPLETED.clear();
        ARMED[0].set(false);
        ARMED[1].set(false);
        gateBootstrapServers = kafka.bootstrapServers();
        gatePrefix = prefix;

        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        config.set(JobManagerOptions.EXECUTION_FAILOVER_STRATEGY, "region");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.enableCheckpointing(300);
        env.setParallelism(2);
        ConnectionProfile profile = ConfluentSinkITCase.profile(kafka);
        // One partition per source subtask (the enumerator spreads consecutive partitions), and
        // forward edges only: each subtask's chain is a failover region of its own.
        env.fromSource(
                        ConfluentSource.<String>builder()
                                .setConnectionProfile(profile)
                                .setTopic(input)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setDeserializer(
                                        ConfluentRecordDeserializer.valueOnly(
                                                new SimpleStringSchema()))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .map(new FailOnce())
                .name("fail-once")
                .sinkTo(
                        new GatedSink<>(
                                ConfluentSink.<String>builder()
                                        .setConnectionProfile(profile)
                                        .setTopic(output)
                                        .setCommitMode(CommitMode.EXACTLY_ONCE)
                                        .setTransactionalIdPrefix(prefix)
                                        .setRecordSerializer(
                                                ConfluentRecordSerializer.valueOnly(
                                                        new SimpleStringSchema()))
                                        .build()));

        List<String> produced;
        try (LogCapture.Collecting log = LogCapture.collecting(Level.INFO);
                Feeder feeder = new Feeder(kafka, input)) {
            feeder.feed(100);
            JobClient job = env.executeAsync();
            try {
                feedUntil(
                        "two checkpoints completed in both subtasks",
                        job,
                        feeder,
                        () -> completedInAttempt(0, 0) >= 2 && completedInAttempt(1, 0) >= 2);
                ARMED[1].set(true);
                feedUntil(
                        "subtask 1 restarted and a checkpoint completed after it",
                        job,
                        feeder,
                        () -> completedInAttempt(1, 1) >= 1);
                assertThat(attempts(0))
                        .as("subtask 1's failure restarted subtask 1 alone")
                        .containsExactly(0);
                assertThat(attempts(1)).containsExactly(0, 1);

                ARMED[0].set(true);
                feedUntil(
                        "subtask 0 restarted and two checkpoints completed after it",
                        job,
                        feeder,
                        () -> completedInAttempt(0, 1) >= 2);
                produced = List.copyOf(feeder.sent());
                Poll.until(
                        produced.size() + " committed records in " + output,
                        WAIT,
                        () -> {
                            ended(job)
                                    .ifPresent(
                                            failure -> {
                                                throw new AssertionError(
                                                        "The job ended while draining", failure);
                                            });
                            return kafka.readCommittedValues(output).size() >= produced.size();
                        },
                        () -> "seen " + kafka.readCommittedValues(output).size());
            } finally {
                if (!job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()) {
                    job.cancel().get(2, TimeUnit.MINUTES);
                }
            }

            List<String> aborted = abortedIds(log);
            System.out.println("Aborted lingering transactions: " + aborted);
            assertThat(aborted)
                    .as("subtask 0's restart aborted none of subtask 1's live ids")
                    .noneMatch(id -> idOfSubtask1InALaterGeneration(prefix, id));
            assertThat(attempts(1)).as("subtask 1 failed only once").containsExactly(0, 1);
            assertThat(attempts(0))
                    .as("subtask 0's failure restarted subtask 0 alone")
                    .containsExactly(0, 1);
            assertThat(log.containing("The broker ended the transaction")).isEmpty();
            assertThat(log.containing("Data loss")).isEmpty();
        }
        ConfluentSinkITCase.assertExactly(kafka.readCommittedValues(output), produced);
    }
}
