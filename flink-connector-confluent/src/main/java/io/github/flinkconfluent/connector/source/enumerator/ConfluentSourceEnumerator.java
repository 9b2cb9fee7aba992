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
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Finds the partitions of the source's topics (a list, or every topic matching a pattern), turns
 * each into a split with concrete offsets, and hands it to one reader (always the same reader for a
 * partition at a given parallelism).
 *
 * <p>Broker calls run on the coordinator's worker thread ({@code callAsync}); all state lives on
 * the coordinator thread. At most one discovery runs at a time, by construction: the periodic
 * {@code callAsync} only ticks, and each tick, on the coordinator thread, starts a one-shot
 * discovery unless one is still running. Flink's periodic {@code callAsync} ({@code
 * ExecutorNotifier}, a fixed-rate schedule on the worker pool) never runs its callable twice at
 * once, but when a run takes longer than the interval the next one starts right after it, before
 * the coordinator thread has handled the first one's result: had the discovery itself been the
 * periodic callable, the second run would not see the partitions the first one found and would
 * create their splits again. Each discovery works on a copy of the known partitions taken on the
 * coordinator thread, and its result is added only for partitions still unknown when it arrives.
 *
 * <p>Partitions present at job start begin at the configured {@link StartingOffsets}; partitions
 * added later — also every partition of a topic created later that matches the pattern — begin at
 * their earliest offset, so no record written to a new partition is missed. A bounded source stops
 * each partition at its {@link StoppingOffsets}, resolved when the partition is found, and does not
 * look for new partitions.
 *
 * <p>A split's offsets are fixed the first time it is created, for the whole life of the job: every
 * split created goes into {@code firstSplits}, which outlives this enumerator, and a later
 * enumerator that finds a partition not in its checkpoint reuses that split instead of resolving
 * the offsets again. Flink creates the enumerator afresh on a global failover (a failing
 * coordinator, for one) that has no checkpoint to go back to, or whose checkpoint predates the
 * assignment; resolving "latest" (or a timestamp, or group offsets) a second time there would skip
 * every record written since the first start, records that no checkpoint holds. A failover of
 * single subtasks does not get here: Flink hands the splits assigned since the checkpoint back
 * through {@link #addSplitsBack}, unchanged.
 */
@Internal
public final class ConfluentSourceEnumerator
        implements SplitEnumerator<ConfluentPartitionSplit, ConfluentSourceEnumState> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfluentSourceEnumerator.class);

    /** What the enumerator needs to know about the source. */
    public record Settings(
            TopicSelection topics,
            StartingOffsets startingOffsets,
            @Nullable StoppingOffsets stoppingOffsets,
            boolean readCommitted,
            Duration discoveryInterval,
            String groupId) {

        /** Whether every split stops (at {@link #stoppingOffsets}). */
        public boolean bounded() {
            return stoppingOffsets != null;
        }
    }

    private final SplitEnumeratorContext<ConfluentPartitionSplit> context;
    private final Settings settings;
    private final Supplier<PartitionMetadataClient> clientFactory;
    // Thread-safe, shared with the enumerators before and after this one (see the class comment).
    private final Map<TopicPartition, ConfluentPartitionSplit> firstSplits;
    // Coordinator thread only.
    private final Set<TopicPartition> knownPartitions = new HashSet<>();
    private final Map<Integer, List<ConfluentPartitionSplit>> pendingByReader = new HashMap<>();
    private boolean initialDiscoveryDone;
    private boolean discoveryRunning;

    // Worker thread only (one discovery at a time).
    @Nullable private PartitionMetadataClient client;

    /**
     * @param firstSplits the first split created for each partition by any enumerator of this job
     *     run; a concurrent map that outlives the enumerator (see the class comment)
     */
    public ConfluentSourceEnumerator(
            SplitEnumeratorContext<ConfluentPartitionSplit> context,
            Settings settings,
            Supplier<PartitionMetadataClient> clientFactory,
            Map<TopicPartition, ConfluentPartitionSplit> firstSplits,
            @Nullable ConfluentSourceEnumState restored) {
        this.context = context;
        this.settings = settings;
        this.clientFactory = clientFactory;
        this.firstSplits = firstSplits;
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
            // The periodic call only ticks; see the class comment for why discovery is not it.
            context.callAsync(() -> null, (ignored, error) -> discoverUnlessRunning(), 0, interval);
        } else {
            discoverUnlessRunning();
        }
    }

    /** Coordinator thread: starts a discovery unless the previous one has not finished. */
    private void discoverUnlessRunning() {
        if (discoveryRunning) {
            LOG.debug(
                    "Partition discovery of {} still running; skipping this interval",
                    settings.topics());
            return;
        }
        discoveryRunning = true;
        Set<TopicPartition> known = Set.copyOf(knownPartitions);
        boolean initial = !initialDiscoveryDone;
        context.callAsync(() -> discover(known, initial), this::handleDiscovered);
    }

    /**
     * Worker thread: finds partitions not in {@code known}; reuses the split a previous enumerator
     * created for one, and resolves the offsets of the others.
     */
    private List<ConfluentPartitionSplit> discover(Set<TopicPartition> known, boolean initial) {
        if (client == null) {
            client = clientFactory.get();
        }
        Set<TopicPartition> found = new HashSet<>();
        for (String topic : settings.topics().resolve(client)) {
            found.addAll(client.partitionsOf(topic));
        }
        found.removeAll(known);
        List<ConfluentPartitionSplit> splits = new ArrayList<>();
        for (Iterator<TopicPartition> it = found.iterator(); it.hasNext(); ) {
            ConfluentPartitionSplit first = firstSplits.get(it.next());
            if (first != null) {
                splits.add(first);
                it.remove();
            }
        }
        if (found.isEmpty()) {
            return splits;
        }
        Map<TopicPartition, Long> starts =
                initial
                        ? settings.startingOffsets()
                                .resolve(
                                        found, client, settings.groupId(), settings.readCommitted())
                        : client.earliestOffsets(found);
        Map<TopicPartition, Long> stops =
                settings.bounded()
                        ? settings.stoppingOffsets()
                                .resolve(
                                        found,
                                        starts,
                                        client,
                                        settings.groupId(),
                                        settings.readCommitted())
                        : Map.of();
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
    private void handleDiscovered(List<ConfluentPartitionSplit> discovered, Throwable error) {
        discoveryRunning = false;
        if (error != null) {
            if (!initialDiscoveryDone) {
                throw new FlinkRuntimeException(
                        "Cannot read the partitions of " + settings.topics(), error);
            }
            LOG.warn("Partition discovery of {} failed; retrying", settings.topics(), error);
            return;
        }
        // Only one discovery runs at a time, so every partition here is new; the check keeps a
        // partition from ever reaching a reader twice even so.
        List<ConfluentPartitionSplit> splits = new ArrayList<>();
        for (ConfluentPartitionSplit split : discovered) {
            if (knownPartitions.add(split.partition())) {
                // Before it is assigned: from now on this is where the partition starts.
                ConfluentPartitionSplit first = firstSplits.putIfAbsent(split.partition(), split);
                splits.add(first != null ? first : split);
            }
        }
        if (!splits.isEmpty()) {
            LOG.info(
                    "Found {} new partition(s) of {}: {}",
                    splits.size(),
                    settings.topics(),
                    splits);
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
        Set<TopicPartition> assigned = new HashSet<>(knownPartitions);
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
