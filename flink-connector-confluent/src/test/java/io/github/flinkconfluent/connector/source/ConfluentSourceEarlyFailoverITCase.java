package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.Sends;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failovers before the first checkpoint completed, when the only record of where each partition
 * starts is the split the enumerator created. Whatever the starting offset mode, a restart must
 * read every partition again from the offset it first started at: re-resolving "latest" at the
 * restart would silently skip the records written between the first start and the restart.
 *
 * <p>Checkpointing is off, so no checkpoint completes. The values are "partition:offset", so the
 * assertion can name exactly which offsets were lost.
 */
@ExtendWith(ConfluentServicesExtension.class)
class ConfluentSourceEarlyFailoverITCase {

    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);
    private static final int PARTITIONS = 4;

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(3)
                            .build());

    /** A subtask fails: Flink restarts its region only, and gives its splits back. */
    @ParameterizedTest
    @EnumSource(
            value = OffsetMode.class,
            names = {"EARLIEST", "LATEST"})
    void aSubtaskFailingBeforeTheFirstCheckpointRereadsFromItsFirstStart(
            OffsetMode mode, KafkaBroker kafka, TestNames names) throws Exception {
        run(mode, kafka, names.topic("region-" + mode), false);
    }

    /**
     * A coordinator fails: Flink restarts the whole job and, with no checkpoint, creates the split
     * enumerator afresh.
     */
    @ParameterizedTest
    @EnumSource(
            value = OffsetMode.class,
            names = {"EARLIEST", "LATEST"})
    void aGlobalFailoverBeforeTheFirstCheckpointRereadsFromTheFirstStart(
            OffsetMode mode, KafkaBroker kafka, TestNames names) throws Exception {
        run(mode, kafka, names.topic("global-" + mode), true);
    }

    private static void run(OffsetMode mode, KafkaBroker kafka, String topic, boolean global)
            throws Exception {
        kafka.createTopic(topic, PARTITIONS);
        String view = topic;
        StateBackedCollector.reset(view);
        Failures.reset();
        // Already there: read with 'earliest', never with 'latest'.
        produce(kafka, topic, "old", 40);

        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        // No checkpointing: no checkpoint can complete, whatever the timing. (With checkpoints
        // enabled the first one is triggered at a random point of the interval, and right after
        // every restart.) Failovers take the same paths without a checkpoint to restore.
        env.setParallelism(2);
        env.fromSource(
                        ConfluentSource.<String>builder()
                                .setConnectionProfile(
                                        ConnectionProfiles.resolve(
                                                null,
                                                new Configuration(),
                                                Map.of(
                                                        "bootstrap.servers",
                                                        kafka.bootstrapServers())))
                                .setTopic(topic)
                                .setStartingOffset(mode)
                                .setDeserializer(new PartitionAndOffset())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .map(new FailOnceWhenArmed())
                .map(new StateBackedCollector(view))
                .sinkTo(new DiscardingSink<>());
        if (global) {
            env.fromSource(
                            new GlobalFailureSource(),
                            WatermarkStrategy.noWatermarks(),
                            "global-failure")
                    .setParallelism(1)
                    .sinkTo(new DiscardingSink<>())
                    .setParallelism(1);
        }
        JobClient job = env.executeAsync();
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            // One record per partition per poll, until every partition was read: then every
            // split is assigned and positioned, wherever 'latest' put it.
            Poll.until(
                    "a record of every partition",
                    JOB_TIMEOUT,
                    () -> {
                        produce(kafka, topic, "probe", PARTITIONS);
                        return firstSeen(StateBackedCollector.values(view)).size() == PARTITIONS;
                    });
            Map<Integer, Long> firstSeen = firstSeen(StateBackedCollector.values(view));

            if (global) {
                Failures.GLOBAL.complete(null);
            } else {
                Failures.arm(50);
            }
            produce(kafka, topic, "after", 400);
            Map<Integer, Long> ends = endOffsets(admin, topic);
            long expected =
                    firstSeen.entrySet().stream()
                            .mapToLong(e -> ends.get(e.getKey()) - e.getValue())
                            .sum();
            Poll.until(
                    "every record from where each partition first started",
                    JOB_TIMEOUT,
                    () ->
                            Failures.COUNT.get() == 1
                                    && StateBackedCollector.values(view).size() >= expected,
                    () ->
                            "failures "
                                    + Failures.COUNT.get()
                                    + "; "
                                    + describe(StateBackedCollector.values(view), firstSeen, ends));

            assertThat(Failures.COUNT.get()).as("one failure was injected").isEqualTo(1);
            Map<Integer, List<Long>> seen = byPartition(StateBackedCollector.values(view));
            for (int p = 0; p < PARTITIONS; p++) {
                List<Long> exact = new ArrayList<>();
                for (long o = firstSeen.get(p); o < ends.get(p); o++) {
                    exact.add(o);
                }
                assertThat(seen.get(p))
                        .as("offsets of partition %d, exactly once from %d", p, firstSeen.get(p))
                        .containsExactlyInAnyOrderElementsOf(exact);
            }
            if (mode == OffsetMode.EARLIEST) {
                assertThat(firstSeen).allSatisfy((p, offset) -> assertThat(offset).isZero());
            } else {
                assertThat(firstSeen)
                        .as("'latest' skipped what was there before the start")
                        .allSatisfy((p, offset) -> assertThat(offset).isPositive());
            }
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
    }

    private static void produce(KafkaBroker kafka, String topic, String prefix, int count) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < count; i++) {
                sends.add(
                        producer.send(
                                new ProducerRecord<>(topic, i % PARTITIONS, null, prefix + i)));
            }
            Sends.confirm(sends);
        }
    }

    private static Map<Integer, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> request =
                new TreeMap<>(java.util.Comparator.comparingInt(TopicPartition::partition));
        for (int p = 0; p < PARTITIONS; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(request).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset()));
    }

    private static Map<Integer, List<Long>> byPartition(List<String> values) {
        Map<Integer, List<Long>> byPartition = new TreeMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            byPartition.put(p, new ArrayList<>());
        }
        for (String value : values) {
            String[] parts = value.split(":");
            byPartition.get(Integer.parseInt(parts[0])).add(Long.parseLong(parts[1]));
        }
        return byPartition;
    }

    private static Map<Integer, Long> firstSeen(List<String> values) {
        Map<Integer, Long> first = new TreeMap<>();
        byPartition(values)
                .forEach(
                        (p, offsets) ->
                                offsets.stream()
                                        .min(Long::compare)
                                        .ifPresent(min -> first.put(p, min)));
        return first;
    }

    /** Per partition: how many offsets were seen, and the first missing one. */
    private static String describe(
            List<String> values, Map<Integer, Long> firstSeen, Map<Integer, Long> ends) {
        StringBuilder text = new StringBuilder("seen " + values.size() + ":");
        byPartition(values)
                .forEach(
                        (p, offsets) -> {
                            java.util.Set<Long> set = new java.util.HashSet<>(offsets);
                            long missing = -1;
                            long missingCount = 0;
                            for (long o = firstSeen.get(p); o < ends.get(p); o++) {
                                if (!set.contains(o)) {
                                    missingCount++;
                                    if (missing < 0) {
                                        missing = o;
                                    }
                                }
                            }
                            text.append(
                                    String.format(
                                            " p%d: %d seen, %d of [%d, %d) missing (first %d);",
                                            p,
                                            offsets.size(),
                                            missingCount,
                                            firstSeen.get(p),
                                            ends.get(p),
                                            missing));
                        });
        return text.toString();
    }

    /** "partition:offset" of each record. */
    private static final class PartitionAndOffset implements ConfluentRecordDeserializer<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
            out.collect(record.partition() + ":" + record.offset());
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    /** The injected failures, counted across attempts. */
    private static final class Failures {
        static final AtomicInteger COUNT = new AtomicInteger();

        /** Completed by the test: the global failure source then fails its coordinator once. */
        static volatile CompletableFuture<Void> GLOBAL = new CompletableFuture<>();

        static final AtomicBoolean GLOBAL_FIRED = new AtomicBoolean();
        private static final AtomicInteger COUNTDOWN = new AtomicInteger();

        static void reset() {
            COUNT.set(0);
            COUNTDOWN.set(0);
            GLOBAL = new CompletableFuture<>();
            GLOBAL_FIRED.set(false);
        }

        static void arm(int records) {
            COUNTDOWN.set(records);
        }
    }

    /** Fails one subtask once, on the n-th record after {@link Failures#arm(int)}. */
    private static final class FailOnceWhenArmed extends RichMapFunction<String, String> {
        @Override
        public String map(String value) {
            if (Failures.COUNTDOWN.get() > 0 && Failures.COUNTDOWN.decrementAndGet() == 0) {
                Failures.COUNT.incrementAndGet();
                throw new RuntimeException("injected task failure");
            }
            return value;
        }
    }

    /**
     * Emits nothing; once the test completes {@link Failures#GLOBAL}, its reader asks its
     * enumerator to fail, and a failing coordinator makes Flink restart the whole job (a global
     * failover: every coordinator is reset to the last checkpoint, here to none).
     */
    private static final class GlobalFailureSource implements Source<String, NoSplit, Void> {

        @Override
        public Boundedness getBoundedness() {
            return Boundedness.CONTINUOUS_UNBOUNDED;
        }

        @Override
        public SplitEnumerator<NoSplit, Void> createEnumerator(
                SplitEnumeratorContext<NoSplit> context) {
            return new FailingEnumerator();
        }

        @Override
        public SplitEnumerator<NoSplit, Void> restoreEnumerator(
                SplitEnumeratorContext<NoSplit> context, Void checkpoint) {
            return new FailingEnumerator();
        }

        @Override
        public SimpleVersionedSerializer<NoSplit> getSplitSerializer() {
            return new NoSplitSerializer();
        }

        @Override
        public SimpleVersionedSerializer<Void> getEnumeratorCheckpointSerializer() {
            return new VoidSerializer();
        }

        @Override
        public SourceReader<String, NoSplit> createReader(SourceReaderContext context) {
            return new SignallingReader(context);
        }
    }

    private static final class FailNow implements SourceEvent {
        private static final long serialVersionUID = 1L;
    }

    private static final class FailingEnumerator implements SplitEnumerator<NoSplit, Void> {
        @Override
        public void start() {}

        @Override
        public void handleSplitRequest(int subtaskId, String requesterHostname) {}

        @Override
        public void addSplitsBack(List<NoSplit> splits, int subtaskId) {}

        @Override
        public void addReader(int subtaskId) {}

        @Override
        public void handleSourceEvent(int subtaskId, SourceEvent sourceEvent) {
            if (sourceEvent instanceof FailNow) {
                Failures.COUNT.incrementAndGet();
                throw new RuntimeException("injected coordinator failure");
            }
        }

        @Override
        public Void snapshotState(long checkpointId) {
            return null;
        }

        @Override
        public void close() {}
    }

    private static final class SignallingReader implements SourceReader<String, NoSplit> {
        private final SourceReaderContext context;

        SignallingReader(SourceReaderContext context) {
            this.context = context;
        }

        @Override
        public void start() {}

        @Override
        public InputStatus pollNext(ReaderOutput<String> output) {
            if (Failures.GLOBAL.isDone() && Failures.GLOBAL_FIRED.compareAndSet(false, true)) {
                context.sendSourceEventToCoordinator(new FailNow());
            }
            return InputStatus.NOTHING_AVAILABLE;
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return Failures.GLOBAL_FIRED.get() ? new CompletableFuture<>() : Failures.GLOBAL;
        }

        @Override
        public List<NoSplit> snapshotState(long checkpointId) {
            return List.of();
        }

        @Override
        public void addSplits(List<NoSplit> splits) {}

        @Override
        public void notifyNoMoreSplits() {}

        @Override
        public void close() {}
    }

    private static final class NoSplit implements SourceSplit {
        @Override
        public String splitId() {
            return "none";
        }
    }

    private static final class NoSplitSerializer implements SimpleVersionedSerializer<NoSplit> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(NoSplit split) {
            return new byte[0];
        }

        @Override
        public NoSplit deserialize(int version, byte[] serialized) {
            return new NoSplit();
        }
    }

    private static final class VoidSerializer implements SimpleVersionedSerializer<Void> {
        @Override
        public int getVersion() {
            return 1;
        }

        @Override
        public byte[] serialize(Void obj) {
            return new byte[0];
        }

        @Override
        public Void deserialize(int version, byte[] serialized) {
            return null;
        }
    }
}
