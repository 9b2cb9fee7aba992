package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.connector.sink.ConfluentRecordSerializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 */
@Internal
public final class ConfluentWriter<IN>
        implements CommittingSinkWriter<IN, ConfluentCommittable>,
                StatefulSinkWriter<IN, ConfluentWriterState> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfluentWriter.class);

    private final Map<String, String> kafkaProperties;
    private final String topic;
    private final ConfluentRecordSerializer<IN> serializer;
    private final boolean exactlyOnce;

    // at-least-once
    @Nullable private final KafkaProducer<byte[], byte[]> producer;

    // exactly-once
    @Nullable private final TransactionIds ids;
    private final List<Slot> slots = new ArrayList<>();
    @Nullable private Slot current;
    private long recordsInTransaction;
    private long lastCheckpoint;

    private volatile Exception sendError;

    /** One transactional id of the pool and what it is doing. */
    private static final class Slot {
        final int n;
        final String transactionalId;
        @Nullable TransactionalProducer producer;
        @Nullable ConfluentCommittable pending;
        @Nullable ProducerHandover.Entry handover;

        Slot(int n, String transactionalId) {
            this.n = n;
            this.transactionalId = transactionalId;
        }
    }

    public ConfluentWriter(
            Map<String, String> kafkaProperties,
            String topic,
            ConfluentRecordSerializer<IN> serializer,
            boolean exactlyOnce,
            String transactionalIdPrefix,
            Duration transactionTimeout,
            WriterInitContext context,
            Collection<ConfluentWriterState> restored)
            throws Exception {
        this.topic = topic;
        this.serializer = serializer;
        this.exactlyOnce = exactlyOnce;
        serializer.open(context.asSerializationSchemaInitializationContext());
        Map<String, String> properties = new HashMap<>(kafkaProperties);
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        properties.putIfAbsent(
                ProducerConfig.CLIENT_ID_CONFIG, transactionalIdPrefix + "-writer-" + subtask);
        if (exactlyOnce) {
            properties.put(
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                    String.valueOf(transactionTimeout.toMillis()));
            this.kafkaProperties = properties;
            this.producer = null;
            long generation = context.getRestoredCheckpointId().orElse(0L);
            this.lastCheckpoint = context.getRestoredCheckpointId().orElse(-1L);
            this.ids = new TransactionIds(transactionalIdPrefix, generation, subtask);
            LingeringTransactions.abort(
                    properties, ids, context.getTaskInfo().getNumberOfParallelSubtasks(), restored);
        } else {
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            this.kafkaProperties = properties;
            this.ids = null;
            Map<String, Object> config = new HashMap<>(properties);
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            this.producer = new KafkaProducer<>(config);
        }
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
        target.send(
                record,
                (metadata, error) -> {
                    if (error != null && sendError == null) {
                        sendError = error;
                    }
                });
    }

    @Override
    public void flush(boolean endOfInput) {
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
        CommitMarker.write(p, topic);
        p.flush();
        checkSendError();
        ConfluentCommittable committable =
                new ConfluentCommittable(
                        slot.transactionalId,
                        p.producerId(),
                        p.epoch(),
                        p.transactionV2(),
                        lastCheckpoint);
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
        Slot slot = freeSlot();
        if (slot.producer == null) {
            slot.producer = new TransactionalProducer(kafkaProperties, slot.transactionalId);
            // Fences an earlier producer of this id and aborts whatever it left open.
            slot.producer.initTransactions();
        }
        slot.producer.beginTransaction();
        return slot;
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
            try (TransactionInspector inspector = new TransactionInspector(kafkaProperties)) {
                for (Slot slot : slots) {
                    TransactionInspector.Outcome outcome = inspector.outcome(slot.pending);
                    if (outcome == TransactionInspector.Outcome.ABORTED) {
                        throw new FlinkRuntimeException(
                                Committing.lostMessage(slot.pending, topic, kafkaProperties));
                    }
                    if (outcome != TransactionInspector.Outcome.OPEN
                            && outcome != TransactionInspector.Outcome.IN_FLUX) {
                        release(slot, false);
                        return slot;
                    }
                }
            } catch (FlinkRuntimeException e) {
                throw e;
            } catch (Exception e) {
                LOG.warn("Could not ask the coordinator about pending transactions", e);
            }
        }
        Slot slot = new Slot(slots.size(), ids.id(slots.size()));
        slots.add(slot);
        return slot;
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

    private void checkSendError() {
        Exception error = sendError;
        if (error != null) {
            throw new FlinkRuntimeException(
                    "Writing to topic '"
                            + topic
                            + "' failed: "
                            + error.getMessage()
                            + (exactlyOnce
                                    ? ". The open transaction is aborted and the job restarts from"
                                            + " its last checkpoint."
                                    : ". The job restarts from its last checkpoint and writes"
                                            + " the records since then again."),
                    error);
        }
    }

    @Override
    public void close() throws Exception {
        if (!exactlyOnce) {
            producer.close(Duration.ofSeconds(5));
            return;
        }
        for (Slot slot : slots) {
            if (slot.handover != null) {
                ProducerHandover.withdraw(slot.transactionalId, slot.handover);
            }
            if (slot == current && slot.producer != null) {
                try {
                    // Not pre-committed: nobody will commit it, so do not leave it open.
                    slot.producer.abortTransaction();
                } catch (RuntimeException e) {
                    LOG.debug("Could not abort {} on close", slot.transactionalId, e);
                }
            }
            if (slot.producer != null) {
                slot.producer.closeQuietly();
            }
        }
    }
}
