package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads whole Kafka records into {@link KafkaRecord}s: the key and the value each decoded by its
 * own deserializer (registry-aware, or a plain Flink {@link DeserializationSchema} for keys that
 * are not in the wire format, or the raw bytes), with headers, timestamp, topic, partition and
 * offset.
 *
 * <pre>{@code
 * ConfluentSource.<KafkaRecord<OrderKey, Order>>builder()
 *     .setDeserializer(KafkaRecordDeserializer.of(
 *         ConfluentAvroDeserializer.forSpecific(OrderKey.class, profile),
 *         ConfluentAvroDeserializer.forSpecific(Order.class, profile)))
 * }</pre>
 *
 * <p>A record without a key has a null key, a tombstone a null value (tombstones are not skipped: a
 * job that keeps the latest value per key needs them). A key or value that cannot be decoded is a
 * {@link WireFormatException}, to which the source applies its bad-data policy.
 */
@PublicEvolving
public final class KafkaRecordDeserializer<K, V>
        implements ConfluentRecordDeserializer<KafkaRecord<K, V>> {

    private static final long serialVersionUID = 1L;

    private final Part<K> key;
    private final Part<V> value;

    private KafkaRecordDeserializer(Part<K> key, Part<V> value) {
        this.key = key;
        this.value = value;
    }

    /** Key and value in the Confluent wire format. */
    public static <K, V> KafkaRecordDeserializer<K, V> of(
            RegistryRecordDeserializer<K> key, RegistryRecordDeserializer<V> value) {
        return new KafkaRecordDeserializer<>(new RegistryPart<>(key), new RegistryPart<>(value));
    }

    /**
     * A key read by a Flink {@link DeserializationSchema} (e.g. {@code SimpleStringSchema}; an
     * {@code IOException} from it counts as bad data) and a value in the wire format.
     */
    public static <K, V> KafkaRecordDeserializer<K, V> of(
            DeserializationSchema<K> key, RegistryRecordDeserializer<V> value) {
        return new KafkaRecordDeserializer<>(new FlinkPart<>(key), new RegistryPart<>(value));
    }

    /** The key as its bytes, and a value in the wire format. */
    public static <V> KafkaRecordDeserializer<byte[], V> withRawKey(
            RegistryRecordDeserializer<V> value) {
        return new KafkaRecordDeserializer<>(new RawPart(), new RegistryPart<>(value));
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        key.open(context);
        value.open(context);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<KafkaRecord<K, V>> out)
            throws WireFormatException {
        K k = record.key() == null ? null : key.decode(record.key());
        V v = record.value() == null ? null : value.decode(record.value());
        List<KafkaRecord.Header> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new KafkaRecord.Header(header.key(), header.value()));
        }
        out.collect(
                new KafkaRecord<>(
                        k,
                        v,
                        headers,
                        record.timestamp(),
                        record.topic(),
                        record.partition(),
                        record.offset()));
    }

    @Override
    public void close() throws Exception {
        try {
            key.close();
        } finally {
            value.close();
        }
    }

    @Override
    public TypeInformation<KafkaRecord<K, V>> getProducedType() {
        return new KafkaRecordTypeInfo<>(key.type(), value.type());
    }

    /** One half of the record: how its bytes become an object. */
    private interface Part<T> extends Serializable {
        void open(DeserializationSchema.InitializationContext context) throws Exception;

        T decode(byte[] bytes) throws WireFormatException;

        default void close() throws Exception {}

        TypeInformation<T> type();
    }

    private record RegistryPart<T>(RegistryRecordDeserializer<T> deserializer) implements Part<T> {
        RegistryPart {
            Objects.requireNonNull(deserializer, "deserializer");
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            deserializer.open(context);
        }

        @Override
        public T decode(byte[] bytes) throws WireFormatException {
            return deserializer.decode(bytes);
        }

        @Override
        public void close() throws Exception {
            deserializer.close();
        }

        @Override
        public TypeInformation<T> type() {
            return deserializer.getProducedType();
        }
    }

    private record FlinkPart<T>(DeserializationSchema<T> schema) implements Part<T> {
        FlinkPart {
            Objects.requireNonNull(schema, "schema");
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            schema.open(context);
        }

        @Override
        public T decode(byte[] bytes) throws WireFormatException {
            try {
                return schema.deserialize(bytes);
            } catch (IOException e) {
                throw new WireFormatException(
                        WireFormatException.Reason.MALFORMED_BODY, -1, e.getMessage(), e);
            }
        }

        @Override
        public TypeInformation<T> type() {
            return schema.getProducedType();
        }
    }

    private record RawPart() implements Part<byte[]> {
        @Override
        public void open(DeserializationSchema.InitializationContext context) {}

        @Override
        public byte[] decode(byte[] bytes) {
            return bytes;
        }

        @Override
        public TypeInformation<byte[]> type() {
            return PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }
}
