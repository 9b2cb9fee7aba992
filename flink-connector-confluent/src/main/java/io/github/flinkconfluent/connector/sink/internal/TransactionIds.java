package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;

import java.util.Optional;

/**
 * Names of the sink's transactional ids: {@code <prefix>-<generation>-<subtask>-<n>}.
 *
 * <p>Each writer subtask owns a small pool of ids ({@code n = 0, 1, ...}) that it reuses once their
 * transactions are committed, so brokers keep metadata for a bounded number of ids instead of one
 * per checkpoint. The generation is the checkpoint the job was restored from (0 for a fresh start):
 * a restored run never reuses an id of an earlier run, so a transaction recorded in a checkpoint is
 * only ever followed, on its id, by transactions of the run that wrote it — which is what lets the
 * committer tell "already committed" from "aborted" exactly.
 */
@Internal
public record TransactionIds(String prefix, long generation, int subtask) {

    public String id(int n) {
        return prefix + "-" + generation + "-" + subtask + "-" + n;
    }

    /** An id of this sink, parsed; the prefix itself may contain dashes. */
    public record Parsed(String prefix, long generation, int subtask, int n) {}

    public static Optional<Parsed> parse(String transactionalId) {
        String[] parts = transactionalId.split("-");
        if (parts.length < 4) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(parts[parts.length - 1]);
            int subtask = Integer.parseInt(parts[parts.length - 2]);
            long generation = Long.parseLong(parts[parts.length - 3]);
            int prefixLength =
                    transactionalId.length()
                            - parts[parts.length - 1].length()
                            - parts[parts.length - 2].length()
                            - parts[parts.length - 3].length()
                            - 3;
            if (prefixLength <= 0 || n < 0 || subtask < 0 || generation < 0) {
                return Optional.empty();
            }
            return Optional.of(
                    new Parsed(transactionalId.substring(0, prefixLength), generation, subtask, n));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
