package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.record.ConfluentRecordSerializer;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializationSchema;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.io.Serializable;
import java.util.Objects;

/**
 * Writes {@link KafkaRecord}s: the key and the value each encoded by its own serializer
 * (registry-aware, or a plain Flink {@link SerializationSchema} for keys that are not in the wire
 * format), with the record's headers and timestamp. The record's topic, partition and offset (of a
 * record read elsewhere) are ignored: the sink's topic and Kafka's partitioner decide.
 *
 * <pre>{@code
 * ConfluentSink.<KafkaRecord<OrderKey, Order>>builder()
 *     .setRecordSerializer(KafkaRecordSerializer.of(
 *         ConfluentAvroSerializer.forSpecific(OrderKey.class, profile),
 *         ConfluentAvroSerializer.forSpecific(Order.class, profile)))
 * }</pre>
 *
 * <p>With the default {@link SubjectNameStrategy#TOPIC_NAME}, the key's schema goes under {@code
 * <topic>-key} and the value's under {@code <topic>-value}. A null value is written as a tombstone.
 */
@PublicEvolving
public final class KafkaRecordSerializer<K, V>
        implements ConfluentRecordSerializer<KafkaRecord<K, V>> {

    private static final long serialVersionUID = 1L;

    private final Part<K> key;
    private final RegistryRecordSerializer<V> value;

    private KafkaRecordSerializer(Part<K> key, RegistryRecordSerializer<V> value) {
        this.key = key;
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Key and value in the Confluent wire format. */
    public static <K, V> KafkaRecordSerializer<K, V> of(
            RegistryRecordSerializer<K> key, RegistryRecordSerializer<V> value) {
        return new KafkaRecordSerializer<>(new RegistryPart<>(key), value);
    }

    /** A key written by a Flink {@link SerializationSchema}, a value in the wire format. */
    public static <K, V> KafkaRecordSerializer<K, V> of(
            SerializationSchema<K> key, RegistryRecordSerializer<V> value) {
        return new KafkaRecordSerializer<>(new FlinkPart<>(key), value);
    }

    @Override
    public void open(SerializationSchema.InitializationContext context) throws Exception {
        key.open(context);
        value.open(context);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(KafkaRecord<K, V> record, String topic) {
        byte[] keyBytes = record.key() == null ? null : key.encode(record.key(), topic);
        byte[] valueBytes = value.encode(record.value(), topic, false);
        RecordHeaders headers = new RecordHeaders();
        for (KafkaRecord.Header header : record.headers()) {
            headers.add(header.key(), header.value());
        }
        Long timestamp = record.timestamp() == KafkaRecord.NO_TIMESTAMP ? null : record.timestamp();
        return new ProducerRecord<>(topic, null, timestamp, keyBytes, valueBytes, headers);
    }

    @Override
    public void close() throws Exception {
        try {
            key.close();
        } finally {
            value.close();
        }
    }

    /** How the key becomes bytes. */
    private interface Part<T> extends Serializable {
        void open(SerializationSchema.InitializationContext context) throws Exception;

        byte[] encode(T key, String topic);

        default void close() throws Exception {}
    }

    private record RegistryPart<T>(RegistryRecordSerializer<T> serializer) implements Part<T> {
        RegistryPart {
            Objects.requireNonNull(serializer, "serializer");
        }

        @Override
        public void open(SerializationSchema.InitializationContext context) throws Exception {
            serializer.open(context);
        }

        @Override
        public byte[] encode(T key, String topic) {
            return serializer.encode(key, topic, true);
        }

        @Override
        public void close() throws Exception {
            serializer.close();
        }
    }

    private record FlinkPart<T>(SerializationSchema<T> schema) implements Part<T> {
        FlinkPart {
            Objects.requireNonNull(schema, "schema");
        }

        @Override
        public void open(SerializationSchema.InitializationContext context) throws Exception {
            schema.open(context);
        }

        @Override
        public byte[] encode(T key, String topic) {
            return schema.serialize(key);
        }
    }
}
