package io.github.flinkconfluent.connector.sink;

import io.github.flinkconfluent.connector.ConfluentConnectorOptions;
import io.github.flinkconfluent.connector.options.CommitMode;
import io.github.flinkconfluent.connector.options.LostTransactionPolicy;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.record.ConfluentRecordSerializer;
import io.github.flinkconfluent.connector.sink.internal.Committing;
import io.github.flinkconfluent.connector.sink.internal.ConfluentCommittable;
import io.github.flinkconfluent.connector.sink.internal.ConfluentCommittableSerializer;
import io.github.flinkconfluent.connector.sink.internal.ConfluentWriter;
import io.github.flinkconfluent.connector.sink.internal.ConfluentWriterState;
import io.github.flinkconfluent.connector.sink.internal.ConfluentWriterStateSerializer;
import io.github.flinkconfluent.connector.sink.internal.SinkPartitioners;
import io.github.flinkconfluent.connector.sink.internal.TransactionInspector;
import io.github.flinkconfluent.connector.util.ConnectorClassLoader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.metrics.scope.ScopeFormat;

import org.apache.kafka.clients.producer.ProducerConfig;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sink to a Kafka topic on Confluent, exactly-once through Kafka transactions committed when a
 * Flink checkpoint completes, or at-least-once.
 *
 * <pre>
 *   records ──▶ ConfluentWriter (per subtask) ──committables──▶ Committing
 *               │ exactly_once: one transaction per        │ on checkpoint complete:
 *               │ checkpoint, flushed at the barrier        │ commit (with the live producer, or
 *               │ (pre-commit); ids from a small pool       │ resumed from the checkpoint after a
 *               │ at_least_once: flush at the barrier       │ restart; "already committed" known)
 * </pre>
 *
 * <pre>{@code
 * ConfluentSink<String> sink = ConfluentSink.<String>builder()
 *         .setConnectionProfile(profile)
 *         .setTopic("orders-out")
 *         .setCommitMode(CommitMode.EXACTLY_ONCE)
 *         .setRecordSerializer(ConfluentRecordSerializer.valueOnly(new SimpleStringSchema()))
 *         .build();
 * stream.sinkTo(sink);
 * }</pre>
 *
 * <p>Exactly-once needs checkpointing; readers see the data when the checkpoint completes, and only
 * with {@code isolation.level = read_committed}.
 */
@PublicEvolving
public final class ConfluentSink<IN>
        implements Sink<IN>,
                SupportsCommitter<ConfluentCommittable>,
                SupportsWriterState<IN, ConfluentWriterState> {

    private static final long serialVersionUID = 1L;

    private final ConnectionProfile profile;
    private final Configuration options;
    private final ConfluentRecordSerializer<IN> serializer;

    private ConfluentSink(
            ConnectionProfile profile,
            Configuration options,
            ConfluentRecordSerializer<IN> serializer) {
        this.profile = profile;
        this.options = options;
        this.serializer = serializer;
    }

    public static <IN> Builder<IN> builder() {
        return new Builder<>();
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    public StatefulSinkWriter<IN, ConfluentWriterState> restoreWriter(
            WriterInitContext context, Collection<ConfluentWriterState> restored)
            throws IOException {
        try {
            return new ConfluentWriter<>(
                    profile.kafkaProperties(),
                    options.get(ConfluentConnectorOptions.TOPIC),
                    serializer,
                    exactlyOnce(),
                    transactionalIdPrefix(context),
                    options.get(ConfluentConnectorOptions.SINK_TRANSACTION_TIMEOUT),
                    options.get(ConfluentConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS),
                    options.get(ConfluentConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL),
                    SinkPartitioners.create(
                            options.get(ConfluentConnectorOptions.SINK_PARTITIONER),
                            context.getUserCodeClassLoader().asClassLoader()),
                    context,
                    restored);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Cannot start the writer of topic " + topic(), e);
        }
    }

    @Override
    public SimpleVersionedSerializer<ConfluentWriterState> getWriterStateSerializer() {
        return new ConfluentWriterStateSerializer();
    }

    @Override
    public Committer<ConfluentCommittable> createCommitter(CommitterInitContext context) {
        Map<String, String> properties = new HashMap<>(profile.kafkaProperties());
        properties.put(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                String.valueOf(
                        options.get(ConfluentConnectorOptions.SINK_TRANSACTION_TIMEOUT)
                                .toMillis()));
        return new Committing(
                properties,
                topic(),
                options.get(ConfluentConnectorOptions.SINK_ON_LOST_TRANSACTION),
                context.metricGroup().counter("numLostTransactions"));
    }

    @Override
    public SimpleVersionedSerializer<ConfluentCommittable> getCommittableSerializer() {
        return new ConfluentCommittableSerializer();
    }

    private boolean exactlyOnce() {
        return options.get(ConfluentConnectorOptions.SINK_COMMIT_MODE) == CommitMode.EXACTLY_ONCE;
    }

    private String topic() {
        return options.get(ConfluentConnectorOptions.TOPIC);
    }

    /**
     * The configured prefix, or one unique to this job and this sink operator. The operator id
     * (from the operator's uid, or Flink's hash of its place in the topology) tells apart sinks
     * that run in one chain — one task name — as a statement set writing two tables does; it is the
     * same in every subtask and every restart of the job.
     */
    private String transactionalIdPrefix(WriterInitContext context) {
        return options.getOptional(ConfluentConnectorOptions.SINK_TRANSACTIONAL_ID_PREFIX)
                .orElseGet(
                        () ->
                                "flink-confluent-"
                                        + context.getJobInfo().getJobId()
                                        + "-"
                                        + operatorId(context));
    }

    private static String operatorId(WriterInitContext context) {
        String id = context.metricGroup().getAllVariables().get(ScopeFormat.SCOPE_OPERATOR_ID);
        if (id == null || id.isEmpty()) {
            throw new IllegalStateException(
                    "Flink did not provide the sink's operator id, from which the default"
                            + " transactional id prefix is derived; set"
                            + " 'sink.transactional_id_prefix' (setTransactionalIdPrefix)");
        }
        return id;
    }

    /**
     * Builds a {@link ConfluentSink}. Setters write the same typed options as the SQL connector;
     * {@link #build()} checks them together.
     */
    @PublicEvolving
    public static final class Builder<IN> {
        private final Configuration options = new Configuration();
        private ConnectionProfile profile;
        private ConfluentRecordSerializer<IN> serializer;

        private Builder() {}

        /**
         * The Kafka cluster and Schema Registry to use, with their credentials (see {@code
         * ConnectionProfiles}). Required.
         */
        public Builder<IN> setConnectionProfile(ConnectionProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /**
         * The topic records go to, unless the serializer names another in its {@code
         * ProducerRecord} (then this one also keeps an exactly_once sink's commit proofs). Optional
         * for an at_least_once sink whose serializer always names the topic. Default: none.
         */
        public Builder<IN> setTopic(String topic) {
            return set(ConfluentConnectorOptions.TOPIC, Objects.requireNonNull(topic, "topic"));
        }

        /**
         * The delivery guarantee ({@code sink.commit_mode}). Default: {@link
         * CommitMode#AT_LEAST_ONCE}; {@code EXACTLY_ONCE} writes in Kafka transactions committed
         * with each checkpoint (readers then use {@code READ_COMMITTED}).
         */
        public Builder<IN> setCommitMode(CommitMode mode) {
            return set(ConfluentConnectorOptions.SINK_COMMIT_MODE, mode);
        }

        /**
         * Prefix of the Kafka transactional ids of an exactly_once sink ({@code
         * sink.transactional_id_prefix}). Default: derived from the job id and the sink. Two jobs
         * running at the same time must never share a prefix.
         */
        public Builder<IN> setTransactionalIdPrefix(String prefix) {
            return set(ConfluentConnectorOptions.SINK_TRANSACTIONAL_ID_PREFIX, prefix);
        }

        /**
         * The Kafka transaction timeout of an exactly_once sink ({@code sink.transaction.timeout});
         * must not exceed the brokers' {@code transaction.max.timeout.ms}. Default: 15 minutes.
         */
        public Builder<IN> setTransactionTimeout(Duration timeout) {
            return set(ConfluentConnectorOptions.SINK_TRANSACTION_TIMEOUT, timeout);
        }

        /**
         * What to do with a transaction of a completed checkpoint that can no longer be committed
         * ({@code sink.on_lost_transaction}). Default: {@link LostTransactionPolicy#FAIL}, the job
         * fails without restarting.
         */
        public Builder<IN> setOnLostTransaction(LostTransactionPolicy policy) {
            return set(ConfluentConnectorOptions.SINK_ON_LOST_TRANSACTION, policy);
        }

        /**
         * Keeps only the last record of each key between flushes (for records that are the latest
         * state of their key, as on a compacted topic): flushed when {@code maxKeys} keys wait,
         * every {@code interval} (zero: never on a timer) and before every checkpoint. Records
         * without a key are written directly. Default: no buffer ({@code 0}, 1 s).
         */
        public Builder<IN> setBufferFlush(int maxKeys, Duration interval) {
            set(ConfluentConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS, maxKeys);
            return set(
                    ConfluentConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL,
                    Objects.requireNonNull(interval, "interval"));
        }

        /** Turns each element into a Kafka record (topic, key, value, headers). Required. */
        public Builder<IN> setRecordSerializer(ConfluentRecordSerializer<IN> serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        /**
         * Any other option of {@link ConfluentConnectorOptions} (e.g. {@code sink.partitioner}),
         * with the default given there (and in docs/sink.md).
         */
        public <V> Builder<IN> set(ConfigOption<V> option, V value) {
            options.set(Objects.requireNonNull(option, "option"), value);
            return this;
        }

        /**
         * Not for users: the SQL table factory hands over the options it has validated (the
         * builder's setters may follow). DataStream jobs use the typed setters or {@link #set}.
         */
        @Internal
        public Builder<IN> setAll(Configuration validated) {
            options.addAll(validated);
            return this;
        }

        /**
         * Checks the options; for {@code exactly_once} also asks the brokers for their {@code
         * transaction.max.timeout.ms}, so that a too long transaction timeout fails here, once,
         * rather than in every restart of the job. That request (an Admin client on the profile's
         * brokers; when they cannot be asked, the producer reports a refused timeout at start) is
         * the only contact; at_least_once contacts nothing, and the registry is never contacted
         * here.
         */
        public ConfluentSink<IN> build() {
            if (profile == null) {
                throw new IllegalArgumentException(
                        "No connection: call setConnectionProfile(...) (bootstrap servers,"
                                + " credentials, registry)");
            }
            if (options.getOptional(ConfluentConnectorOptions.TOPIC).isEmpty()
                    && options.get(ConfluentConnectorOptions.SINK_COMMIT_MODE)
                            == CommitMode.EXACTLY_ONCE) {
                // The commit markers (CommitMarker) are offsets of partition 0 of this topic.
                throw new IllegalArgumentException(
                        "No topic: an exactly_once sink needs setTopic(...), even when its"
                                + " serializer chooses each record's topic (the proof of each"
                                + " commit is kept with the topic's partition 0).");
            }
            if (serializer == null) {
                throw new IllegalArgumentException(
                        "No serializer: call setRecordSerializer(...) to turn values into records");
            }
            SinkSettings.bufferMaxKeys(options);
            // fails here, when the job is built, rather than in every task
            SinkPartitioners.create(
                    options.get(ConfluentConnectorOptions.SINK_PARTITIONER),
                    Thread.currentThread().getContextClassLoader());
            if (options.get(ConfluentConnectorOptions.SINK_COMMIT_MODE)
                    == CommitMode.EXACTLY_ONCE) {
                checkTransactionTimeout();
            }
            return new ConfluentSink<>(profile, options, serializer);
        }

        private void checkTransactionTimeout() {
            Duration timeout = options.get(ConfluentConnectorOptions.SINK_TRANSACTION_TIMEOUT);
            long max;
            try (TransactionInspector inspector =
                    ConnectorClassLoader.call(
                            () -> new TransactionInspector(profile.kafkaProperties()))) {
                max = inspector.maxTransactionTimeoutMs();
            } catch (RuntimeException e) {
                return; // cannot ask (e.g. no permission): the producer reports it at start
            }
            if (max > 0 && timeout.toMillis() > max) {
                throw new IllegalArgumentException(
                        "'sink.transaction.timeout' is "
                                + timeout.toMillis()
                                + " ms, but the brokers of "
                                + profile.describe()
                                + " allow at most transaction.max.timeout.ms = "
                                + max
                                + " ms. Set 'sink.transaction.timeout' to at most "
                                + max
                                + " ms (setTransactionTimeout), or raise the brokers' limit.");
            }
        }
    }
}
