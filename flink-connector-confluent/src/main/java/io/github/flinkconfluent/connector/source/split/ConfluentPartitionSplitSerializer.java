package io.github.flinkconfluent.connector.source.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import org.apache.kafka.common.TopicPartition;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Splits in checkpoints. Version 1: topic (UTF), partition (int), starting offset (long), stopping
 * offset (long). Unknown versions and trailing bytes fail loudly, never silently drop state.
 */
@Internal
public final class ConfluentPartitionSplitSerializer
        implements SimpleVersionedSerializer<ConfluentPartitionSplit> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(ConfluentPartitionSplit split) throws IOException {
        return serializeV1(split);
    }

    @Override
    public ConfluentPartitionSplit deserialize(int version, byte[] serialized) throws IOException {
        switch (version) {
            case VERSION_1:
                return deserializeV1(serialized);
            default:
                throw new IOException(
                        "Unknown version "
                                + version
                                + " of a Confluent source split (this build reads up to "
                                + CURRENT_VERSION
                                + "); was the checkpoint written by a newer connector?");
        }
    }

    @VisibleForTesting
    static byte[] serializeV1(ConfluentPartitionSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    private static ConfluentPartitionSplit deserializeV1(byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            ConfluentPartitionSplit split = read(in);
            if (in.available() > 0) {
                throw new IOException(
                        in.available() + " unexpected trailing bytes in a Confluent source split");
            }
            return split;
        }
    }

    /** Writes one split in the version-1 layout; shared with the enumerator state serializer. */
    public static void write(ConfluentPartitionSplit split, DataOutputStream out)
            throws IOException {
        out.writeUTF(split.partition().topic());
        out.writeInt(split.partition().partition());
        out.writeLong(split.startingOffset());
        out.writeLong(split.stoppingOffset());
    }

    /** Reads one split in the version-1 layout. */
    public static ConfluentPartitionSplit read(DataInputStream in) throws IOException {
        String topic = in.readUTF();
        int partition = in.readInt();
        long start = in.readLong();
        long stop = in.readLong();
        return new ConfluentPartitionSplit(new TopicPartition(topic, partition), start, stop);
    }
}
