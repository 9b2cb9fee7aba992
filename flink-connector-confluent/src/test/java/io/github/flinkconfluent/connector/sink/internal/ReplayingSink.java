package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.connector.sink.ConfluentSink;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A sink whose writer hands the committer committables prepared by a test on the real broker (an
 * open, a committed, an aborted, an expired transaction), so that Flink's own committer operator —
 * its commit requests, retries and failure handling — drives the real {@link Committing} from a
 * {@link ConfluentSink}. Subtask 0 emits them at its first pre-commit.
 */
final class ReplayingSink<IN> implements Sink<IN>, SupportsCommitter<ConfluentCommittable> {

    private static final long serialVersionUID = 1L;

    private final ConfluentSink<IN> delegate;
    private final List<byte[]> committables = new ArrayList<>();

    ReplayingSink(ConfluentSink<IN> delegate, List<ConfluentCommittable> committables)
            throws IOException {
        this.delegate = delegate;
        for (ConfluentCommittable committable : committables) {
            this.committables.add(new ConfluentCommittableSerializer().serialize(committable));
        }
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) {
        boolean emitter = context.getTaskInfo().getIndexOfThisSubtask() == 0;
        return new CommittingSinkWriter<IN, ConfluentCommittable>() {
            private boolean emitted = !emitter;

            @Override
            public void write(IN element, Context context) {}

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public Collection<ConfluentCommittable> prepareCommit() {
                if (emitted) {
                    return List.of();
                }
                emitted = true;
                ConfluentCommittableSerializer serializer = new ConfluentCommittableSerializer();
                List<ConfluentCommittable> result = new ArrayList<>();
                for (byte[] bytes : committables) {
                    try {
                        result.add(serializer.deserialize(serializer.getVersion(), bytes));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return result;
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public Committer<ConfluentCommittable> createCommitter(CommitterInitContext context)
            throws IOException {
        return delegate.createCommitter(context);
    }

    @Override
    public SimpleVersionedSerializer<ConfluentCommittable> getCommittableSerializer() {
        return delegate.getCommittableSerializer();
    }
}
