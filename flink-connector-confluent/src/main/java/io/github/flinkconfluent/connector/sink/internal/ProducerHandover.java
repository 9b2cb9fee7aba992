package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands a writer's live producer, holding a pre-committed transaction, to the committer of the same
 * process, and tells the writer when it has been committed.
 *
 * <p>Why: in the normal case (no failure) the committer runs chained to its writer, and committing
 * with the producer that ran the transaction is plain public API and reuses the producer for a
 * later transaction on the same id. Only when the producer is gone (after a restart, or a committer
 * in another process) does the committer resume the transaction from the checkpointed producer id
 * and epoch instead.
 */
@Internal
public final class ProducerHandover {

    private static final Map<String, Entry> LIVE = new ConcurrentHashMap<>();

    private ProducerHandover() {}

    /** A producer waiting for its transaction to be committed. */
    public static final class Entry {
        final TransactionalProducer producer;
        final ConfluentCommittable committable;
        volatile boolean committed;

        Entry(TransactionalProducer producer, ConfluentCommittable committable) {
            this.producer = producer;
            this.committable = committable;
        }

        public boolean committed() {
            return committed;
        }
    }

    static Entry offer(TransactionalProducer producer, ConfluentCommittable committable) {
        Entry entry = new Entry(producer, committable);
        LIVE.put(committable.transactionalId(), entry);
        return entry;
    }

    static void withdraw(String transactionalId, Entry entry) {
        LIVE.remove(transactionalId, entry);
    }

    /**
     * Commits {@code committable} with the live producer that ran it, if this process has it.
     *
     * @return false when no live producer holds exactly this transaction
     */
    static boolean commitIfLive(ConfluentCommittable committable) {
        Entry entry = LIVE.get(committable.transactionalId());
        if (entry == null || !entry.committable.equals(committable)) {
            return false;
        }
        synchronized (entry) {
            if (!entry.committed) {
                entry.producer.commitTransaction();
                entry.committed = true;
            }
        }
        return true;
    }
}
