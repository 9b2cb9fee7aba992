package io.github.flinkconfluent.benchmarks;

import io.github.flinkconfluent.benchmarks.EndToEndThroughput.Measurement;
import io.github.flinkconfluent.benchmarks.EndToEndThroughput.Side;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The Markdown table of an {@link EndToEndThroughput} run: per path and parallelism, the median
 * time of each side, and the ratios taken round by round (so that both terms of a ratio ran next to
 * each other, under the same load), as median and range.
 */
final class ThroughputReport {

    private ThroughputReport() {}

    static String table(List<Measurement> measurements, long rows) {
        Map<String, List<Measurement>> groups = new LinkedHashMap<>();
        for (Measurement m : measurements) {
            groups.computeIfAbsent(m.path() + "\u0000" + m.parallelism(), k -> new ArrayList<>())
                    .add(m);
        }
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "%,d rows per job; times are medians over the rounds (rows/s in"
                                + " brackets); ratios are per round, median (min–max)%n%n",
                        rows));
        out.append(
                "| path | p | ours ms | peer ms | peer / ours | client loop ms"
                        + " | client / ours |\n");
        out.append("|---|---|---|---|---|---|---|\n");
        for (List<Measurement> group : groups.values()) {
            Measurement first = group.get(0);
            List<Double> peerRatios = ratios(group, Side.PEER);
            List<Double> clientRatios = ratios(group, Side.CLIENT);
            out.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %d | %s | %s | %s | %s | %s |%n",
                            first.path(),
                            first.parallelism(),
                            time(group, Side.OURS, rows),
                            time(group, Side.PEER, rows),
                            spread(peerRatios),
                            time(group, Side.CLIENT, rows),
                            spread(clientRatios)));
        }
        return out.toString();
    }

    /** Per round: the {@code other} side's time over ours (> 1: ours is faster). */
    static List<Double> ratios(List<Measurement> group, Side other) {
        List<Double> ratios = new ArrayList<>();
        for (Measurement ours : group) {
            if (ours.side() != Side.OURS) {
                continue;
            }
            millis(group, other, ours.round())
                    .ifPresent(t -> ratios.add((double) t / Math.max(1, ours.millis())));
        }
        return ratios;
    }

    private static Optional<Long> millis(List<Measurement> group, Side side, int round) {
        return group.stream()
                .filter(m -> m.side() == side && m.round() == round)
                .map(Measurement::millis)
                .findFirst();
    }

    private static String time(List<Measurement> group, Side side, long rows) {
        List<Double> times = new ArrayList<>();
        for (Measurement m : group) {
            if (m.side() == side) {
                times.add((double) m.millis());
            }
        }
        if (times.isEmpty()) {
            return "–";
        }
        double median = median(times);
        return String.format(
                Locale.ROOT, "%.0f (%,.0f/s)", median, rows * 1000.0 / Math.max(1, median));
    }

    private static String spread(List<Double> ratios) {
        if (ratios.isEmpty()) {
            return "–";
        }
        return String.format(
                Locale.ROOT,
                "**%.2f** (%.2f–%.2f)",
                median(ratios),
                Collections.min(ratios),
                Collections.max(ratios));
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
