package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;

import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * A hand-written {@link SplitEnumeratorContext}: async calls run when the test says so, and
 * assignments are recorded per reader.
 */
final class FakeEnumeratorContext implements SplitEnumeratorContext<ConfluentPartitionSplit> {

    private final int parallelism;
    final Map<Integer, ReaderInfo> readers = new HashMap<>();
    final Map<Integer, List<ConfluentPartitionSplit>> assigned = new HashMap<>();
    final Set<Integer> noMoreSplits = new HashSet<>();
    final List<Runnable> pendingCalls = new ArrayList<>();
    long periodicInterval = -1;

    FakeEnumeratorContext(int parallelism) {
        this.parallelism = parallelism;
    }

    void registerReader(int subtask) {
        readers.put(subtask, new ReaderInfo(subtask, "localhost"));
    }

    /** Runs the async calls queued so far (discovery), as the coordinator would. */
    void runAsyncCalls() {
        List<Runnable> calls = new ArrayList<>(pendingCalls);
        pendingCalls.clear();
        calls.forEach(Runnable::run);
    }

    List<ConfluentPartitionSplit> allAssigned() {
        List<ConfluentPartitionSplit> all = new ArrayList<>();
        assigned.values().forEach(all::addAll);
        return all;
    }

    @Override
    public SplitEnumeratorMetricGroup metricGroup() {
        return UnregisteredMetricsGroup.createSplitEnumeratorMetricGroup();
    }

    @Override
    public void sendEventToSourceReader(
            int subtaskId, org.apache.flink.api.connector.source.SourceEvent event) {}

    @Override
    public int currentParallelism() {
        return parallelism;
    }

    @Override
    public Map<Integer, ReaderInfo> registeredReaders() {
        return readers;
    }

    @Override
    public void assignSplits(SplitsAssignment<ConfluentPartitionSplit> newSplitAssignments) {
        newSplitAssignments
                .assignment()
                .forEach((k, v) -> assigned.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
    }

    @Override
    public void signalNoMoreSplits(int subtask) {
        noMoreSplits.add(subtask);
    }

    @Override
    public <T> void callAsync(Callable<T> callable, BiConsumer<T, Throwable> handler) {
        pendingCalls.add(
                () -> {
                    try {
                        handler.accept(callable.call(), null);
                    } catch (Exception e) {
                        handler.accept(null, e);
                    }
                });
    }

    @Override
    public <T> void callAsync(
            Callable<T> callable,
            BiConsumer<T, Throwable> handler,
            long initialDelay,
            long period) {
        periodicInterval = period;
        callAsync(callable, handler);
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
        runnable.run();
    }
}
