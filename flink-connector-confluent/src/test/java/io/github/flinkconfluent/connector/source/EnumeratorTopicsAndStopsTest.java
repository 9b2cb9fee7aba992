package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.source.enumerator.ConfluentSourceEnumerator;
import io.github.flinkconfluent.connector.source.enumerator.StartingOffsets;
import io.github.flinkconfluent.connector.source.enumerator.StoppingOffsets;
import io.github.flinkconfluent.connector.source.enumerator.TopicSelection;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The enumerator over several topics, a topic pattern, and the bounded stopping modes. */
class EnumeratorTopicsAndStopsTest {

    private static ConfluentSourceEnumerator enumerator(
            FakeEnumeratorContext context,
            FakePartitionMetadata cluster,
            TopicSelection topics,
            StartingOffsets start,
            @Nullable StoppingOffsets stop) {
        return new ConfluentSourceEnumerator(
                context,
                new ConfluentSourceEnumerator.Settings(
                        topics, start, stop, false, Duration.ofSeconds(1), "group"),
                () -> cluster,
                new ConcurrentHashMap<>(),
                null);
    }

    private static List<String> assigned(FakeEnumeratorContext context) {
        return context.allAssigned().stream().map(ConfluentPartitionSplit::toString).toList();
    }

    @Test
    void everyListedTopicIsRead() {
        FakePartitionMetadata cluster = new FakePartitionMetadata("orders", 2);
        cluster.otherTopics.put("returns", 1);
        cluster.otherTopics.put("unrelated", 1);
        FakeEnumeratorContext context = new FakeEnumeratorContext(2);
        context.registerReader(0);
        context.registerReader(1);
        enumerator(
                        context,
                        cluster,
                        TopicSelection.of(List.of("orders", "returns")),
                        StartingOffsets.earliest(),
                        null)
                .start();
        context.runAsyncCalls();

        assertThat(context.allAssigned())
                .extracting(ConfluentPartitionSplit::partition)
                .containsExactlyInAnyOrder(
                        new TopicPartition("orders", 0),
                        new TopicPartition("orders", 1),
                        new TopicPartition("returns", 0));
    }

    @Test
    void aMissingListedTopicFailsTheStartNamingIt() {
        FakePartitionMetadata cluster = new FakePartitionMetadata("orders", 1);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        enumerator(
                        context,
                        cluster,
                        TopicSelection.of(List.of("orders", "missing")),
                        StartingOffsets.earliest(),
                        null)
                .start();
        assertThatThrownBy(context::runAsyncCalls)
                .hasMessageContaining("'orders', 'missing'")
                .hasStackTraceContaining("Topic 'missing' does not exist");
    }

    @Test
    void aPatternPicksUpMatchingTopicsCreatedLaterFromTheirBeginning() {
        FakePartitionMetadata cluster = new FakePartitionMetadata("other", 1);
        cluster.otherTopics.put("orders-eu", 1);
        for (int p = 0; p < 2; p++) {
            cluster.earliest.put(p, 2L);
            cluster.latest.put(p, 40L);
        }
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        context.registerReader(0);
        enumerator(
                        context,
                        cluster,
                        TopicSelection.matching("orders-.*"),
                        StartingOffsets.latest(),
                        null)
                .start();
        context.runAsyncCalls();
        assertThat(assigned(context))
                .as("present at start: at the starting offsets ('latest')")
                .containsExactly("orders-eu-0[40, unbounded)");

        cluster.otherTopics.put("orders-us", 2);
        cluster.otherTopics.put("xorders-us", 1); // the whole name must match
        context.tick();
        context.runAsyncCalls();

        assertThat(assigned(context))
                .as("created later: every partition from its beginning")
                .containsExactlyInAnyOrder(
                        "orders-eu-0[40, unbounded)",
                        "orders-us-0[2, unbounded)",
                        "orders-us-1[2, unbounded)");

        context.tick();
        context.runAsyncCalls();
        assertThat(context.allAssigned()).as("nothing assigned twice").hasSize(3);
    }

    @Test
    void aBoundedPatternSourceStopsAtTheTopicsFoundAtStart() {
        FakePartitionMetadata cluster = new FakePartitionMetadata("orders-a", 1);
        cluster.latest.put(0, 7L);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        context.registerReader(0);
        enumerator(
                        context,
                        cluster,
                        TopicSelection.matching("orders-.*"),
                        StartingOffsets.earliest(),
                        StoppingOffsets.latest())
                .start();
        context.runAsyncCalls();

        assertThat(assigned(context)).containsExactly("orders-a-0[0, 7)");
        assertThat(context.noMoreSplits).containsExactly(0);
        assertThat(context.periodicInterval).isEqualTo(-1);
    }

    @Test
    void aTimestampStopEndsBeforeTheFirstRecordAtOrAfterItElseAtTheEnd() {
        FakePartitionMetadata cluster = new FakePartitionMetadata("orders", 3);
        cluster.byTimestamp.put(0, 12L);
        cluster.noRecordAfterTimestamp.add(1);
        cluster.latest.put(1, 30L);
        cluster.byTimestamp.put(2, 0L);
        cluster.earliest.put(2, 5L);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        context.registerReader(0);
        enumerator(
                        context,
                        cluster,
                        TopicSelection.of(List.of("orders")),
                        StartingOffsets.earliest(),
                        StoppingOffsets.timestamp(1_000L))
                .start();
        context.runAsyncCalls();

        assertThat(assigned(context))
                .containsExactlyInAnyOrder(
                        "orders-0[0, 12)",
                        "orders-1[0, 30)",
                        "orders-2[5, 5)"); // the stop is before the start: nothing to read
    }

    @Test
    void specificStopsEndEachNamedPartitionAndLeaveOthersEmpty() {
        FakePartitionMetadata cluster = new FakePartitionMetadata("orders", 3);
        cluster.earliest.put(2, 4L);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        context.registerReader(0);
        enumerator(
                        context,
                        cluster,
                        TopicSelection.of(List.of("orders")),
                        StartingOffsets.earliest(),
                        StoppingOffsets.specific(Map.of(0, 42L, 1, 3L)))
                .start();
        context.runAsyncCalls();

        assertThat(assigned(context))
                .containsExactlyInAnyOrder("orders-0[0, 42)", "orders-1[0, 3)", "orders-2[4, 4)");
    }

    @Test
    void groupStopsNeedACommittedOffsetForEveryPartition() {
        FakePartitionMetadata cluster = new FakePartitionMetadata("orders", 2);
        cluster.committed.put(0, 9L);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        context.registerReader(0);
        enumerator(
                        context,
                        cluster,
                        TopicSelection.of(List.of("orders")),
                        StartingOffsets.earliest(),
                        StoppingOffsets.committed())
                .start();
        assertThatThrownBy(context::runAsyncCalls)
                .hasStackTraceContaining("consumer group 'group'")
                .hasStackTraceContaining("orders-1");

        cluster.committed.put(1, 4L);
        FakeEnumeratorContext second = new FakeEnumeratorContext(1);
        second.registerReader(0);
        enumerator(
                        second,
                        cluster,
                        TopicSelection.of(List.of("orders")),
                        StartingOffsets.earliest(),
                        StoppingOffsets.committed())
                .start();
        second.runAsyncCalls();
        assertThat(assigned(second)).containsExactlyInAnyOrder("orders-0[0, 9)", "orders-1[0, 4)");
    }
}
