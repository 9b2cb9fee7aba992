package io.github.flinkconfluent.connector.source.enumerator;

import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Finds the topic's partitions, turns each into a split with concrete offsets, and hands it to one
 * reader (always the same reader for a partition at a given parallelism).
 *
 * <p>Broker calls run on the coordinator's worker thread ({@code callAsync}); all state changes
 * happen on the coordinator thread. Partitions present at job start begin at the configured {@link
 * StartingOffsets}; partitions added later begin at their earliest offset, so no record written to
 * a new partition is missed. A bounded source stops each partition at the end offset seen when the
 * partition was found and does not look for new partitions.
 */
@Internal
public final class ConfluentSourceEnumerator
        implements SplitEnumerator<ConfluentPartitionSplit, ConfluentSourceEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfluentSourceEnumerator.class);

    /** What the enumerator needs to know about the source. */
    public record Settings(
            String topic,
            StartingOffsets startingOffsets,
            boolean bounded,
            boolean readCommitted,
            Duration discoveryInterval,
            String groupId) {}

    private final SplitEnumeratorContext<ConfluentPartitionSplit> context;
    private final Settings settings;
    private final Supplier<PartitionMetadataClient> clientFactory;
    private final Set<TopicPartition> knownPartitions = new HashSet<>();
    private final Map<Integer, List<ConfluentPartitionSplit>> pendingByReader = new HashMap<>();
    private volatile boolean initialDiscoveryDone;
    @Nullable private PartitionMetadataClient client;

    public ConfluentSourceEnumerator(
            SplitEnumeratorContext<ConfluentPartitionSplit> context,
            Settings settings,
            Supplier<PartitionMetadataClient> clientFactory,
            @Nullable ConfluentSourceEnumState restored) {
        this.context = context;
        this.settings = settings;
        this.clientFactory = clientFactory;
        if (restored != null) {
            knownPartitions.addAll(restored.assignedPartitions());
            // Pending splits are known too: discovery must not create a second split for them.
            restored.pendingSplits().forEach(s -> knownPartitions.add(s.partition()));
            restored.pendingSplits().forEach(this::addPending);
            initialDiscoveryDone = restored.initialDiscoveryDone();
        }
    }

    @Override
    public void start() {
        if (settings.bounded() && initialDiscoveryDone) {
            return; // restored bounded source: every split is known already
        }
        long interval = settings.discoveryInterval().toMillis();
        if (!settings.bounded() && interval > 0) {
            context.callAsync(this::discover, this::handleDiscovered, 0, interval);
        } else {
            context.callAsync(this::discover, this::handleDiscovered);
        }
    }

    /** Worker thread: finds partitions not yet known and resolves their offsets. */
    private List<ConfluentPartitionSplit> discover() {
        if (client == null) {
            client = clientFactory.get();
        }
        Set<TopicPartition> found = new HashSet<>(client.partitionsOf(settings.topic()));
        Set<TopicPartition> known;
        synchronized (knownPartitions) {
            known = new HashSet<>(knownPartitions);
        }
        found.removeAll(known);
        if (found.isEmpty()) {
            return List.of();
        }
        Map<TopicPartition, Long> starts =
                initialDiscoveryDone
                        ? client.earliestOffsets(found)
                        : settings.startingOffsets()
                                .resolve(
                                        found,
                                        client,
                                        settings.groupId(),
                                        settings.readCommitted());
        Map<TopicPartition, Long> stops =
                settings.bounded()
                        ? client.latestOffsets(found, settings.readCommitted())
                        : Map.of();
        List<ConfluentPartitionSplit> splits = new ArrayList<>();
        for (TopicPartition partition : found) {
            long start = starts.get(partition);
            long stop =
                    settings.bounded()
                            ? Math.max(start, stops.get(partition))
                            : ConfluentPartitionSplit.NO_STOPPING_OFFSET;
            splits.add(new ConfluentPartitionSplit(partition, start, stop));
        }
        return splits;
    }

    /** Coordinator thread. */
    private void handleDiscovered(List<ConfluentPartitionSplit> splits, Throwable error) {
        if (error != null) {
            if (!initialDiscoveryDone) {
                throw new FlinkRuntimeException(
                        "Cannot read the partitions of topic '" + settings.topic() + "'", error);
            }
            LOG.warn("Partition discovery of topic '{}' failed; retrying", settings.topic(), error);
            return;
        }
        if (!splits.isEmpty()) {
            LOG.info(
                    "Found {} new partition(s) of '{}': {}",
                    splits.size(),
                    settings.topic(),
                    splits);
        }
        synchronized (knownPartitions) {
            splits.forEach(s -> knownPartitions.add(s.partition()));
        }
        splits.forEach(this::addPending);
        initialDiscoveryDone = true;
        assignPending(context.registeredReaders().keySet());
    }

    @Override
    public void handleSplitRequest(int subtaskId, @Nullable String requesterHostname) {
        // Splits are pushed on discovery and registration; readers never ask.
    }

    @Override
    public void addSplitsBack(List<ConfluentPartitionSplit> splits, int subtaskId) {
        // A reader failed before a checkpoint took these; they go back out, to the same owner.
        splits.forEach(this::addPending);
        if (context.registeredReaders().containsKey(subtaskId)) {
            assignPending(List.of(subtaskId));
        }
    }

    @Override
    public void addReader(int subtaskId) {
        assignPending(List.of(subtaskId));
    }

    @Override
    public ConfluentSourceEnumState snapshotState(long checkpointId) {
        List<ConfluentPartitionSplit> pending = new ArrayList<>();
        pendingByReader.values().forEach(pending::addAll);
        Set<TopicPartition> assigned;
        synchronized (knownPartitions) {
            assigned = new HashSet<>(knownPartitions);
        }
        pending.forEach(s -> assigned.remove(s.partition()));
        return new ConfluentSourceEnumState(assigned, pending, initialDiscoveryDone);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    /** The reader that owns {@code partition} at the current parallelism. */
    static int ownerOf(TopicPartition partition, int parallelism) {
        return Math.floorMod(
                partition.topic().hashCode() * 31 + partition.partition(), parallelism);
    }

    private void addPending(ConfluentPartitionSplit split) {
        pendingByReader
                .computeIfAbsent(
                        ownerOf(split.partition(), context.currentParallelism()),
                        k -> new ArrayList<>())
                .add(split);
    }

    private void assignPending(Collection<Integer> readers) {
        for (int reader : readers) {
            List<ConfluentPartitionSplit> splits = pendingByReader.remove(reader);
            if (splits != null) {
                splits.forEach(split -> context.assignSplit(split, reader));
            }
            if (settings.bounded() && initialDiscoveryDone) {
                context.signalNoMoreSplits(reader);
            }
        }
    }
}
