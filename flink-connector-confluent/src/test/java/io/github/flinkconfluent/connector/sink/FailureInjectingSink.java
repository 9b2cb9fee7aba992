package io.github.flinkconfluent.connector.sink;

import io.github.flinkconfluent.connector.sink.internal.ConfluentCommittable;
import io.github.flinkconfluent.connector.sink.internal.ConfluentWriterState;
import io.github.flinkconfluent.connector.sink.internal.TransactionInspector;
import io.github.flinkconfluent.testing.Poll;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.execution.SuppressRestartsException;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Wraps a {@link ConfluentSink} and fails once, at a chosen point of the two-phase commit, in the
 * second batch of records (after a first commit went through): while writing, right after a
 * pre-commit (the checkpoint then never completes), or after a checkpoint completed but before its
 * transactions are committed.
 */
final class FailureInjectingSink<IN>
        implements Sink<IN>,
                SupportsCommitter<ConfluentCommittable>,
                SupportsWriterState<IN, ConfluentWriterState> {

    enum Point {
        WHILE_WRITING,
        AFTER_PRE_COMMIT,
        BEFORE_COMMIT
    }

    static final AtomicReference<Point> ARMED = new AtomicReference<>();
    static final AtomicInteger FAILURES = new AtomicInteger();
    static final AtomicInteger COMMITS = new AtomicInteger();
    static final AtomicInteger WRITES = new AtomicInteger();

    /**
     * When set, the {@link Point#BEFORE_COMMIT} failure first waits until the broker has aborted
     * the transactions it was about to commit (their timeout passed): the job then comes back after
     * the data is gone, as after an outage longer than {@code sink.transaction.timeout}.
     */
    static volatile Map<String, String> awaitAbortWith;

    /**
     * Set when the broker did not abort in time: what the inspector last found. The committer then
     * fails the job for good (not a restart, which would retry the wait and hide the cause).
     */
    static final AtomicReference<String> AWAIT_ABORT_FAILURE = new AtomicReference<>();

    /** Each run writes a first batch of this many records, then a second one. */
    static final int FIRST_BATCH = 1000;

    static void arm(Point point) {
        COMMITS.set(0);
        WRITES.set(0);
        ARMED.set(point);
    }

    private static void maybeFail(Point point) {
        boolean due =
                point == Point.WHILE_WRITING
                        ? WRITES.incrementAndGet() > FIRST_BATCH
                        : COMMITS.get() >= 1;
        if (due && ARMED.compareAndSet(point, null)) {
            FAILURES.incrementAndGet();
            throw new IllegalStateException("injected failure " + point);
        }
    }

    private final ConfluentSink<IN> delegate;

    FailureInjectingSink(ConfluentSink<IN> delegate) {
        this.delegate = delegate;
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return restoreWriter(context, List.of());
    }

    @Override
    @SuppressWarnings("unchecked")
    public StatefulSinkWriter<IN, ConfluentWriterState> restoreWriter(
            WriterInitContext context, Collection<ConfluentWriterState> restored)
            throws IOException {
        return new Writer<>(
                (StatefulSinkWriter<IN, ConfluentWriterState>)
                        delegate.restoreWriter(context, restored));
    }

    @Override
    public SimpleVersionedSerializer<ConfluentWriterState> getWriterStateSerializer() {
        return delegate.getWriterStateSerializer();
    }

    @Override
    public Committer<ConfluentCommittable> createCommitter(CommitterInitContext context)
            throws IOException {
        Committer<ConfluentCommittable> committer = delegate.createCommitter(context);
        return new Committer<>() {
            @Override
            public void commit(Collection<CommitRequest<ConfluentCommittable>> requests)
                    throws IOException, InterruptedException {
                if (requests.isEmpty()) {
                    committer.commit(requests);
                    return;
                }
                Map<String, String> inspect = awaitAbortWith;
                if (inspect != null && ARMED.get() == Point.BEFORE_COMMIT && COMMITS.get() >= 1) {
                    awaitAborted(inspect, requests);
                }
                maybeFail(Point.BEFORE_COMMIT);
                committer.commit(requests);
                COMMITS.incrementAndGet();
            }

            @Override
            public void close() throws Exception {
                committer.close();
            }
        };
    }

    private static void awaitAborted(
            Map<String, String> properties,
            Collection<Committer.CommitRequest<ConfluentCommittable>> requests) {
        try (TransactionInspector inspector = new TransactionInspector(properties)) {
            for (Committer.CommitRequest<ConfluentCommittable> request : requests) {
                ConfluentCommittable committable = request.getCommittable();
                AtomicReference<String> last = new AtomicReference<>("nothing yet");
                try {
                    Poll.until(
                            "the broker to abort " + committable.describe(),
                            Duration.ofMinutes(3),
                            () -> {
                                try {
                                    TransactionInspector.Finding finding =
                                            inspector.outcome(committable);
                                    last.set(finding.outcome() + ": " + finding.evidence());
                                    return finding.outcome()
                                            == TransactionInspector.Outcome.ABORTED;
                                } catch (Exception e) {
                                    last.set(e.toString());
                                    return false;
                                }
                            },
                            () -> "last finding: " + last.get());
                } catch (AssertionError e) {
                    AWAIT_ABORT_FAILURE.set(e.getMessage());
                    throw new SuppressRestartsException(e);
                }
            }
        }
    }

    @Override
    public SimpleVersionedSerializer<ConfluentCommittable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }

    private static final class Writer<IN>
            implements CommittingSinkWriter<IN, ConfluentCommittable>,
                    StatefulSinkWriter<IN, ConfluentWriterState> {
        private final StatefulSinkWriter<IN, ConfluentWriterState> delegate;

        Writer(StatefulSinkWriter<IN, ConfluentWriterState> delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(IN element, Context context) throws IOException, InterruptedException {
            delegate.write(element, context);
            maybeFail(Point.WHILE_WRITING);
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            delegate.flush(endOfInput);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Collection<ConfluentCommittable> prepareCommit()
                throws IOException, InterruptedException {
            Collection<ConfluentCommittable> committables =
                    ((CommittingSinkWriter<IN, ConfluentCommittable>) delegate).prepareCommit();
            if (!committables.isEmpty()) {
                maybeFail(Point.AFTER_PRE_COMMIT);
            }
            return committables;
        }

        @Override
        public List<ConfluentWriterState> snapshotState(long checkpointId) throws IOException {
            return delegate.snapshotState(checkpointId);
        }

        @Override
        public void close() throws Exception {
            delegate.close();
        }
    }
}
