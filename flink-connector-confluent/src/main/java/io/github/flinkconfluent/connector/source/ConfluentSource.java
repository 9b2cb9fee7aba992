package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.ConfluentConnectorOptions;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.options.BadDataPolicy;
import io.github.flinkconfluent.connector.options.BoundedMode;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.options.OffsetOutOfRangePolicy;
import io.github.flinkconfluent.connector.options.ReadMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.connector.source.enumerator.AdminPartitionMetadataClient;
import io.github.flinkconfluent.connector.source.enumerator.ConfluentSourceEnumState;
import io.github.flinkconfluent.connector.source.enumerator.ConfluentSourceEnumStateSerializer;
import io.github.flinkconfluent.connector.source.enumerator.ConfluentSourceEnumerator;
import io.github.flinkconfluent.connector.source.reader.ConfluentFetcherManager;
import io.github.flinkconfluent.connector.source.reader.ConfluentPartitionSplitReader;
import io.github.flinkconfluent.connector.source.reader.ConfluentRecordEmitter;
import io.github.flinkconfluent.connector.source.reader.ConfluentSourceReader;
import io.github.flinkconfluent.connector.source.reader.DeadLetterWriter;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplitSerializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A FLIP-27 source for Kafka topics on Confluent (one, several, or those matching a pattern): one
 * split per partition, positions in Flink checkpoints (exactly-once with any restart and any
 * parallelism change), optional bounded reads, partition discovery, and committed group offsets for
 * monitoring.
 *
 * <pre>{@code
 * ConfluentSource<RowData> source = ConfluentSource.<RowData>builder()
 *         .setConnectionProfile(profile)
 *         .setTopic("orders")
 *         .setStartingOffset(OffsetMode.EARLIEST)
 *         .setReadMode(ReadMode.READ_COMMITTED)
 *         .setDeserializer(deserializer)
 *         .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders");
 * }</pre>
 *
 * <p>Secrets of the profile stay {@code {{ENV_VAR}}} templates inside this object (and so in the
 * job graph); they are resolved on the JobManager and TaskManagers when a client is created.
 */
@PublicEvolving
public final class ConfluentSource<T>
        implements Source<T, ConfluentPartitionSplit, ConfluentSourceEnumState>,
                ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final ConnectionProfile profile;
    private final Configuration options;
    private final ConfluentRecordDeserializer<T> deserializer;
    private final boolean bounded;
    private final String groupId;

    /**
     * The first split each partition got, kept for the life of this object on the JobManager: the
     * {@code SourceCoordinatorProvider} holds this object and asks it for a new enumerator on each
     * global failover, so a partition that no checkpoint holds yet is read again from where it
     * first started instead of from a newly resolved "latest" (see {@link
     * ConfluentSourceEnumerator}). Not serialized: a new job, or a JobManager failover, starts
     * afresh, as it starts without a checkpoint.
     */
    private transient volatile Map<TopicPartition, ConfluentPartitionSplit> firstSplits;

    private ConfluentSource(
            ConnectionProfile profile,
            Configuration options,
            ConfluentRecordDeserializer<T> deserializer,
            boolean bounded,
            String groupId) {
        this.profile = profile;
        this.options = options;
        this.deserializer = deserializer;
        this.bounded = bounded;
        this.groupId = groupId;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    @Override
    public Boundedness getBoundedness() {
        return bounded ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<T, ConfluentPartitionSplit> createReader(SourceReaderContext context)
            throws Exception {
        Map<String, String> kafkaProperties = consumerProperties(context.getIndexOfSubtask());
        Map<TopicPartition, Long> lag = ConfluentPartitionSplitReader.newLagMap();
        deserializer.open(initializationContext(context));
        DeadLetterWriter deadLetters =
                SourceSettings.deadLetterTopic(options)
                        .map(
                                dlq ->
                                        new DeadLetterWriter(
                                                dlq,
                                                profile.kafkaProperties(),
                                                groupId + "-dlq-" + context.getIndexOfSubtask()))
                        .orElse(null);
        Counter routed = context.metricGroup().counter("badRecordsRouted");
        Map<WireFormatException.Reason, Counter> routedByReason =
                new EnumMap<>(WireFormatException.Reason.class);
        ConfluentRecordEmitter<T> emitter =
                new ConfluentRecordEmitter<>(
                        deserializer,
                        options.get(ConfluentConnectorOptions.BAD_DATA),
                        context.metricGroup().getNumRecordsInErrorsCounter(),
                        context.metricGroup().counter("badRecordsDropped"),
                        context.metricGroup().counter("offsetOutOfRangeSkippedRecords"),
                        context.metricGroup().getIOMetricGroup().getNumRecordsInCounter(),
                        deadLetters,
                        reason ->
                                routedByReason.computeIfAbsent(
                                        reason,
                                        r ->
                                                new BothCounters(
                                                        routed,
                                                        context.metricGroup()
                                                                .addGroup("reason", r.name())
                                                                .counter("badRecordsRouted"))));
        OffsetOutOfRangePolicy outOfRange =
                options.get(ConfluentConnectorOptions.SOURCE_OFFSET_OUT_OF_RANGE);
        ConfluentFetcherManager fetcherManager =
                new ConfluentFetcherManager(
                        () -> new ConfluentPartitionSplitReader(kafkaProperties, lag, outOfRange),
                        options);
        return new ConfluentSourceReader<>(
                fetcherManager,
                emitter,
                options,
                context,
                options.get(ConfluentConnectorOptions.SOURCE_COMMIT_OFFSETS),
                lag,
                deserializer::close,
                deadLetters);
    }

    @Override
    public SplitEnumerator<ConfluentPartitionSplit, ConfluentSourceEnumState> createEnumerator(
            SplitEnumeratorContext<ConfluentPartitionSplit> context) {
        return restoreEnumerator(context, null);
    }

    @Override
    public SplitEnumerator<ConfluentPartitionSplit, ConfluentSourceEnumState> restoreEnumerator(
            SplitEnumeratorContext<ConfluentPartitionSplit> context,
            ConfluentSourceEnumState checkpoint) {
        ConfluentSourceEnumerator.Settings settings =
                new ConfluentSourceEnumerator.Settings(
                        SourceSettings.topics(options),
                        SourceSettings.startingOffsets(options),
                        SourceSettings.stoppingOffsets(options, bounded),
                        SourceSettings.readCommitted(options),
                        options.get(ConfluentConnectorOptions.SOURCE_PARTITION_DISCOVERY_INTERVAL),
                        groupId);
        ConnectionProfile connection = profile;
        return new ConfluentSourceEnumerator(
                context,
                settings,
                () ->
                        new AdminPartitionMetadataClient(
                                connection.kafkaProperties(), connection.describe()),
                firstSplits(),
                checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<ConfluentPartitionSplit> getSplitSerializer() {
        return new ConfluentPartitionSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<ConfluentSourceEnumState> getEnumeratorCheckpointSerializer() {
        return new ConfluentSourceEnumStateSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }

    private Map<TopicPartition, ConfluentPartitionSplit> firstSplits() {
        Map<TopicPartition, ConfluentPartitionSplit> splits = firstSplits;
        if (splits == null) {
            synchronized (this) {
                if (firstSplits == null) {
                    firstSplits = new ConcurrentHashMap<>();
                }
                splits = firstSplits;
            }
        }
        return splits;
    }

    /** The consumer group this source reports its offsets to. */
    public String groupId() {
        return groupId;
    }

    private Map<String, String> consumerProperties(int subtask) {
        Map<String, String> properties = new HashMap<>(profile.kafkaProperties());
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        properties.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                SourceSettings.readCommitted(options) ? "read_committed" : "read_uncommitted");
        properties.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-" + subtask);
        return properties;
    }

    private static DeserializationSchema.InitializationContext initializationContext(
            SourceReaderContext context) {
        return new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return context.metricGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return new UserCodeClassLoader() {
                    @Override
                    public ClassLoader asClassLoader() {
                        return Thread.currentThread().getContextClassLoader();
                    }

                    @Override
                    public void registerReleaseHookIfAbsent(
                            String releaseHookName, Runnable releaseHook) {}
                };
            }
        };
    }

    /**
     * Builds a {@link ConfluentSource}. Setters write the same typed options as the SQL connector;
     * {@link #build()} checks them together.
     */
    @PublicEvolving
    public static final class Builder<T> {
        private final Configuration options = new Configuration();
        private ConnectionProfile profile;
        private ConfluentRecordDeserializer<T> deserializer;
        private Boolean bounded;

        private Builder() {}

        /**
         * The Kafka cluster and Schema Registry to use, with their credentials (see {@code
         * ConnectionProfiles}). Required.
         */
        public Builder<T> setConnectionProfile(ConnectionProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** The topic to read ({@code topic}). One of setTopic, setTopics, setTopicPattern. */
        public Builder<T> setTopic(String topic) {
            return set(ConfluentConnectorOptions.TOPIC, Objects.requireNonNull(topic, "topic"));
        }

        /**
         * Read several topics; each record's topic is in {@code ConsumerRecord#topic()}. Instead of
         * {@link #setTopic}.
         */
        public Builder<T> setTopics(String... topics) {
            for (String topic : topics) {
                if (topic == null || topic.isBlank() || topic.contains(";")) {
                    throw new IllegalArgumentException("Not a topic name: '" + topic + "'");
                }
            }
            return set(ConfluentConnectorOptions.TOPIC, String.join(";", topics));
        }

        /**
         * Read every topic whose whole name matches {@code regex}, also topics created later (found
         * by partition discovery, from their beginning). Instead of {@link #setTopic}.
         */
        public Builder<T> setTopicPattern(String regex) {
            return set(
                    ConfluentConnectorOptions.TOPIC_PATTERN,
                    Objects.requireNonNull(regex, "regex"));
        }

        /**
         * Where partitions start when the job starts without a checkpoint ({@code source.offset}).
         * Default: {@link OffsetMode#LATEST}; with {@code GROUP} or {@code SPECIFIC_OFFSETS},
         * partitions without an offset start at the earliest ({@code source.offset.fallback}).
         */
        public Builder<T> setStartingOffset(OffsetMode mode) {
            return set(ConfluentConnectorOptions.SOURCE_OFFSET, mode);
        }

        /**
         * Start each partition at its first record at or after {@code epochMillis} (else at its
         * end). Default: see {@link #setStartingOffset}.
         */
        public Builder<T> setStartingTimestamp(long epochMillis) {
            set(ConfluentConnectorOptions.SOURCE_OFFSET, OffsetMode.TIMESTAMP);
            return set(ConfluentConnectorOptions.SOURCE_OFFSET_TIMESTAMP, epochMillis);
        }

        /**
         * Start at these offsets (partition number to offset); others use the fallback (default:
         * earliest). One topic only. Default: see {@link #setStartingOffset}.
         */
        public Builder<T> setSpecificStartingOffsets(Map<Integer, Long> offsets) {
            set(ConfluentConnectorOptions.SOURCE_OFFSET, OffsetMode.SPECIFIC_OFFSETS);
            return set(ConfluentConnectorOptions.SOURCE_OFFSET_SPECIFIC, offsetsText(offsets));
        }

        /**
         * Whether records of open or aborted transactions are read ({@code source.read_mode}).
         * Default: {@link ReadMode#READ_UNCOMMITTED}, as Kafka's consumer; use {@code
         * READ_COMMITTED} behind an exactly-once producer.
         */
        public Builder<T> setReadMode(ReadMode mode) {
            return set(ConfluentConnectorOptions.SOURCE_READ_MODE, mode);
        }

        /**
         * The consumer group the checkpointed offsets are committed to, for monitoring ({@code
         * source.group_id}); it never decides where a restored job reads. Default: {@code
         * flink-confluent-<topic or pattern>}, characters outside {@code A-Za-z0-9._-} replaced by
         * {@code _} (the same rule as SQL, which names the table).
         */
        public Builder<T> setGroupId(String groupId) {
            return set(ConfluentConnectorOptions.SOURCE_GROUP_ID, groupId);
        }

        /**
         * Stop ({@code true}) at the end offsets seen at start, unless a stopping mode is set
         * already (e.g. {@link #setStoppingTimestamp}); or read forever. Default: unbounded.
         */
        public Builder<T> setBounded(boolean bounded) {
            this.bounded = bounded;
            BoundedMode mode =
                    options.getOptional(ConfluentConnectorOptions.SOURCE_BOUNDED)
                            .orElse(BoundedMode.UNBOUNDED);
            if (bounded && mode != BoundedMode.UNBOUNDED) {
                return this;
            }
            return set(
                    ConfluentConnectorOptions.SOURCE_BOUNDED,
                    bounded ? BoundedMode.LATEST : BoundedMode.UNBOUNDED);
        }

        /**
         * Stop each partition before its first record at or after {@code epochMillis}. Default:
         * unbounded.
         */
        public Builder<T> setStoppingTimestamp(long epochMillis) {
            this.bounded = true;
            set(ConfluentConnectorOptions.SOURCE_BOUNDED, BoundedMode.TIMESTAMP);
            return set(ConfluentConnectorOptions.SOURCE_BOUNDED_TIMESTAMP, epochMillis);
        }

        /**
         * Stop before these offsets (partition number to offset, exclusive); partitions not given
         * are not read. One topic only. Default: unbounded.
         */
        public Builder<T> setSpecificStoppingOffsets(Map<Integer, Long> offsets) {
            this.bounded = true;
            set(ConfluentConnectorOptions.SOURCE_BOUNDED, BoundedMode.SPECIFIC_OFFSETS);
            return set(ConfluentConnectorOptions.SOURCE_BOUNDED_SPECIFIC, offsetsText(offsets));
        }

        private static String offsetsText(Map<Integer, Long> offsets) {
            StringBuilder text = new StringBuilder();
            offsets.forEach(
                    (p, o) ->
                            text.append("partition:")
                                    .append(p)
                                    .append(",offset:")
                                    .append(o)
                                    .append(';'));
            return text.toString();
        }

        /**
         * How often new partitions (and, with a pattern, new topics) are looked for ({@code
         * source.partition_discovery.interval}). Default: 1 minute; zero turns discovery off.
         */
        public Builder<T> setPartitionDiscoveryInterval(Duration interval) {
            return set(ConfluentConnectorOptions.SOURCE_PARTITION_DISCOVERY_INTERVAL, interval);
        }

        /**
         * Whether each completed checkpoint's offsets are committed to the consumer group, so lag
         * tools see progress ({@code source.commit_offsets}). Default: true.
         */
        public Builder<T> setCommitOffsets(boolean commit) {
            return set(ConfluentConnectorOptions.SOURCE_COMMIT_OFFSETS, commit);
        }

        /**
         * What happens to a record the deserializer cannot decode ({@code bad_data}). Default:
         * {@link BadDataPolicy#FAIL}, the job fails naming topic, partition and offset.
         */
        public Builder<T> setBadDataPolicy(BadDataPolicy policy) {
            return set(ConfluentConnectorOptions.BAD_DATA, policy);
        }

        /**
         * The dead-letter topic of {@link BadDataPolicy#DLQ} ({@code bad_data.topic}): an existing
         * topic on the same connection that receives each undecodable record with provenance
         * headers. Set together with {@code setBadDataPolicy(BadDataPolicy.DLQ)}.
         */
        public Builder<T> setBadDataTopic(String topic) {
            return set(
                    ConfluentConnectorOptions.BAD_DATA_TOPIC,
                    Objects.requireNonNull(topic, "topic"));
        }

        /**
         * What to do when the next offset to read was deleted before the source got there (or is
         * beyond the end of a recreated topic); {@link OffsetOutOfRangePolicy#FAIL} by default.
         */
        public Builder<T> setOffsetOutOfRangePolicy(OffsetOutOfRangePolicy policy) {
            return set(
                    ConfluentConnectorOptions.SOURCE_OFFSET_OUT_OF_RANGE,
                    Objects.requireNonNull(policy, "policy"));
        }

        /** Turns each Kafka record into zero or more values. Required. */
        public Builder<T> setDeserializer(ConfluentRecordDeserializer<T> deserializer) {
            this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
            return this;
        }

        /**
         * Any other option of {@link ConfluentConnectorOptions}, with the default given there (and
         * in docs/source.md).
         */
        public <V> Builder<T> set(ConfigOption<V> option, V value) {
            options.set(Objects.requireNonNull(option, "option"), value);
            return this;
        }

        /**
         * Not for users: the SQL table factory hands over the options it has validated (the
         * builder's setters may follow). DataStream jobs use the typed setters or {@link #set}.
         */
        @Internal
        public Builder<T> setAll(Configuration validated) {
            options.addAll(validated);
            return this;
        }

        /**
         * Checks the options together (a topic, a deserializer, complete start and stop offsets, a
         * dead-letter topic only with {@code dlq}) and returns the source. Contacts nothing: the
         * brokers and the registry are first reached when the job runs (the enumerator lists
         * partitions, the readers fetch).
         */
        public ConfluentSource<T> build() {
            if (profile == null) {
                throw new IllegalArgumentException(
                        "No connection: call setConnectionProfile(...) (bootstrap servers,"
                                + " credentials, registry)");
            }
            if (options.getOptional(ConfluentConnectorOptions.TOPIC).isEmpty()
                    && options.getOptional(ConfluentConnectorOptions.TOPIC_PATTERN).isEmpty()) {
                throw new IllegalArgumentException(
                        "No topic: call setTopic(...), setTopics(...) or setTopicPattern(...)");
            }
            if (deserializer == null) {
                throw new IllegalArgumentException(
                        "No deserializer: call setDeserializer(...) to turn records into values");
            }
            SourceSettings.topics(options);
            SourceSettings.startingOffsets(options); // fails early on incomplete offsets
            SourceSettings.deadLetterTopic(options);
            boolean isBounded = bounded != null ? bounded : SourceSettings.bounded(options, false);
            SourceSettings.stoppingOffsets(options, isBounded);
            String groupId =
                    SourceSettings.groupId(
                            options,
                            options.getOptional(ConfluentConnectorOptions.TOPIC)
                                    .orElseGet(
                                            () ->
                                                    options.get(
                                                            ConfluentConnectorOptions
                                                                    .TOPIC_PATTERN)));
            return new ConfluentSource<>(profile, options, deserializer, isBounded, groupId);
        }
    }

    /** Counts a routed record in the total and in its reason's counter. */
    private static final class BothCounters implements Counter {
        private final Counter total;
        private final Counter reason;

        BothCounters(Counter total, Counter reason) {
            this.total = total;
            this.reason = reason;
        }

        @Override
        public void inc() {
            total.inc();
            reason.inc();
        }

        @Override
        public void inc(long n) {
            total.inc(n);
            reason.inc(n);
        }

        @Override
        public void dec() {
            total.dec();
            reason.dec();
        }

        @Override
        public void dec(long n) {
            total.dec(n);
            reason.dec(n);
        }

        @Override
        public long getCount() {
            return total.getCount();
        }
    }
}
