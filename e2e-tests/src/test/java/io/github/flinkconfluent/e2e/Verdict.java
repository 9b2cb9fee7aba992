package io.github.flinkconfluent.e2e;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What the checker of the {@link FaultCampaign} concluded about a trial, and the rule that decides
 * it.
 *
 * <p>Why the rule stands apart from the trial: it is the campaign's definition of exactly-once (a
 * gap is acceptable only as a loud failure, a duplicate never), so {@code FaultCampaignTest} holds
 * it to that without a cluster.
 */
enum Verdict {
    EXACT,
    LOUD_FAILURE,
    SILENT_LOSS,
    DUPLICATES,
    FAILED_OTHER,
    STUCK,
    /**
     * Records missing because the broker left a transaction open on an output partition that its
     * coordinator considers finished: read_committed readers stop there (a "hanging transaction",
     * see docs/sink.md). A broker defect, but users see a silent gap.
     */
    HANGING_TRANSACTION,
    HARNESS_ERROR;

    boolean acceptable() {
        return this == EXACT || this == LOUD_FAILURE;
    }

    /**
     * The verdict: duplicates or records nobody wrote are never acceptable; a gap is acceptable
     * only when the job FAILED saying "Data loss" (or "Data invisible").
     */
    static Verdict classify(
            Collection<Integer> produced,
            List<Integer> written,
            String state,
            boolean dataLossReported,
            boolean settled) {
        Set<Integer> seen = new java.util.HashSet<>();
        boolean duplicates = false;
        for (int id : written) {
            duplicates |= !seen.add(id);
        }
        Set<Integer> input = Set.copyOf(produced);
        boolean foreign = seen.stream().anyMatch(id -> !input.contains(id));
        if (duplicates || foreign) {
            return Verdict.DUPLICATES;
        }
        boolean complete = seen.containsAll(input);
        if (state.equals("FAILED")) {
            return dataLossReported ? Verdict.LOUD_FAILURE : Verdict.FAILED_OTHER;
        }
        if (complete) {
            return Verdict.EXACT;
        }
        return settled ? Verdict.SILENT_LOSS : Verdict.STUCK;
    }
}
