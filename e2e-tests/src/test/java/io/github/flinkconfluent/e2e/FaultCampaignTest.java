package io.github.flinkconfluent.e2e;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The campaign's own logic, without a cluster: schedules replay, and the verdicts are strict. */
class FaultCampaignTest {

    private static final List<Integer> INPUT = List.of(1, 2, 3);

    @Test
    void aSeedAlwaysGivesTheSameSchedule() {
        assertThat(FaultSchedule.schedule(42)).isEqualTo(FaultSchedule.schedule(42));
        assertThat(FaultSchedule.schedule(42)).hasSizeBetween(1, 3);
    }

    @Test
    void everyRecordOnceIsExact() {
        assertThat(Verdict.classify(INPUT, List.of(3, 1, 2), "RUNNING", false, true))
                .isEqualTo(Verdict.EXACT);
    }

    @Test
    void aDuplicateOrAForeignRecordIsNeverAcceptable() {
        assertThat(Verdict.classify(INPUT, List.of(1, 2, 3, 2), "RUNNING", false, true))
                .isEqualTo(Verdict.DUPLICATES);
        assertThat(Verdict.classify(INPUT, List.of(1, 2, 3, 9), "FAILED", true, true))
                .isEqualTo(Verdict.DUPLICATES);
    }

    @Test
    void aGapIsAcceptableOnlyWhenTheJobFailedSayingDataLoss() {
        assertThat(Verdict.classify(INPUT, List.of(1, 2), "FAILED", true, true))
                .isEqualTo(Verdict.LOUD_FAILURE);
        assertThat(Verdict.classify(INPUT, List.of(1, 2), "FAILED", false, true))
                .isEqualTo(Verdict.FAILED_OTHER);
        assertThat(Verdict.classify(INPUT, List.of(1, 2), "RUNNING", false, true))
                .isEqualTo(Verdict.SILENT_LOSS);
        assertThat(Verdict.classify(INPUT, List.of(1, 2), "FINISHED", false, true))
                .isEqualTo(Verdict.SILENT_LOSS);
        assertThat(Verdict.classify(INPUT, List.of(1, 2), "RUNNING", false, false))
                .isEqualTo(Verdict.STUCK);
    }

    @Test
    void onlyExactAndLoudFailuresPass() {
        assertThat(List.of(Verdict.values()).stream().filter(Verdict::acceptable))
                .containsExactly(Verdict.EXACT, Verdict.LOUD_FAILURE);
    }
}
