package io.github.flinkconfluent.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The faults one trial of the {@link FaultCampaign} injects, drawn from a seed.
 *
 * <p>Why a class of its own: the schedule is the only part of a trial that a seed replays (the
 * threads' timing is not), so it must depend on the seed and the allowed kinds alone, and {@code
 * FaultCampaignTest} checks that without a cluster.
 */
final class FaultSchedule {

    /** The faults a schedule chooses from. */
    enum FaultKind {
        /** {@code kill -9} of the TaskManager, then a new one. */
        TASK_MANAGER_KILL,
        /** Broker stopped (SIGTERM) and started again on the same ports and data. */
        BROKER_RESTART,
        /** Broker killed (SIGKILL) and started again. */
        BROKER_KILL,
        /** Broker frozen (SIGSTOP) until the job notices, longer than the request timeout. */
        BROKER_PAUSE,
        /**
         * TaskManager killed and no new one until the broker aborted every open transaction: the
         * job is down longer than {@code sink.transaction.timeout}.
         */
        OUTAGE_BEYOND_TRANSACTION_TIMEOUT
    }

    /**
     * One fault, fired right after the {@code afterCheckpoints}-th checkpoint since the last one,
     * or, with {@code inTransaction}, as soon as after that the broker shows an open transaction
     * (data written but not committed).
     */
    record Fault(FaultKind kind, int afterCheckpoints, boolean inTransaction) {
        @Override
        public String toString() {
            return kind + "@" + afterCheckpoints + (inTransaction ? "+txn" : "");
        }
    }

    private FaultSchedule() {}

    /** The seeded schedule: one to three faults, each one to four checkpoints after the last. */
    static List<Fault> schedule(long seed) {
        return schedule(seed, List.of(FaultKind.values()));
    }

    /** The seeded schedule, with faults of {@code allowed} kinds only. */
    static List<Fault> schedule(long seed, List<FaultKind> allowed) {
        Random random = new Random(seed);
        int count = 1 + random.nextInt(3);
        FaultKind[] kinds = allowed.toArray(new FaultKind[0]);
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            faults.add(
                    new Fault(
                            kinds[random.nextInt(kinds.length)],
                            1 + random.nextInt(4),
                            random.nextBoolean()));
        }
        return faults;
    }
}
