package io.github.flinkconfluent.connector.source;

import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last operator of an exactly-once test: it keeps every value it saw in checkpointed state, and
 * mirrors that state into a static view the test reads. On a restore, a subtask's view is reset to
 * its restored state, so the view always equals "checkpointed values plus values processed since" —
 * exactly what an exactly-once sink would have committed. A duplicate or a loss in the source shows
 * up as a duplicate or a gap in the view.
 *
 * <p>Each view belongs to the newest attempt of its subtask: an older attempt that initializes late
 * (its TaskManager was declared lost while it still ran, and the subtask was deployed again
 * elsewhere) must not replace the view of the attempt that Flink actually runs, or every value of
 * the live attempt would be missing from the view. An attempt that keeps running after it was
 * replaced writes only into its own list, which no longer is the view.
 */
final class StateBackedCollector extends RichMapFunction<String, String>
        implements CheckpointedFunction {

    private static final Map<String, Map<Integer, View>> VIEWS = new ConcurrentHashMap<>();

    /** The values seen by one attempt of a subtask. */
    private record View(int attempt, List<String> values) {}

    private final String name;
    private transient ListState<String> state;
    private transient List<String> view;

    StateBackedCollector(String name) {
        this.name = name;
    }

    /** Forgets the view of {@code name}; call before submitting a new job (not on failover). */
    static void reset(String name) {
        VIEWS.remove(name);
    }

    /** Every value in the views of {@code name}, across subtasks. */
    static List<String> values(String name) {
        List<String> all = new ArrayList<>();
        VIEWS.getOrDefault(name, Map.of())
                .values()
                .forEach(
                        view -> {
                            synchronized (view.values()) {
                                all.addAll(view.values());
                            }
                        });
        return all;
    }

    @Override
    public String map(String value) throws Exception {
        state.add(value);
        synchronized (view) {
            view.add(value);
        }
        return value;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {}

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        state =
                context.getOperatorStateStore()
                        .getListState(new ListStateDescriptor<>("seen", String.class));
        List<String> restored = new ArrayList<>();
        if (context.isRestored()) {
            state.get().forEach(restored::add);
        }
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        VIEWS.computeIfAbsent(name, k -> new ConcurrentHashMap<>())
                .merge(
                        subtask,
                        new View(attempt, restored),
                        (current, next) -> next.attempt() >= current.attempt() ? next : current);
        view = restored;
    }
}
