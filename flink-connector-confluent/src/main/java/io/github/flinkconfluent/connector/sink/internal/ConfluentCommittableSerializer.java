package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;

/**
 * Checkpoint format of {@link ConfluentCommittable}. Version 1: transactional id, producer id,
 * epoch, transactions-version-2 flag, checkpoint id. Unknown versions and trailing bytes fail.
 */
@Internal
public final class ConfluentCommittableSerializer
        implements SimpleVersionedSerializer<ConfluentCommittable> {

    @VisibleForTesting static final int VERSION_1 = 1;
    private static final int CURRENT = VERSION_1;

    @Override
    public int getVersion() {
        return CURRENT;
    }

    @Override
    public byte[] serialize(ConfluentCommittable committable) throws IOException {
        return serializeV1(committable);
    }

    @VisibleForTesting
    static byte[] serializeV1(ConfluentCommittable committable) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeUTF(committable.transactionalId());
        out.writeLong(committable.producerId());
        out.writeShort(committable.epoch());
        out.writeBoolean(committable.transactionV2());
        out.writeLong(committable.afterCheckpoint());
        return out.getCopyOfBuffer();
    }

    @Override
    public ConfluentCommittable deserialize(int version, byte[] serialized) throws IOException {
        switch (version) {
            case VERSION_1:
                return deserializeV1(serialized);
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

    private static ConfluentCommittable deserializeV1(byte[] serialized) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        ConfluentCommittable committable =
                new ConfluentCommittable(
                        in.readUTF(),
                        in.readLong(),
                        in.readShort(),
                        in.readBoolean(),
                        in.readLong());
        if (in.available() > 0) {
            throw new IOException(
                    in.available() + " unexpected trailing bytes in a Confluent sink committable");
        }
        return committable;
    }
}
