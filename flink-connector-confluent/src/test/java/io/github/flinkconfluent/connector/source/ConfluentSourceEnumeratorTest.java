package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.source.enumerator.ConfluentSourceEnumState;
import io.github.flinkconfluent.connector.source.enumerator.ConfluentSourceEnumerator;
import io.github.flinkconfluent.connector.source.enumerator.StartingOffsets;
import io.github.flinkconfluent.connector.source.enumerator.StoppingOffsets;
import io.github.flinkconfluent.connector.source.enumerator.TopicSelection;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfluentSourceEnumeratorTest {

    private static ConfluentSourceEnumerator enumerator(
            FakeEnumeratorContext context,
            FakePartitionMetadata topic,
            StartingOffsets start,
            boolean bounded,
            ConfluentSourceEnumState restored) {
        return enumerator(context, topic, start, bounded, new ConcurrentHashMap<>(), restored);
    }

    private static ConfluentSourceEnumerator enumerator(
            FakeEnumeratorContext context,
            FakePartitionMetadata topic,
            StartingOffsets start,
            boolean bounded,
            Map<TopicPartition, ConfluentPartitionSplit> firstSplits,
            ConfluentSourceEnumState restored) {
        return new ConfluentSourceEnumerator(
                context,
                new ConfluentSourceEnumerator.Settings(
                        TopicSelection.of(List.of(topic.topic)),
                        start,
                        bounded ? StoppingOffsets.latest() : null,
                        false,
                        Duration.ofSeconds(1),
                        "group"),
                () -> topic,
                firstSplits,
                restored);
    }

    @Test
    void everyPartitionGoesToExactlyOneReaderWithResolvedOffsets() {
        FakePartitionMetadata topic = new FakePartitionMetadata("orders", 6);
        for (int p = 0; p < 6; p++) {
            topic.earliest.put(p, 10L * p);
        }
        FakeEnumeratorContext context = new FakeEnumeratorContext(3);
        ConfluentSourceEnumerator enumerator =
                enumerator(context, topic, StartingOffsets.earliest(), false, null);
        enumerator.start();
        context.registerReader(0);
        enumerator.addReader(0);
        context.runAsyncCalls();
        context.registerReader(1);
        enumerator.addReader(1);
        context.registerReader(2);
        enumerator.addReader(2);

        List<ConfluentPartitionSplit> all = context.allAssigned();
        assertThat(all).hasSize(6);
        assertThat(all)
                .extracting(s -> s.partition().partition())
                .containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(all)
                .allSatisfy(
                        s ->
                                assertThat(s.startingOffset())
                                        .isEqualTo(10L * s.partition().partition()));
        assertThat(all).noneMatch(ConfluentPartitionSplit::isBounded);
        assertThat(context.noMoreSplits).as("unbounded sources never finish").isEmpty();
        assertThat(context.periodicInterval).isEqualTo(1000);
    }

    @Test
    void boundedSourcesStopAtTheEndSeenAtStartAndSignalTheEnd() {
        FakePartitionMetadata topic = new FakePartitionMetadata("orders", 2);
        topic.latest.put(0, 5L);
        topic.latest.put(1, 0L);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        ConfluentSourceEnumerator enumerator =
                enumerator(context, topic, StartingOffsets.earliest(), true, null);
        context.registerReader(0);
        enumerator.start();
        context.runAsyncCalls();

        assertThat(context.allAssigned())
                .containsExactlyInAnyOrder(
                        new ConfluentPartitionSplit(new TopicPartition("orders", 0), 0, 5),
                        new ConfluentPartitionSplit(new TopicPartition("orders", 1), 0, 0));
        assertThat(context.noMoreSplits).containsExactly(0);
        assertThat(context.periodicInterval).as("no discovery when bounded").isEqualTo(-1);
    }

    @Test
    void partitionsAddedLaterStartAtTheirBeginning() {
        FakePartitionMetadata topic = new FakePartitionMetadata("orders", 1);
        topic.latest.put(0, 100L);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        context.registerReader(0);
        ConfluentSourceEnumerator enumerator =
                enumerator(context, topic, StartingOffsets.latest(), false, null);
        enumerator.start();
        context.runAsyncCalls();
        assertThat(context.allAssigned())
                .extracting(ConfluentPartitionSplit::startingOffset)
                .containsExactly(100L);

        topic.partitions = 2;
        topic.latest.put(1, 50L);
        topic.earliest.put(1, 3L);
        context.tick(); // the next periodic discovery
        context.runAsyncCalls();

        assertThat(context.allAssigned()).hasSize(2);
        assertThat(context.assigned.get(0).get(1))
                .isEqualTo(
                        new ConfluentPartitionSplit(
                                new TopicPartition("orders", 1),
                                3L,
                                ConfluentPartitionSplit.NO_STOPPING_OFFSET));
    }

    @Test
    void aDiscoverySlowerThanTheIntervalNeverAssignsAPartitionTwice() {
        FakePartitionMetadata topic = new FakePartitionMetadata("orders", 1);
        topic.latest.put(0, 100L);
        FakeEnumeratorContext context = new FakeEnumeratorContext(2);
        context.registerReader(0);
        context.registerReader(1);
        ConfluentSourceEnumerator enumerator =
                enumerator(context, topic, StartingOffsets.latest(), false, null);
        enumerator.start();
        context.runAsyncCalls();

        // Two partitions appear, and the metadata calls become slower than the interval: while
        // each of the next three is under way, the next period elapses, and the worker runs the
        // next periodic call before the coordinator thread handled the previous result.
        topic.partitions = 3;
        topic.earliest.put(1, 5L);
        topic.earliest.put(2, 6L);
        topic.latest.put(1, 50L);
        topic.latest.put(2, 60L);
        AtomicInteger slowCalls = new AtomicInteger(3);
        topic.whileDescribing =
                () -> {
                    if (slowCalls.getAndDecrement() > 0) {
                        context.tick();
                    }
                };
        context.tick();
        context.runAsyncCalls();

        assertThat(context.allAssigned())
                .extracting(s -> s.partition().partition())
                .containsExactlyInAnyOrder(0, 1, 2);
        assertThat(context.allAssigned())
                .filteredOn(s -> s.partition().partition() > 0)
                .as("partitions found while running start at their beginning")
                .extracting(ConfluentPartitionSplit::startingOffset)
                .containsExactlyInAnyOrder(5L, 6L);
    }

    @Test
    void aPeriodElapsingWhileADiscoveryRunsStartsNoSecondOne() {
        FakePartitionMetadata topic = new FakePartitionMetadata("orders", 1);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        context.registerReader(0);
        ConfluentSourceEnumerator enumerator =
                enumerator(context, topic, StartingOffsets.earliest(), false, null);
        enumerator.start();
        context.runAsyncCalls();
        int describesBefore = topic.describes;

        topic.partitions = 2;
        context.tick();
        context.runWorker();
        context.tick();
        context.runWorker();
        context.runCoordinator(); // both periods handled: one discovery starts, one is skipped
        context.runAsyncCalls();

        assertThat(topic.describes - describesBefore).isEqualTo(1);
        assertThat(context.allAssigned())
                .extracting(s -> s.partition().partition())
                .containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void groupAndSpecificOffsetsFallBackForPartitionsWithoutOne() {
        FakePartitionMetadata topic = new FakePartitionMetadata("orders", 2);
        topic.committed.put(0, 7L);
        topic.latest.put(1, 9L);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        context.registerReader(0);
        ConfluentSourceEnumerator enumerator =
                enumerator(
                        context, topic, StartingOffsets.committed(OffsetMode.LATEST), false, null);
        enumerator.start();
        context.runAsyncCalls();
        assertThat(context.allAssigned())
                .extracting(ConfluentPartitionSplit::startingOffset)
                .containsExactlyInAnyOrder(7L, 9L);

        FakeEnumeratorContext context2 = new FakeEnumeratorContext(1);
        context2.registerReader(0);
        ConfluentSourceEnumerator specific =
                enumerator(
                        context2,
                        topic,
                        StartingOffsets.specific(Map.of(1, 4L), OffsetMode.EARLIEST),
                        false,
                        null);
        specific.start();
        context2.runAsyncCalls();
        assertThat(context2.allAssigned())
                .extracting(ConfluentPartitionSplit::startingOffset)
                .containsExactlyInAnyOrder(0L, 4L);
    }

    @Test
    void restoredEnumeratorHandsOutPendingSplitsAndSkipsKnownPartitions() {
        FakePartitionMetadata topic = new FakePartitionMetadata("orders", 3);
        ConfluentPartitionSplit pending =
                new ConfluentPartitionSplit(
                        new TopicPartition("orders", 2),
                        11,
                        ConfluentPartitionSplit.NO_STOPPING_OFFSET);
        ConfluentSourceEnumState state =
                new ConfluentSourceEnumState(
                        java.util.Set.of(
                                new TopicPartition("orders", 0), new TopicPartition("orders", 1)),
                        List.of(pending),
                        true);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        ConfluentSourceEnumerator enumerator =
                enumerator(context, topic, StartingOffsets.earliest(), false, state);
        enumerator.start();
        context.registerReader(0);
        enumerator.addReader(0);
        context.runAsyncCalls();

        assertThat(context.allAssigned()).containsExactly(pending);
        assertThat(enumerator.snapshotState(1).assignedPartitions()).hasSize(3);
    }

    @Test
    void splitsOfAFailedReaderGoBackToIt() {
        FakePartitionMetadata topic = new FakePartitionMetadata("orders", 1);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        context.registerReader(0);
        ConfluentSourceEnumerator enumerator =
                enumerator(context, topic, StartingOffsets.earliest(), false, null);
        enumerator.start();
        context.runAsyncCalls();
        ConfluentPartitionSplit split = context.allAssigned().get(0);

        enumerator.addSplitsBack(List.of(split.withStartingOffset(4)), 0);

        assertThat(context.assigned.get(0)).containsExactly(split, split.withStartingOffset(4));
    }

    /**
     * A global failover without a checkpoint (or with one taken before the splits existed) gives
     * Flink's source coordinator a new enumerator: it must hand out the splits the first one
     * created, not resolve 'latest' again past the records written in between.
     */
    @Test
    void aNewEnumeratorOfTheSameJobReusesTheFirstSplitOfEachPartition() {
        FakePartitionMetadata topic = new FakePartitionMetadata("orders", 2);
        topic.latest.put(0, 5L);
        topic.latest.put(1, 7L);
        Map<TopicPartition, ConfluentPartitionSplit> firstSplits = new ConcurrentHashMap<>();
        FakeEnumeratorContext first = new FakeEnumeratorContext(1);
        first.registerReader(0);
        enumerator(first, topic, StartingOffsets.latest(), false, firstSplits, null).start();
        first.runAsyncCalls();
        assertThat(first.allAssigned())
                .extracting(ConfluentPartitionSplit::startingOffset)
                .containsExactlyInAnyOrder(5L, 7L);

        // Records were written, then the job failed over before any checkpoint; a partition
        // was added too.
        topic.latest.put(0, 50L);
        topic.latest.put(1, 70L);
        topic.partitions = 3;
        topic.latest.put(2, 9L);
        FakeEnumeratorContext second = new FakeEnumeratorContext(1);
        second.registerReader(0);
        enumerator(second, topic, StartingOffsets.latest(), false, firstSplits, null).start();
        second.runAsyncCalls();

        assertThat(second.allAssigned())
                .as("the first start of partitions 0 and 1; 'latest' for the one never assigned")
                .extracting(s -> s.partition().partition() + "@" + s.startingOffset())
                .containsExactlyInAnyOrder("0@5", "1@7", "2@9");

        // And a restored enumerator that already knows partition 0 leaves it to the readers.
        FakeEnumeratorContext third = new FakeEnumeratorContext(1);
        third.registerReader(0);
        enumerator(
                        third,
                        topic,
                        StartingOffsets.latest(),
                        false,
                        firstSplits,
                        new ConfluentSourceEnumState(
                                java.util.Set.of(new TopicPartition("orders", 0)), List.of(), true))
                .start();
        third.runAsyncCalls();
        assertThat(third.allAssigned())
                .extracting(s -> s.partition().partition() + "@" + s.startingOffset())
                .containsExactlyInAnyOrder("1@7", "2@9");
    }

    @Test
    void aMissingTopicFailsTheInitialDiscovery() {
        FakePartitionMetadata topic = new FakePartitionMetadata("other", 1);
        FakeEnumeratorContext context = new FakeEnumeratorContext(1);
        ConfluentSourceEnumerator enumerator =
                new ConfluentSourceEnumerator(
                        context,
                        new ConfluentSourceEnumerator.Settings(
                                TopicSelection.of(List.of("orders")),
                                StartingOffsets.earliest(),
                                null,
                                false,
                                Duration.ZERO,
                                "g"),
                        () -> topic,
                        new ConcurrentHashMap<>(),
                        null);
        enumerator.start();
        assertThatThrownBy(context::runAsyncCalls).hasMessageContaining("'orders'");
    }
}
