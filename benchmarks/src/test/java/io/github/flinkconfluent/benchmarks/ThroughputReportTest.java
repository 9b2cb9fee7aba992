package io.github.flinkconfluent.benchmarks;

import io.github.flinkconfluent.benchmarks.EndToEndThroughput.Measurement;
import io.github.flinkconfluent.benchmarks.EndToEndThroughput.Side;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The report's ratios pair the two sides of one round, never medians of different rounds. */
class ThroughputReportTest {

    private static Measurement m(Side side, int round, long millis) {
        return new Measurement("read avro", side, 1, round, millis, 1000);
    }

    @Test
    void ratiosArePerRoundAndSummarizedByMedianAndRange() {
        List<Measurement> group =
                List.of(
                        m(Side.OURS, 1, 100),
                        m(Side.PEER, 1, 150),
                        m(Side.CLIENT, 1, 50),
                        m(Side.PEER, 2, 400),
                        m(Side.OURS, 2, 400),
                        m(Side.OURS, 3, 300),
                        m(Side.PEER, 3, 600));

        assertThat(ThroughputReport.ratios(group, Side.PEER)).containsExactly(1.5, 1.0, 2.0);
        assertThat(ThroughputReport.ratios(group, Side.CLIENT)).containsExactly(0.5);
        String table = ThroughputReport.table(group, 1000);
        // ours: median of 100, 400, 300; peer: median of 150, 400, 600
        assertThat(table)
                .contains(
                        "| read avro | 1 | 300 (3,333/s) | 400 (2,500/s) | **1.50** (1.00–2.00) |");
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(ThroughputReport.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }
}
