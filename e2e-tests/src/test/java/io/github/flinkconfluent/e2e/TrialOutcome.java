package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.e2e.FaultSchedule.Fault;
import io.github.flinkconfluent.e2e.FaultSchedule.FaultKind;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One trial's result, a row of the {@link CampaignReport} table.
 *
 * <p>Why a record with its own counting: the per-trial line, the table and the test's assertion all
 * read the same numbers, so duplicates and losses are counted once, here, from the acknowledged
 * input and the committed output.
 */
record TrialOutcome(
        long seed,
        List<Fault> scheduled,
        List<FaultKind> injected,
        int produced,
        int written,
        int duplicates,
        int losses,
        String jobState,
        long restarts,
        Verdict verdict,
        String note,
        Duration took) {

    /**
     * The outcome of a trial that got as far as reading the output: counts duplicates and losses of
     * {@code written} against {@code produced} and names the first few ids of each in the note.
     */
    static TrialOutcome of(
            long seed,
            List<Fault> faults,
            List<FaultKind> injected,
            Collection<Integer> produced,
            List<Integer> written,
            String state,
            long restarts,
            Verdict verdict,
            String note,
            long started) {
        Map<Integer, Integer> counts = new HashMap<>();
        written.forEach(id -> counts.merge(id, 1, Integer::sum));
        int duplicates = counts.values().stream().mapToInt(n -> n - 1).sum();
        List<Integer> lost =
                produced.stream()
                        .filter(id -> !counts.containsKey(id))
                        .sorted()
                        .collect(Collectors.toList());
        int losses = lost.size();
        List<Integer> duplicated =
                counts.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .sorted()
                        .collect(Collectors.toList());
        if (!lost.isEmpty()) {
            note += (note.isEmpty() ? "" : "; ") + "lost order ids " + head(lost);
        }
        if (!duplicated.isEmpty()) {
            note += (note.isEmpty() ? "" : "; ") + "duplicated order ids " + head(duplicated);
        }
        return new TrialOutcome(
                seed,
                faults,
                injected,
                produced.size(),
                written.size(),
                duplicates,
                losses,
                state,
                restarts,
                verdict,
                note,
                Duration.ofNanos(System.nanoTime() - started));
    }

    private static String head(List<Integer> ids) {
        return ids.size() <= 5
                ? ids.toString()
                : ids.subList(0, 5) + " and " + (ids.size() - 5) + " more";
    }
}
