package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.ConfluentConnectorOptions;
import io.github.flinkconfluent.connector.options.BadDataPolicy;
import io.github.flinkconfluent.connector.source.enumerator.StoppingOffsets;
import io.github.flinkconfluent.connector.source.enumerator.TopicSelection;
import io.github.flinkconfluent.connector.table.OptionAliases;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code topic} lists, {@code topic-pattern} and the bounded modes, as SourceSettings reads them.
 */
class TopicAndBoundOptionsTest {

    /** The options after Flink's spellings are translated, as the table factory reads them. */
    private static Configuration options(Map<String, String> table) {
        return Configuration.fromMap(OptionAliases.canonicalize(table));
    }

    @Test
    void aTopicListIsSplitAtSemicolonsTrimmedAndDeduplicated() {
        TopicSelection topics =
                SourceSettings.topics(options(Map.of("topic", " orders; returns;;orders ")));
        assertThat(topics.topics()).containsExactly("orders", "returns");
        assertThat(topics.isSingleTopic()).isFalse();
        assertThat(topics.accepts("returns")).isTrue();
        assertThat(topics.accepts("order")).isFalse();
    }

    @Test
    void aPatternMatchesWholeTopicNames() {
        TopicSelection topics =
                SourceSettings.topics(options(Map.of("topic-pattern", "orders-.*")));
        assertThat(topics.isPattern()).isTrue();
        assertThat(topics.accepts("orders-eu")).isTrue();
        assertThat(topics.accepts("old-orders-eu")).isFalse();
    }

    @Test
    void topicAndPatternAreMutuallyExclusive() {
        assertThatThrownBy(
                        () ->
                                SourceSettings.topics(
                                        options(Map.of("topic", "a", "topic-pattern", "a.*"))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'topic' and 'topic-pattern' are both set");
    }

    @Test
    void aSourceNeedsATopicOrAPattern() {
        assertThatThrownBy(() -> SourceSettings.topics(options(Map.of("topic", " ; "))))
                .hasMessageContaining("needs 'topic'")
                .hasMessageContaining("'topic-pattern'");
    }

    @Test
    void anInvalidPatternNamesTheOption() {
        assertThatThrownBy(() -> SourceSettings.topics(options(Map.of("topic-pattern", "a(b"))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'topic-pattern' = 'a(b'")
                .hasMessageContaining("regular expression");
    }

    @Test
    void flinksBoundedModesMapToStoppingOffsets() {
        assertThat(
                        SourceSettings.stoppingOffsets(
                                options(
                                        Map.of(
                                                "topic", "t",
                                                "scan.bounded.mode", "timestamp",
                                                "scan.bounded.timestamp-millis", "1700000000000")),
                                false))
                .isEqualTo(StoppingOffsets.timestamp(1_700_000_000_000L));
        assertThat(
                        SourceSettings.stoppingOffsets(
                                options(
                                        Map.of(
                                                "topic", "t",
                                                "scan.bounded.mode", "specific-offsets",
                                                "scan.bounded.specific-offsets",
                                                        "partition:0,offset:42;partition:1,offset:300")),
                                false))
                .isEqualTo(StoppingOffsets.specific(Map.of(0, 42L, 1, 300L)));
        assertThat(
                        SourceSettings.stoppingOffsets(
                                options(Map.of("topic", "t", "scan.bounded.mode", "group-offsets")),
                                false))
                .isEqualTo(StoppingOffsets.committed());
        assertThat(
                        SourceSettings.stoppingOffsets(
                                options(Map.of("topic", "t", "scan.bounded.mode", "unbounded")),
                                true))
                .as("explicitly unbounded, even where bounded is the default")
                .isNull();
        assertThat(SourceSettings.stoppingOffsets(options(Map.of("topic", "t")), true))
                .isEqualTo(StoppingOffsets.latest());
        assertThat(SourceSettings.stoppingOffsets(options(Map.of("topic", "t")), false)).isNull();
    }

    @Test
    void aBoundedModeWithoutItsValueNamesTheMissingOption() {
        assertThatThrownBy(
                        () ->
                                SourceSettings.stoppingOffsets(
                                        options(
                                                Map.of(
                                                        "topic",
                                                        "t",
                                                        "scan.bounded.mode",
                                                        "timestamp")),
                                        false))
                .hasMessageContaining("'source.bounded.timestamp'");
        assertThatThrownBy(
                        () ->
                                SourceSettings.stoppingOffsets(
                                        options(
                                                Map.of(
                                                        "topic",
                                                        "t",
                                                        "source.bounded",
                                                        "specific_offsets")),
                                        false))
                .hasMessageContaining("'source.bounded.specific'");
    }

    @Test
    void aBoundedValueWithoutItsModeIsRefused() {
        assertThatThrownBy(
                        () ->
                                SourceSettings.stoppingOffsets(
                                        options(
                                                Map.of(
                                                        "topic",
                                                        "t",
                                                        "scan.bounded.timestamp-millis",
                                                        "5")),
                                        true))
                .hasMessageContaining("only used with 'source.bounded' = 'timestamp'");
    }

    @Test
    void badSpecificStopsNameTheirOptionAndEntry() {
        assertThatThrownBy(
                        () ->
                                SourceSettings.stoppingOffsets(
                                        options(
                                                Map.of(
                                                        "topic",
                                                        "t",
                                                        "scan.bounded.mode",
                                                        "specific-offsets",
                                                        "scan.bounded.specific-offsets",
                                                        "partition:0,offset:x")),
                                        false))
                .hasMessageContaining("'source.bounded.specific' entry 'partition:0,offset:x'");
    }

    @Test
    void offsetsByPartitionNumberNeedASingleTopic() {
        assertThatThrownBy(
                        () ->
                                SourceSettings.stoppingOffsets(
                                        options(
                                                Map.of(
                                                        "topic",
                                                        "a;b",
                                                        "scan.bounded.mode",
                                                        "specific-offsets",
                                                        "scan.bounded.specific-offsets",
                                                        "partition:0,offset:1")),
                                        false))
                .hasMessageContaining("'source.bounded.specific'")
                .hasMessageContaining("topics 'a', 'b'");
        assertThatThrownBy(
                        () ->
                                SourceSettings.startingOffsets(
                                        options(
                                                Map.of(
                                                        "topic-pattern",
                                                        "a.*",
                                                        "scan.startup.mode",
                                                        "specific-offsets",
                                                        "scan.startup.specific-offsets",
                                                        "partition:0,offset:1"))))
                .hasMessageContaining("'source.offset.specific'")
                .hasMessageContaining("topics matching 'a.*'");
    }

    @Test
    void theDeadLetterTopicMustNotBeOneOfTheSourceTopics() {
        for (Map<String, String> topics :
                List.of(Map.of("topic", "a;dead"), Map.of("topic-pattern", "d.*"))) {
            Configuration options = new Configuration();
            topics.forEach(options::setString);
            options.set(ConfluentConnectorOptions.BAD_DATA, BadDataPolicy.DLQ);
            options.set(ConfluentConnectorOptions.BAD_DATA_TOPIC, "dead");
            assertThatThrownBy(() -> SourceSettings.deadLetterTopic(options))
                    .as(topics.toString())
                    .hasMessageContaining("must not be the source topic 'dead'");
        }
    }
}
