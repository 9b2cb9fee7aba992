package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Checkpoint format of {@link ConfluentCommittable}. Version 1: transactional id, producer id,
 * epoch, transactions-version-2 flag, checkpoint id. Version 2 adds the transaction's sequence
 * number on its id and the pre-commit time (version 1 reads them as -1). Unknown versions and
 * trailing bytes fail.
 */
@Internal
public final class ConfluentCommittableSerializer
        implements SimpleVersionedSerializer<ConfluentCommittable> {

    @VisibleForTesting static final int VERSION_1 = 1;
    @VisibleForTesting static final int VERSION_2 = 2;
    private static final int CURRENT = VERSION_2;

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
                return deserialize(serialized, version == VERSION_2);
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

    private static ConfluentCommittable deserialize(byte[] serialized, boolean v2)
            throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        ConfluentCommittable committable =
                new ConfluentCommittable(
                        in.readUTF(),
                        in.readLong(),
                        in.readShort(),
                        in.readBoolean(),
                        in.readLong(),
                        v2 ? in.readLong() : -1L,
                        v2 ? in.readLong() : -1L);
        if (in.available() > 0) {
            throw new IOException(
                    in.available() + " unexpected trailing bytes in a Confluent sink committable");
        }
        return committable;
    }
}
