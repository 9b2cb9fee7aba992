package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.e2e.FaultSchedule.Fault;
import io.github.flinkconfluent.e2e.FaultSchedule.FaultKind;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@link FaultCampaign}'s table: one row per trial, then the totals by fault kind and verdict,
 * and the seeds to replay.
 *
 * <p>Why apart from the trials: the table is what people read and quote (docs/sink.md shows
 * campaigns' tables), so its format lives in one place, independent of how a trial runs.
 */
final class CampaignReport {

    private CampaignReport() {}

    /** The campaign's table: one row per trial, then the totals. */
    static String table(List<TrialOutcome> outcomes) {
        StringBuilder out = new StringBuilder();
        String row = "%-5s %-20s %-58s %6s %6s %4s %5s %-9s %8s %-13s %6s  %s%n";
        out.append(
                String.format(
                        Locale.ROOT,
                        row,
                        "trial",
                        "seed",
                        "faults (kind@checkpoints after the previous)",
                        "in",
                        "out",
                        "dup",
                        "lost",
                        "job",
                        "failures",
                        "verdict",
                        "secs",
                        "note"));
        Map<FaultKind, Integer> byKind = new EnumMap<>(FaultKind.class);
        Map<Verdict, Integer> byVerdict = new EnumMap<>(Verdict.class);
        long duplicates = 0;
        long losses = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            TrialOutcome o = outcomes.get(i);
            o.injected().forEach(k -> byKind.merge(k, 1, Integer::sum));
            byVerdict.merge(o.verdict(), 1, Integer::sum);
            duplicates += o.duplicates();
            losses += o.losses();
            out.append(
                    String.format(
                            Locale.ROOT,
                            row,
                            i + 1,
                            o.seed(),
                            o.scheduled().stream()
                                    .map(Fault::toString)
                                    .map(shorten())
                                    .collect(Collectors.joining(",")),
                            o.produced(),
                            o.written(),
                            o.duplicates(),
                            o.losses(),
                            o.jobState(),
                            o.restarts(),
                            o.verdict(),
                            o.took().toSeconds(),
                            o.note()));
        }
        out.append("trials: ").append(outcomes.size()).append('\n');
        out.append("faults injected: ")
                .append(
                        byKind.entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue())
                                .collect(Collectors.joining(", ")))
                .append(" (total ")
                .append(byKind.values().stream().mapToInt(Integer::intValue).sum())
                .append(")\n");
        out.append("verdicts: ")
                .append(
                        byVerdict.entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue())
                                .collect(Collectors.joining(", ")))
                .append('\n');
        out.append("duplicates: ")
                .append(duplicates)
                .append(", records lost: ")
                .append(losses)
                .append(" (in loud failures: ")
                .append(
                        outcomes.stream()
                                .filter(o -> o.verdict() == Verdict.LOUD_FAILURE)
                                .mapToInt(TrialOutcome::losses)
                                .sum())
                .append("), loud failures: ")
                .append(byVerdict.getOrDefault(Verdict.LOUD_FAILURE, 0))
                .append(", silent losses: ")
                .append(byVerdict.getOrDefault(Verdict.SILENT_LOSS, 0))
                .append('\n');
        Set<Long> bad =
                outcomes.stream()
                        .filter(o -> !o.verdict().acceptable())
                        .map(TrialOutcome::seed)
                        .collect(Collectors.toCollection(TreeSet::new));
        if (!bad.isEmpty()) {
            out.append("replay a failed trial: -Dcampaign.trials=1 -Dcampaign.seed=<one of ")
                    .append(bad)
                    .append(">\n");
        }
        return out.toString();
    }

    private static Function<String, String> shorten() {
        return s ->
                s.replace("TASK_MANAGER_KILL", "TM_KILL")
                        .replace("OUTAGE_BEYOND_TRANSACTION_TIMEOUT", "LONG_OUTAGE");
    }
}
