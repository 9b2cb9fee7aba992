package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Checkpoint format of {@link ConfluentCommittable}. Version 1: transactional id, producer id,
 * epoch, transactions-version-2 flag, checkpoint id. Version 2 adds the transaction's sequence
 * number on its id and the pre-commit time (version 1 reads them as -1). Version 3 adds the first
 * offset of the transaction on each partition it wrote to (older versions read an empty map: their
 * transactions are not checked for hanging partitions). Unknown versions and trailing bytes fail.
 */
@Internal
public final class ConfluentCommittableSerializer
        implements SimpleVersionedSerializer<ConfluentCommittable> {

    @VisibleForTesting static final int VERSION_1 = 1;
    @VisibleForTesting static final int VERSION_2 = 2;
    @VisibleForTesting static final int VERSION_3 = 3;
    private static final int CURRENT = VERSION_3;

    @Override
    public int getVersion() {
        return CURRENT;
    }

    @Override
    public byte[] serialize(ConfluentCommittable committable) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(80);
        writeV1Fields(committable, out);
        out.writeLong(committable.sequence());
        out.writeLong(committable.createdAtMillis());
        out.writeInt(committable.firstOffsets().size());
        for (Map.Entry<TopicPartition, Long> first : committable.firstOffsets().entrySet()) {
            out.writeUTF(first.getKey().topic());
            out.writeInt(first.getKey().partition());
            out.writeLong(first.getValue());
        }
        return out.getCopyOfBuffer();
    }

    @VisibleForTesting
    static byte[] serializeV2(ConfluentCommittable committable) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(80);
        writeV1Fields(committable, out);
        out.writeLong(committable.sequence());
        out.writeLong(committable.createdAtMillis());
        return out.getCopyOfBuffer();
    }

    @VisibleForTesting
    static byte[] serializeV1(ConfluentCommittable committable) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        writeV1Fields(committable, out);
        return out.getCopyOfBuffer();
    }

    private static void writeV1Fields(ConfluentCommittable committable, DataOutputSerializer out)
            throws IOException {
        out.writeUTF(committable.transactionalId());
        out.writeLong(committable.producerId());
        out.writeShort(committable.epoch());
        out.writeBoolean(committable.transactionV2());
        out.writeLong(committable.afterCheckpoint());
    }

    @Override
    public ConfluentCommittable deserialize(int version, byte[] serialized) throws IOException {
        switch (version) {
            case VERSION_1:
            case VERSION_2:
            case VERSION_3:
                return deserialize(serialized, version);
            default:
                throw new IOException(
                        "Unknown version "
                                + version
                                + " of a Confluent sink committable; this connector reads up to"
                                + " version "
                                + CURRENT
                                + ". Restore with the connector version that wrote the"
                                + " checkpoint or a newer one.");
        }
    }

    private static ConfluentCommittable deserialize(byte[] serialized, int version)
            throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String transactionalId = in.readUTF();
        long producerId = in.readLong();
        short epoch = in.readShort();
        boolean transactionV2 = in.readBoolean();
        long afterCheckpoint = in.readLong();
        long sequence = version >= VERSION_2 ? in.readLong() : -1L;
        long createdAtMillis = version >= VERSION_2 ? in.readLong() : -1L;
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        if (version >= VERSION_3) {
            int partitions = in.readInt();
            for (int i = 0; i < partitions; i++) {
                firstOffsets.put(new TopicPartition(in.readUTF(), in.readInt()), in.readLong());
            }
        }
        ConfluentCommittable committable =
                new ConfluentCommittable(
                        transactionalId,
                        producerId,
                        epoch,
                        transactionV2,
                        afterCheckpoint,
                        sequence,
                        createdAtMillis,
                        firstOffsets);
        if (in.available() > 0) {
            throw new IOException(
                    in.available() + " unexpected trailing bytes in a Confluent sink committable");
        }
        return committable;
    }
}
