package io.github.flinkconfluent.benchmarks;

import io.github.flinkconfluent.benchmarks.EndToEndThroughput.Measurement;
import io.github.flinkconfluent.benchmarks.EndToEndThroughput.Options;
import io.github.flinkconfluent.benchmarks.EndToEndThroughput.Side;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A smoke run of {@link EndToEndThroughput} (a few rows, one round, parallelism 1), so the harness
 * cannot rot between the hand-made runs: every path runs on both connectors and its client loop,
 * and every job reads or writes exactly the rows generated. Nothing here is timed.
 */
class EndToEndThroughputITCase {

    private static final long ROWS = 500;

    @Test
    void everyPathRunsOnBothSidesWithTheSameRowCount() throws Exception {
        List<Measurement> measurements =
                EndToEndThroughput.run(new Options(ROWS, 1, List.of(1), Pattern.compile("")));

        Map<String, Set<Side>> sidesByPath =
                measurements.stream()
                        .collect(
                                Collectors.groupingBy(
                                        Measurement::path,
                                        Collectors.mapping(Measurement::side, Collectors.toSet())));
        assertThat(sidesByPath)
                .containsOnlyKeys(
                        "read avro",
                        "read registry avro (peer: bare avro)",
                        "read json",
                        "read raw",
                        "write avro at_least_once",
                        "write json at_least_once",
                        "write avro exactly_once",
                        "write json exactly_once");
        sidesByPath.forEach(
                (path, sides) -> assertThat(sides).as(path).contains(Side.OURS, Side.PEER));
        assertThat(sidesByPath.get("read json")).contains(Side.CLIENT);
        assertThat(sidesByPath.get("write json at_least_once")).contains(Side.CLIENT);
        assertThat(measurements)
                .allSatisfy(m -> assertThat(m.rows()).as(m.toString()).isEqualTo(ROWS));
        assertThat(ThroughputReport.table(measurements, ROWS)).contains("| read avro | 1 |");
    }
}
