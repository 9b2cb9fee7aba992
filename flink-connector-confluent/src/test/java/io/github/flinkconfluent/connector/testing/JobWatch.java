package io.github.flinkconfluent.connector.testing;

import io.github.flinkconfluent.testing.Poll;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition while a job runs, and says why when it never comes.
 *
 * <p>A bare {@link Poll} on "N records arrived" cannot tell a slow job from a job that failed a
 * minute ago or a reader that is stuck: all three time out with the same message, and a CI log at
 * WARN level rarely shows which. This wait stops as soon as the job reaches a terminal state and
 * reports the job's own failure; on a timeout it reports the job's status and the stacks of the
 * source threads (fetchers, coordinator, task threads) of this JVM, where a MiniCluster runs.
 */
public final class JobWatch {

    private JobWatch() {}

    /** Waits until {@code condition} holds while {@code job} runs. */
    public static void until(
            JobClient job,
            String what,
            Duration timeout,
            BooleanSupplier condition,
            Supplier<String> details) {
        boolean[] ended = new boolean[1];
        Poll.until(
                what,
                timeout,
                () -> {
                    if (condition.getAsBoolean()) {
                        return true;
                    }
                    ended[0] = status(job).map(JobStatus::isGloballyTerminalState).orElse(true);
                    return ended[0];
                },
                () -> describe(job, details.get()) + "\n" + sourceThreads());
        if (ended[0] && !condition.getAsBoolean()) {
            throw new AssertionError(
                    "The job ended while waiting for " + what + ": " + describe(job, details.get()),
                    failure(job));
        }
    }

    private static Optional<JobStatus> status(JobClient job) {
        try {
            return Optional.of(job.getJobStatus().get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    private static String describe(JobClient job, String details) {
        return "job "
                + job.getJobID()
                + " is "
                + status(job).map(Enum::name).orElse("unknown (no answer)")
                + (details.isEmpty() ? "" : "; " + details);
    }

    private static Throwable failure(JobClient job) {
        try {
            job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }

    /** The stacks of the threads that read: fetchers, the source coordinator, source tasks. */
    private static String sourceThreads() {
        StringBuilder out = new StringBuilder("Source threads of this JVM:");
        for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
            String name = entry.getKey().getName();
            if (!(name.contains("Source") || name.contains("source"))) {
                continue;
            }
            out.append("\n\"").append(name).append("\" ").append(entry.getKey().getState());
            StackTraceElement[] stack = entry.getValue();
            for (int i = 0; i < Math.min(stack.length, 25); i++) {
                out.append("\n    at ").append(stack[i]);
            }
        }
        return out.toString();
    }
}
