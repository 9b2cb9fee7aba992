package io.github.flinkconfluent.connector.serde;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.CompositeTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Serializes a {@link KafkaRecord} for Flink's network and state: a null flag and the nested
 * serializer's bytes for key and value, then the headers, timestamp, topic, partition and offset.
 * Its snapshot nests the key and value serializers' snapshots, so a key or value type that evolves
 * (an Avro schema) is checked by its own serializer on restore.
 */
@Internal
public final class KafkaRecordTypeSerializer<K, V> extends TypeSerializer<KafkaRecord<K, V>> {

    private static final long serialVersionUID = 1L;

    private final TypeSerializer<K> keySerializer;
    private final TypeSerializer<V> valueSerializer;

    public KafkaRecordTypeSerializer(
            TypeSerializer<K> keySerializer, TypeSerializer<V> valueSerializer) {
        this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
        this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<KafkaRecord<K, V>> duplicate() {
        TypeSerializer<K> key = keySerializer.duplicate();
        TypeSerializer<V> value = valueSerializer.duplicate();
        return key == keySerializer && value == valueSerializer
                ? this
                : new KafkaRecordTypeSerializer<>(key, value);
    }

    @Override
    public KafkaRecord<K, V> createInstance() {
        return KafkaRecord.of(null, null);
    }

    @Override
    public KafkaRecord<K, V> copy(KafkaRecord<K, V> from) {
        K key = from.key() == null ? null : keySerializer.copy(from.key());
        V value = from.value() == null ? null : valueSerializer.copy(from.value());
        return new KafkaRecord<>(
                key,
                value,
                from.headers(),
                from.timestamp(),
                from.topic(),
                from.partition(),
                from.offset());
    }

    @Override
    public KafkaRecord<K, V> copy(KafkaRecord<K, V> from, KafkaRecord<K, V> reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(KafkaRecord<K, V> record, DataOutputView target) throws IOException {
        writeNullable(record.key(), keySerializer, target);
        writeNullable(record.value(), valueSerializer, target);
        List<KafkaRecord.Header> headers = record.headers();
        target.writeInt(headers.size());
        for (KafkaRecord.Header header : headers) {
            target.writeUTF(header.key());
            byte[] value = header.value();
            target.writeInt(value == null ? -1 : value.length);
            if (value != null) {
                target.write(value);
            }
        }
        target.writeLong(record.timestamp());
        target.writeBoolean(record.topic() != null);
        if (record.topic() != null) {
            target.writeUTF(record.topic());
        }
        target.writeInt(record.partition());
        target.writeLong(record.offset());
    }

    @Override
    public KafkaRecord<K, V> deserialize(DataInputView source) throws IOException {
        K key = source.readBoolean() ? keySerializer.deserialize(source) : null;
        V value = source.readBoolean() ? valueSerializer.deserialize(source) : null;
        int count = source.readInt();
        List<KafkaRecord.Header> headers = new ArrayList<>(Math.min(count, 64));
        for (int i = 0; i < count; i++) {
            String name = source.readUTF();
            int length = source.readInt();
            byte[] bytes = null;
            if (length >= 0) {
                bytes = new byte[length];
                source.readFully(bytes);
            }
            headers.add(new KafkaRecord.Header(name, bytes));
        }
        long timestamp = source.readLong();
        String topic = source.readBoolean() ? source.readUTF() : null;
        int partition = source.readInt();
        long offset = source.readLong();
        return new KafkaRecord<>(key, value, headers, timestamp, topic, partition, offset);
    }

    @Override
    public KafkaRecord<K, V> deserialize(KafkaRecord<K, V> reuse, DataInputView source)
            throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        serialize(deserialize(source), target);
    }

    private static <T> void writeNullable(
            T value, TypeSerializer<T> serializer, DataOutputView target) throws IOException {
        target.writeBoolean(value != null);
        if (value != null) {
            serializer.serialize(value, target);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaRecordTypeSerializer<?, ?> other
                && keySerializer.equals(other.keySerializer)
                && valueSerializer.equals(other.valueSerializer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keySerializer, valueSerializer);
    }

    @Override
    public TypeSerializerSnapshot<KafkaRecord<K, V>> snapshotConfiguration() {
        return new Snapshot<>(this);
    }

    /** Version 1: the key and value serializers' snapshots; no outer configuration. */
    public static final class Snapshot<K, V>
            extends CompositeTypeSerializerSnapshot<
                    KafkaRecord<K, V>, KafkaRecordTypeSerializer<K, V>> {

        private static final int VERSION = 1;

        /** For reading a snapshot back (Flink instantiates it by reflection). */
        public Snapshot() {
            super();
        }

        Snapshot(KafkaRecordTypeSerializer<K, V> serializer) {
            super(serializer);
        }

        @Override
        protected int getCurrentOuterSnapshotVersion() {
            return VERSION;
        }

        @Override
        protected TypeSerializer<?>[] getNestedSerializers(
                KafkaRecordTypeSerializer<K, V> serializer) {
            return new TypeSerializer<?>[] {serializer.keySerializer, serializer.valueSerializer};
        }

        @Override
        @SuppressWarnings("unchecked")
        protected KafkaRecordTypeSerializer<K, V> createOuterSerializerWithNestedSerializers(
                TypeSerializer<?>[] nested) {
            return new KafkaRecordTypeSerializer<>(
                    (TypeSerializer<K>) nested[0], (TypeSerializer<V>) nested[1]);
        }
    }
}
