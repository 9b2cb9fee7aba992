package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A transactional Kafka producer that can also finish a transaction another producer began.
 *
 * <p>Why this class exists: after a crash, the transactions recorded in a completed checkpoint must
 * still be committed, but the producer that began them is gone. Kafka's public API cannot resume a
 * transaction ({@code initTransactions()} aborts it; KIP-939's {@code initTransactions(true)} is
 * not public in any released client). So {@link #resume} writes the recorded producer id and epoch
 * (and whether the transaction used transactions version 2, KIP-890) into the client's internal
 * {@code TransactionManager} and moves it to "in transaction", after which the public {@code
 * commitTransaction()} sends the coordinator the commit for exactly that transaction. This is the
 * only place in the project that touches Kafka client internals; {@code
 * TransactionalProducerITCase} fails loudly when a kafka-clients upgrade breaks it.
 */
@Internal
public final class TransactionalProducer extends KafkaProducer<byte[], byte[]> {

    private final String transactionalId;
    private final Object transactionManager;

    public TransactionalProducer(Map<String, String> kafkaProperties, String transactionalId) {
        super(config(kafkaProperties, transactionalId));
        this.transactionalId = transactionalId;
        this.transactionManager = read(this, KafkaProducer.class, "transactionManager");
    }

    private static Map<String, Object> config(Map<String, String> properties, String id) {
        Map<String, Object> config = new HashMap<>(properties);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return config;
    }

    public String transactionalId() {
        return transactionalId;
    }

    /** The producer id of the current transaction (valid after initTransactions or resume). */
    public long producerId() {
        return idAndEpoch().producerId;
    }

    /** The producer epoch of the current transaction. */
    public short epoch() {
        return idAndEpoch().epoch;
    }

    /** Whether the client runs transactions version 2 (KIP-890) with this coordinator. */
    public boolean transactionV2() {
        return (Boolean) invoke(transactionManager, "isTransactionV2Enabled");
    }

    /**
     * Makes this (fresh, never initialized) producer the owner of the open transaction {@code
     * producerId}/{@code epoch} of its transactional id, so that {@link #commitTransaction()} or
     * {@link #abortTransaction()} ends that transaction.
     */
    public void resume(long producerId, short epoch, boolean transactionV2) {
        Object producerIdAndEpoch = newProducerIdAndEpoch(producerId, epoch);
        synchronized (transactionManager) {
            transition("INITIALIZING");
            write(transactionManager, "producerIdAndEpoch", producerIdAndEpoch);
            write(transactionManager, "isTransactionV2Enabled", transactionV2);
            transition("READY");
            transition("IN_TRANSACTION");
            write(transactionManager, "transactionStarted", true);
        }
    }

    /**
     * Closes at once. A graceful {@code close()} would abort an open transaction, and the open
     * transaction may be a pre-committed one that the committer must still commit: a forced close
     * leaves it to the coordinator. Nothing unsent is lost here, since the writer flushes before it
     * pre-commits and aborts what it did not pre-commit.
     */
    public void closeQuietly() {
        try {
            close(Duration.ZERO);
        } catch (RuntimeException e) {
            // Closing is best effort; the transaction outcome is decided elsewhere.
        }
    }

    private IdAndEpoch idAndEpoch() {
        return new IdAndEpoch(
                read(transactionManager, transactionManager.getClass(), "producerIdAndEpoch"));
    }

    private void transition(String state) {
        try {
            Class<?> stateClass =
                    Class.forName(
                            transactionManager.getClass().getName() + "$State",
                            false,
                            transactionManager.getClass().getClassLoader());
            Object target = enumConstant(stateClass, state);
            Method transitionTo =
                    transactionManager.getClass().getDeclaredMethod("transitionTo", stateClass);
            transitionTo.setAccessible(true);
            transitionTo.invoke(transactionManager, target);
        } catch (ReflectiveOperationException e) {
            throw incompatible("TransactionManager.transitionTo(" + state + ")", e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumConstant(Class<?> enumClass, String name) {
        return Enum.valueOf((Class) enumClass, name);
    }

    private Object newProducerIdAndEpoch(long producerId, short epoch) {
        try {
            Field field = transactionManager.getClass().getDeclaredField("producerIdAndEpoch");
            return field.getType()
                    .getConstructor(long.class, short.class)
                    .newInstance(producerId, epoch);
        } catch (ReflectiveOperationException e) {
            throw incompatible("new ProducerIdAndEpoch(long, short)", e);
        }
    }

    private static Object read(Object target, Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        } catch (ReflectiveOperationException e) {
            throw incompatible(owner.getSimpleName() + "." + name, e);
        }
    }

    private static void write(Object target, String name, Object value) {
        try {
            Field field = target.getClass().getDeclaredField(name);
            field.setAccessible(true);
            field.set(target, value);
        } catch (ReflectiveOperationException e) {
            throw incompatible(target.getClass().getSimpleName() + "." + name, e);
        }
    }

    private static Object invoke(Object target, String method) {
        try {
            Method m = target.getClass().getDeclaredMethod(method);
            m.setAccessible(true);
            return m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw incompatible(target.getClass().getSimpleName() + "." + method + "()", e);
        }
    }

    private static IllegalStateException incompatible(String what, Exception cause) {
        return new IllegalStateException(
                "This kafka-clients version does not have "
                        + what
                        + ", which resuming a transaction after a restart needs. Use the"
                        + " kafka-clients version this connector was built with.",
                cause);
    }

    /** The producer id and epoch read from the client's internal holder. */
    private static final class IdAndEpoch {
        final long producerId;
        final short epoch;

        IdAndEpoch(Object holder) {
            this.producerId = (Long) read(holder, holder.getClass(), "producerId");
            this.epoch = (Short) read(holder, holder.getClass(), "epoch");
        }
    }
}
