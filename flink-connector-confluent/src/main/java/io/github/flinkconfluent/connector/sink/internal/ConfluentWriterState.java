package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;

import java.util.List;

/**
 * What an exactly-once writer subtask checkpoints: which transactional ids it owned and which of
 * them hold pre-committed transactions, so that after a restore every other open transaction of
 * those ids can be recognised as lingering and aborted, while the pre-committed ones are left to
 * the committer.
 *
 * @param prefix the transactional id prefix the writer used
 * @param generation the writer's id generation (the checkpoint it restored from, 0 for a fresh
 *     start); ids of one generation are only ever used by one run of the job
 * @param subtask the writer's subtask index
 * @param pending transactions pre-committed and not yet known to be committed
 */
@Internal
public record ConfluentWriterState(
        String prefix, long generation, int subtask, List<ConfluentCommittable> pending) {

    public ConfluentWriterState {
        pending = List.copyOf(pending);
    }
}
