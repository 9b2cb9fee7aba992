package io.github.flinkconfluent.connector.record;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializationSchema;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.Serializable;

/**
 * Turns a value into the Kafka record a {@link
 * io.github.flinkconfluent.connector.sink.ConfluentSink} writes: key, value, timestamp and headers.
 * Leave the partition unset to let Kafka choose it: murmur2 of the key, or spread across partitions
 * when there is no key.
 */
@PublicEvolving
public interface ConfluentRecordSerializer<T> extends Serializable {

    /** Called once per parallel task before the first record (e.g. to get a schema id). */
    default void open(SerializationSchema.InitializationContext context) throws Exception {}

    ProducerRecord<byte[], byte[]> serialize(T element, String topic);

    /** Called once when the sink writer closes: releases what {@link #open} took. */
    default void close() throws Exception {}

    /** Writes only the value, with a Flink {@link SerializationSchema}; no key. */
    static <T> ConfluentRecordSerializer<T> valueOnly(SerializationSchema<T> schema) {
        return new ConfluentRecordSerializer<T>() {
            private static final long serialVersionUID = 1L;

            @Override
            public void open(SerializationSchema.InitializationContext context) throws Exception {
                schema.open(context);
            }

            @Override
            public ProducerRecord<byte[], byte[]> serialize(T element, String topic) {
                return new ProducerRecord<>(topic, schema.serialize(element));
            }
        };
    }
}
