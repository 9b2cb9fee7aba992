package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.connector.profile.KafkaConnectionFailures;
import io.github.flinkconfluent.connector.record.ConfluentPartitioner;
import io.github.flinkconfluent.connector.record.ConfluentRecordSerializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

/**
 * Writes records to Kafka for one parallel subtask of a {@code ConfluentSink}.
 *
 * <p>Exactly-once: the records between two checkpoints go into one Kafka transaction. At a
 * checkpoint the transaction is flushed and handed to the committer as a {@link
 * ConfluentCommittable} (pre-commit); the committer commits it once the checkpoint completes. Each
 * subtask reuses a small pool of transactional ids (see {@link TransactionIds}) — an id is taken
 * again only after its transaction is known to be committed — and on start aborts the lingering
 * transactions of earlier runs ({@link LingeringTransactions}), so {@code read_committed} readers
 * never stall behind them.
 *
 * <p>At-least-once: one idempotent producer; every checkpoint waits until all records are
 * acknowledged, and a failed send fails the job.
 *
 * <p>Upsert tables may buffer: keyed records wait in a {@link LatestPerKeyBuffer} that keeps the
 * last one per key, drained when it is full, when its interval timer fires and in {@link #flush} —
 * which Flink calls before every checkpoint and at the end of input — so a checkpoint never covers
 * a change that is still in memory.
 */
@Internal
public final class ConfluentWriter<IN>
        implements CommittingSinkWriter<IN, ConfluentCommittable>,
                StatefulSinkWriter<IN, ConfluentWriterState> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfluentWriter.class);

    /** How long closing waits for the brokers to abort the open transaction. */
    private static final Duration ABORT_ON_CLOSE_WAIT = Duration.ofSeconds(2);

    private final Map<String, String> kafkaProperties;
    @Nullable private final String topic; // null: rows name their topics (at-least-once)
    private final ConfluentRecordSerializer<IN> serializer;
    private final boolean exactlyOnce;

    // at-least-once
    @Nullable private final KafkaProducer<byte[], byte[]> producer;

    // exactly-once
    @Nullable private final TransactionIds ids;
    private final List<Slot> slots = new ArrayList<>();
    private int nextSlot;
    @Nullable private Slot current;
    @Nullable private TransactionInspector inspector;

    /**
     * Writes each transaction's {@link CommitMarker} while the task thread goes on writing records.
     * Why: the marker costs two round trips to the coordinators (AddOffsetsToTxn, TxnOffsetCommit);
     * written at the checkpoint it held up the task thread about 8 ms per checkpoint (JFR,
     * docs/benchmarks.md). The producer is thread-safe, and a transaction may take its offsets at
     * any point; the checkpoint waits for the marker before it flushes.
     */
    @Nullable private ExecutorService markers;

    private long recordsInTransaction;

    /**
     * The first offset the open transaction wrote on each partition, filled in by the send
     * callbacks (the producer's I/O thread), complete after the pre-commit's flush.
     */
    private FirstOffsets firstOffsets = new FirstOffsets();

    private long lastCheckpoint;

    private volatile Exception sendError;

    // sink.partitioner (optional): each topic's partitions, asked once per topic (rows may name
    // their topic)
    @Nullable private final ConfluentPartitioner partitioner;
    private final Map<String, int[]> partitions = new HashMap<>();

    // upsert buffering (optional)
    @Nullable private final LatestPerKeyBuffer buffer;
    private final Duration bufferInterval;
    private final ProcessingTimeService timers;
    private boolean flushTimerSet;
    private boolean closed;

    /** One transactional id of the pool and what it is doing. */
    private static final class Slot {
        final int n;
        final String transactionalId;
        @Nullable TransactionalProducer producer;
        @Nullable ConfluentCommittable pending;
        @Nullable ProducerHandover.Entry handover;

        /** The current transaction's commit marker, written beside the records (see below). */
        @Nullable CompletableFuture<Void> marker;

        /** The number of the next transaction on this id (see {@link CommitMarker}). */
        long nextSequence;

        Slot(int n, String transactionalId) {
            this.n = n;
            this.transactionalId = transactionalId;
        }
    }

    /**
     * @param bufferMaxKeys with more than 0, keyed records are buffered per key ({@link
     *     LatestPerKeyBuffer}) and drained when this many keys wait
     * @param bufferInterval with a buffer, how long a record may wait; zero: no timer (drained when
     *     full and at checkpoints only)
     */
    public ConfluentWriter(
            Map<String, String> kafkaProperties,
            String topic,
            ConfluentRecordSerializer<IN> serializer,
            boolean exactlyOnce,
            String transactionalIdPrefix,
            Duration transactionTimeout,
            int bufferMaxKeys,
            Duration bufferInterval,
            @Nullable ConfluentPartitioner partitioner,
            WriterInitContext context,
            Collection<ConfluentWriterState> restored)
            throws Exception {
        this.buffer = bufferMaxKeys > 0 ? new LatestPerKeyBuffer(bufferMaxKeys) : null;
        this.bufferInterval = bufferInterval;
        this.timers = context.getProcessingTimeService();
        this.topic = topic;
        this.serializer = serializer;
        this.exactlyOnce = exactlyOnce;
        serializer.open(context.asSerializationSchemaInitializationContext());
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        Map<String, String> properties =
                producerProperties(
                        kafkaProperties,
                        transactionalIdPrefix,
                        subtask,
                        exactlyOnce,
                        transactionTimeout);
        this.partitioner = partitioner;
        if (partitioner != null) {
            partitioner.open(subtask, context.getTaskInfo().getNumberOfParallelSubtasks());
        }
        if (exactlyOnce) {
            this.kafkaProperties = properties;
            this.producer = null;
            long generation = context.getRestoredCheckpointId().orElse(0L);
            this.lastCheckpoint = context.getRestoredCheckpointId().orElse(-1L);
            this.ids = new TransactionIds(transactionalIdPrefix, generation, subtask);
            try {
                LingeringTransactions.abort(
                        inspector(),
                        properties,
                        ids,
                        context.getTaskInfo().getNumberOfParallelSubtasks(),
                        restored);
            } catch (Exception e) {
                inspector.close(); // no close() follows a failed constructor
                inspector = null;
                // Admin calls fail wrapped in an ExecutionException, producers directly.
                throw KafkaConnectionFailures.explain(
                                e, properties, "abort the transactions an earlier run left open")
                        .<Exception>map(u -> u)
                        .orElse(e);
            }
        } else {
            this.kafkaProperties = properties;
            this.ids = null;
            Map<String, Object> config = new HashMap<>(properties);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            try {
                this.producer = new KafkaProducer<>(config);
            } catch (KafkaException e) {
                throw KafkaConnectionFailures.unrecoverableOr(
                        e, properties, "start the producer for " + topics());
            }
        }
    }

    /**
     * The settings of this writer's producers: the profile's and table's client settings, then the
     * sink's batching defaults where those set none ({@link ProducerDefaults}), then what the
     * delivery guarantee requires (a transaction timeout, or idempotence with all acks), which no
     * setting may weaken.
     */
    @VisibleForTesting
    static Map<String, String> producerProperties(
            Map<String, String> kafkaProperties,
            String transactionalIdPrefix,
            int subtask,
            boolean exactlyOnce,
            Duration transactionTimeout) {
        Map<String, String> properties = new HashMap<>(kafkaProperties);
        properties.putIfAbsent(
                ProducerConfig.CLIENT_ID_CONFIG, transactionalIdPrefix + "-writer-" + subtask);
        ProducerDefaults.addTo(properties);
        if (exactlyOnce) {
            properties.put(
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    String.valueOf(transactionTimeout.toMillis()));
        } else {
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
        }
        return properties;
    }

    @Override
    public void write(IN element, Context context) throws java.io.IOException {
        checkSendError();
        ProducerRecord<byte[], byte[]> record = serializer.serialize(element, topic);
        if (record.timestamp() == null && context.timestamp() != null) {
            record =
                    new ProducerRecord<>(
                            record.topic(),
                            record.partition(),
                            context.timestamp(),
                            record.key(),
                            record.value(),
                            record.headers());
        }
        if (buffer == null) {
            send(record);
        } else if (record.key() == null) {
            // No key, nothing to replace: keep the order of what came before it.
            drainBuffer();
            send(record);
        } else {
            buffer.add(record);
            if (buffer.isFull()) {
                drainBuffer();
            } else {
                scheduleBufferFlush();
            }
        }
    }

    private void drainBuffer() {
        if (buffer != null) {
            buffer.drainTo(this::send);
        }
    }

    /** Drains the buffer {@code bufferInterval} from now, unless a drain is already due. */
    private void scheduleBufferFlush() {
        if (flushTimerSet || bufferInterval.isZero()) {
            return;
        }
        flushTimerSet = true;
        timers.registerTimer(
                timers.getCurrentProcessingTime() + bufferInterval.toMillis(),
                time -> {
                    flushTimerSet = false;
                    if (!closed) {
                        checkSendError();
                        drainBuffer();
                    }
                });
    }

    /** The record in the partition the {@code sink.partitioner} chooses. */
    private ProducerRecord<byte[], byte[]> withPartition(
            ProducerRecord<byte[], byte[]> record, KafkaProducer<byte[], byte[]> target) {
        int[] ofTopic =
                partitions.computeIfAbsent(
                        record.topic(),
                        t ->
                                target.partitionsFor(t).stream()
                                        .mapToInt(PartitionInfo::partition)
                                        .sorted()
                                        .toArray());
        int partition =
                partitioner.partition(record.key(), record.value(), record.topic(), ofTopic);
        return new ProducerRecord<>(
                record.topic(),
                partition,
                record.timestamp(),
                record.key(),
                record.value(),
                record.headers());
    }

    private void send(ProducerRecord<byte[], byte[]> record) {
        KafkaProducer<byte[], byte[]> target;
        if (exactlyOnce) {
            if (current == null) {
                current = beginNext();
            }
            target = current.producer;
            recordsInTransaction++;
        } else {
            target = producer;
        }
        if (partitioner != null && record.partition() == null) {
            record = withPartition(record, target);
        }
        FirstOffsets first = firstOffsets;
        target.send(
                record,
                (metadata, error) -> {
                    if (error != null) {
                        if (sendError == null) {
                            sendError = error;
                        }
                    } else if (exactlyOnce && metadata.hasOffset()) {
                        first.written(metadata.topic(), metadata.partition(), metadata.offset());
                    }
                });
    }

    @Override
    public void flush(boolean endOfInput) {
        drainBuffer();
        if (exactlyOnce) {
            if (current != null) {
                current.producer.flush();
            }
        } else {
            producer.flush();
        }
        checkSendError();
    }

    @Override
    public Collection<ConfluentCommittable> prepareCommit() {
        if (!exactlyOnce || current == null || recordsInTransaction == 0) {
            return List.of();
        }
        Slot slot = current;
        TransactionalProducer p = slot.producer;
        try {
            // The marker's failure, if any, is reported below like a failed send: explained.
            if (slot.marker != null) {
                slot.marker.exceptionally(failure -> null).join();
            }
            checkSendError();
            slot.marker = null;
            p.flush();
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw fenced(slot.transactionalId, e);
        }
        checkSendError();
        ConfluentCommittable committable =
                new ConfluentCommittable(
                        slot.transactionalId,
                        p.producerId(),
                        p.epoch(),
                        p.transactionV2(),
                        lastCheckpoint,
                        slot.nextSequence,
                        System.currentTimeMillis(),
                        firstOffsets.asMap());
        slot.nextSequence++;
        slot.pending = committable;
        slot.handover = ProducerHandover.offer(p, committable);
        current = null;
        recordsInTransaction = 0;
        return List.of(committable);
    }

    @Override
    public List<ConfluentWriterState> snapshotState(long checkpointId) {
        lastCheckpoint = checkpointId;
        if (!exactlyOnce) {
            return List.of();
        }
        List<ConfluentCommittable> pending = new ArrayList<>();
        for (Slot slot : slots) {
            if (slot.pending != null) {
                pending.add(slot.pending);
            }
        }
        return List.of(
                new ConfluentWriterState(ids.prefix(), ids.generation(), ids.subtask(), pending));
    }

    /** A slot whose id is free, with a transaction begun on it. */
    private Slot beginNext() {
        firstOffsets = new FirstOffsets();
        Slot slot = freeSlot();
        try {
            if (slot.producer == null) {
                slot.producer = new TransactionalProducer(kafkaProperties, slot.transactionalId);
                // Fences an earlier producer of this id and aborts whatever it left open; after
                // it, no earlier transaction on the id can commit, so numbering continues after
                // the id's marker (a rerun from the same checkpoint reuses this run's ids).
                slot.producer.initTransactions();
                CommitMarker marker = inspector().marker(slot.transactionalId);
                if (marker != null && marker.sequence() >= slot.nextSequence) {
                    slot.nextSequence = marker.sequence() + 1;
                }
            }
            slot.producer.beginTransaction();
            TransactionalProducer p = slot.producer;
            long sequence = slot.nextSequence;
            slot.marker =
                    CompletableFuture.runAsync(
                            () -> CommitMarker.write(p, topic, sequence), markers());
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw fenced(slot.transactionalId, e);
        } catch (RuntimeException e) {
            throw KafkaConnectionFailures.unrecoverableOr(
                    e, kafkaProperties, "start a transaction for " + topics());
        } catch (Exception e) {
            KafkaConnectionFailures.explain(
                            e,
                            kafkaProperties,
                            "read the " + CommitMarker.describe(slot.transactionalId))
                    .ifPresent(
                            explained -> {
                                throw explained;
                            });
            throw new FlinkRuntimeException(
                    "Cannot read the commit marker of transactional id '"
                            + slot.transactionalId
                            + "' (consumer group of the same name); the sink needs to describe"
                            + " and read the offsets of that group",
                    e);
        }
        return slot;
    }

    private ExecutorService markers() {
        if (markers == null) {
            markers = BackgroundThreads.single("confluent-sink-commit-marker-" + ids.subtask());
        }
        return markers;
    }

    /** Why the current transaction's commit marker failed, if it did. */
    @Nullable
    private Exception markerFailure() {
        Slot slot = current;
        CompletableFuture<Void> marker = slot == null ? null : slot.marker;
        if (marker == null || !marker.isCompletedExceptionally()) {
            return null;
        }
        Throwable failure = marker.handle((ok, e) -> e).join();
        if (failure instanceof CompletionException && failure.getCause() != null) {
            failure = failure.getCause();
        }
        return failure instanceof Exception e ? e : new RuntimeException(failure);
    }

    private TransactionInspector inspector() {
        if (inspector == null) {
            inspector = new TransactionInspector(kafkaProperties);
        }
        return inspector;
    }

    /**
     * The broker ended this writer's transaction before the writer did. Within one healthy job that
     * never happens, so the message names the two ways it does: the transaction outlived its
     * timeout, or another writer took over the id (under transactions version 2 both show as an old
     * producer epoch, under version 1 a takeover as a fenced producer).
     */
    private FlinkRuntimeException fenced(String transactionalId, Exception cause) {
        return new FlinkRuntimeException(
                "The broker ended the transaction on transactional id '"
                        + transactionalId
                        + "' of the sink to topic '"
                        + topic
                        + "' before the sink committed it: either it stayed open longer than"
                        + " 'sink.transaction.timeout' ("
                        + kafkaProperties.get(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)
                        + " ms; keep checkpoints well below it), or another producer took over"
                        + " the id because two jobs are writing with the same transactional ids —"
                        + " a savepoint or checkpoint restored into a second job while the first"
                        + " still runs, or two sinks with the same 'sink.transactional_id_prefix'."
                        + " The job restarts from its last checkpoint; pre-committed transactions"
                        + " that were aborted are reported as lost when it restores.",
                cause);
    }

    private Slot freeSlot() {
        for (Slot slot : slots) {
            if (slot.pending == null) {
                return slot;
            }
        }
        for (Slot slot : slots) {
            if (slot.handover != null && slot.handover.committed()) {
                release(slot, true);
                return slot;
            }
        }
        if (slots.size() >= 2) {
            // The committer may run elsewhere: ask the coordinator before growing the pool.
            try {
                for (Slot slot : new ArrayList<>(slots)) {
                    TransactionInspector.Outcome outcome =
                            inspector().outcome(slot.pending).outcome();
                    if (outcome == TransactionInspector.Outcome.COMMITTED) {
                        release(slot, false);
                        return slot;
                    }
                    if (outcome == TransactionInspector.Outcome.ABORTED) {
                        // The committer reports the loss if its checkpoint completed. The id is
                        // not used again: a later commit on it would read as this one's.
                        retire(slot);
                    }
                }
            } catch (Exception e) {
                LOG.warn("Could not ask the coordinator about pending transactions", e);
            }
        }
        Slot slot = new Slot(nextSlot, ids.id(nextSlot));
        nextSlot++;
        slots.add(slot);
        return slot;
    }

    private void retire(Slot slot) {
        LOG.warn(
                "{} was aborted by the broker before its checkpoint completed; its id is retired",
                slot.pending.describe());
        if (slot.handover != null) {
            ProducerHandover.withdraw(slot.transactionalId, slot.handover);
        }
        if (slot.producer != null) {
            slot.producer.closeQuietly();
        }
        slots.remove(slot);
    }

    /**
     * Frees a slot whose transaction is committed. A producer that committed its own transaction
     * continues with the next one on the same id under transactions version 2; otherwise it is
     * replaced, so that every transaction on an id has a higher epoch than the one before.
     */
    private void release(Slot slot, boolean committedByOwnProducer) {
        if (slot.handover != null) {
            ProducerHandover.withdraw(slot.transactionalId, slot.handover);
        }
        boolean reusable =
                committedByOwnProducer
                        && slot.producer != null
                        && slot.pending != null
                        && slot.pending.transactionV2();
        if (!reusable && slot.producer != null) {
            slot.producer.closeQuietly();
            slot.producer = null;
        }
        slot.pending = null;
        slot.handover = null;
    }

    /** For messages: the sink's topic, or that rows name their topics. */
    private String topics() {
        return topic == null ? "the topics its rows name" : "topic '" + topic + "'";
    }

    private void checkSendError() {
        Exception error = sendError;
        Exception markerError = markerFailure();
        if (markerError != null) {
            // The marker's own failure (a missing group ACL, say) names the cause; the sends
            // after it only fail with the producer's error state.
            String id = current.transactionalId;
            KafkaConnectionFailures.explain(
                            markerError, kafkaProperties, "write the " + CommitMarker.describe(id))
                    .ifPresent(
                            explained -> {
                                throw explained;
                            });
            error = markerError;
        }
        if (exactlyOnce
                && (error instanceof ProducerFencedException
                        || error instanceof InvalidProducerEpochException)) {
            throw fenced(current != null ? current.transactionalId : ids.prefix() + "-*", error);
        }
        if (error != null) {
            KafkaConnectionFailures.explain(error, kafkaProperties, "write to " + topics())
                    .ifPresent(
                            e -> {
                                throw e;
                            });
            throw new FlinkRuntimeException(
                    "Writing to "
                            + topics()
                            + " failed: "
                            + error.getMessage()
                            + (exactlyOnce
                                    ? ". The open transaction is aborted and the job restarts from"
                                            + " its last checkpoint."
                                    : ". The job restarts from its last checkpoint and writes"
                                            + " the records since then again."),
                    error);
        }
    }

    /**
     * Closes without waiting on the brokers, so that a cancel is prompt even when they are down.
     * The open transaction (never pre-committed, so nobody will commit it) is aborted if the
     * brokers answer within {@link #ABORT_ON_CLOSE_WAIT}; otherwise the next run's lingering-
     * transaction sweep, or the transaction timeout, ends it.
     */
    @Override
    public void close() throws Exception {
        closed = true;
        try {
            serializer.close();
        } catch (Exception e) {
            LOG.warn("Closing the record serializer of the sink for topic '{}' failed", topic, e);
        }
        if (!exactlyOnce) {
            producer.close(Duration.ZERO);
            return;
        }
        if (markers != null) {
            markers.shutdownNow(); // a marker in flight ends with its producer, closed below
        }
        Thread aborter = null;
        for (Slot slot : slots) {
            if (slot.handover != null) {
                ProducerHandover.withdraw(slot.transactionalId, slot.handover);
            }
            if (slot == current && slot.producer != null) {
                aborter = abortInBackground(slot);
            }
        }
        if (aborter != null) {
            try {
                aborter.join(ABORT_ON_CLOSE_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Slot slot : slots) {
            if (slot.producer != null) {
                slot.producer.closeQuietly();
            }
        }
        if (inspector != null) {
            inspector.close();
        }
    }

    private static Thread abortInBackground(Slot slot) {
        TransactionalProducer p = slot.producer;
        Thread thread =
                new Thread(
                        () -> {
                            try {
                                p.abortTransaction();
                            } catch (RuntimeException e) {
                                LOG.debug("Could not abort {} on close", p.transactionalId(), e);
                            }
                        },
                        "abort " + slot.transactionalId);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
