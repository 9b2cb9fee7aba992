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
 *
 * <p>It keeps Flink's split of work ({@code ExecutorNotifier}): a callable runs on the worker, and
 * its handler is queued for the coordinator thread. Tests decide the interleaving: {@link
 * #runWorker()} runs queued callables only, so a test can let a second periodic run start before
 * the coordinator has handled the first one's result — what a slow broker call does in Flink.
 */
final class FakeEnumeratorContext implements SplitEnumeratorContext<ConfluentPartitionSplit> {

    private final int parallelism;
    final Map<Integer, ReaderInfo> readers = new HashMap<>();
    final Map<Integer, List<ConfluentPartitionSplit>> assigned = new HashMap<>();
    final Set<Integer> noMoreSplits = new HashSet<>();
    private final List<Runnable> worker = new ArrayList<>();
    private final List<Runnable> coordinator = new ArrayList<>();
    private final List<Runnable> periodic = new ArrayList<>();
    long periodicInterval = -1;

    FakeEnumeratorContext(int parallelism) {
        this.parallelism = parallelism;
    }

    void registerReader(int subtask) {
        readers.put(subtask, new ReaderInfo(subtask, "localhost"));
    }

    /**
     * Runs queued callables and handlers until none is left: the worker's queue first, then the
     * coordinator's (the order that lets worker runs overtake handlers).
     */
    void runAsyncCalls() {
        while (!worker.isEmpty() || !coordinator.isEmpty()) {
            runWorker();
            drain(coordinator);
        }
    }

    /** Runs the callables queued on the worker; their handlers wait for the coordinator. */
    void runWorker() {
        drain(worker);
    }

    /** Runs the handlers queued for the coordinator thread. */
    void runCoordinator() {
        drain(coordinator);
    }

    /** One period of every periodic call elapsed: each queues a run on the worker. */
    void tick() {
        worker.addAll(periodic);
    }

    private static void drain(List<Runnable> queue) {
        while (!queue.isEmpty()) {
            queue.remove(0).run();
        }
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
        worker.add(workerRun(callable, handler));
    }

    private <T> Runnable workerRun(Callable<T> callable, BiConsumer<T, Throwable> handler) {
        return () -> {
            try {
                T result = callable.call();
                coordinator.add(() -> handler.accept(result, null));
            } catch (Exception e) {
                coordinator.add(() -> handler.accept(null, e));
            }
        };
    }

    @Override
    public <T> void callAsync(
            Callable<T> callable,
            BiConsumer<T, Throwable> handler,
            long initialDelay,
            long period) {
        periodicInterval = period;
        Runnable run = workerRun(callable, handler);
        periodic.add(run);
        if (initialDelay == 0) {
            worker.add(run);
        }
    }

    @Override
    public void runInCoordinatorThread(Runnable runnable) {
        runnable.run();
    }
}
