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
 */
final class StateBackedCollector extends RichMapFunction<String, String>
        implements CheckpointedFunction {

    private static final Map<String, Map<Integer, List<String>>> VIEWS = new ConcurrentHashMap<>();

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
                        list -> {
                            synchronized (list) {
                                all.addAll(list);
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
        VIEWS.computeIfAbsent(name, k -> new ConcurrentHashMap<>()).put(subtask, restored);
        view = restored;
    }
}
