package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checkpoint format of {@link ConfluentWriterState}. Version 1: prefix, generation, subtask, then
 * the pending transactions, each with the committable serializer's version and bytes. Unknown
 * versions and trailing bytes fail.
 */
@Internal
public final class ConfluentWriterStateSerializer
        implements SimpleVersionedSerializer<ConfluentWriterState> {

    @VisibleForTesting static final int VERSION_1 = 1;
    private static final int CURRENT = VERSION_1;

    private final ConfluentCommittableSerializer committables =
            new ConfluentCommittableSerializer();

    @Override
    public int getVersion() {
        return CURRENT;
    }

    @Override
    public byte[] serialize(ConfluentWriterState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        out.writeUTF(state.prefix());
        out.writeLong(state.generation());
        out.writeInt(state.subtask());
        out.writeInt(state.pending().size());
        out.writeInt(committables.getVersion());
        for (ConfluentCommittable committable : state.pending()) {
            byte[] bytes = committables.serialize(committable);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public ConfluentWriterState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw new IOException(
                    "Unknown version "
                            + version
                            + " of a Confluent sink writer state; this connector reads up to"
                            + " version "
                            + CURRENT
                            + ".");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String prefix = in.readUTF();
        long generation = in.readLong();
        int subtask = in.readInt();
        int count = in.readInt();
        int committableVersion = in.readInt();
        List<ConfluentCommittable> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            pending.add(committables.deserialize(committableVersion, bytes));
        }
        if (in.available() > 0) {
            throw new IOException(
                    in.available() + " unexpected trailing bytes in a Confluent sink writer state");
        }
        return new ConfluentWriterState(prefix, generation, subtask, pending);
    }
}
