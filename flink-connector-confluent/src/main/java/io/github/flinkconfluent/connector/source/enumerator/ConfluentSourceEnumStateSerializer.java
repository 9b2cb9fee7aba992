package io.github.flinkconfluent.connector.source.enumerator;

import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplitSerializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import org.apache.kafka.common.TopicPartition;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Enumerator state in checkpoints. Version 1: the split serializer's version, the assigned
 * partitions, the pending splits (in the split serializer's layout) and the discovery flag. Unknown
 * versions and trailing bytes fail loudly.
 */
@Internal
public final class ConfluentSourceEnumStateSerializer
        implements SimpleVersionedSerializer<ConfluentSourceEnumState> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(ConfluentSourceEnumState state) throws IOException {
        return serializeV1(state);
    }

    @Override
    public ConfluentSourceEnumState deserialize(int version, byte[] serialized) throws IOException {
        switch (version) {
            case VERSION_1:
                return deserializeV1(serialized);
            default:
                throw new IOException(
                        "Unknown version "
                                + version
                                + " of the Confluent source enumerator state (this build reads"
                                + " up to "
                                + CURRENT_VERSION
                                + ")");
        }
    }

    @VisibleForTesting
    static byte[] serializeV1(ConfluentSourceEnumState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(ConfluentPartitionSplitSerializer.VERSION_1);
            out.writeInt(state.assignedPartitions().size());
            for (TopicPartition partition : state.assignedPartitions()) {
                out.writeUTF(partition.topic());
                out.writeInt(partition.partition());
            }
            out.writeInt(state.pendingSplits().size());
            for (ConfluentPartitionSplit split : state.pendingSplits()) {
                ConfluentPartitionSplitSerializer.write(split, out);
            }
            out.writeBoolean(state.initialDiscoveryDone());
        }
        return bytes.toByteArray();
    }

    private static ConfluentSourceEnumState deserializeV1(byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int splitVersion = in.readInt();
            if (splitVersion != ConfluentPartitionSplitSerializer.VERSION_1) {
                throw new IOException("Unknown split layout version " + splitVersion);
            }
            int assignedCount = in.readInt();
            Set<TopicPartition> assigned = new HashSet<>();
            for (int i = 0; i < assignedCount; i++) {
                assigned.add(new TopicPartition(in.readUTF(), in.readInt()));
            }
            int pendingCount = in.readInt();
            List<ConfluentPartitionSplit> pending = new ArrayList<>();
            for (int i = 0; i < pendingCount; i++) {
                pending.add(ConfluentPartitionSplitSerializer.read(in));
            }
            boolean discovered = in.readBoolean();
            if (in.available() > 0) {
                throw new IOException(
                        in.available() + " unexpected trailing bytes in enumerator state");
            }
            return new ConfluentSourceEnumState(assigned, pending, discovered);
        }
    }
}
