package io.github.flinkconfluent.connector.record;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.options.BadDataPolicy;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.io.Serializable;

/**
 * Turns a Kafka record (key, value, headers, position) into zero or more values of type {@code T}.
 * The source reports a {@link WireFormatException} with the record's topic, partition and offset
 * and applies the table's {@link BadDataPolicy}; any other exception fails the job.
 */
@PublicEvolving
public interface ConfluentRecordDeserializer<T> extends Serializable, ResultTypeQueryable<T> {

    /** Called once per parallel task before the first record. */
    default void open(DeserializationSchema.InitializationContext context) throws Exception {}

    void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out)
            throws WireFormatException;

    /** Called once when the source reader closes: releases what {@link #open} took. */
    default void close() throws Exception {}

    /**
     * Reads only the record value with a Flink {@link DeserializationSchema} (e.g. {@code
     * SimpleStringSchema}); records without a value are skipped. An {@code IOException} from the
     * schema counts as bad data.
     */
    static <T> ConfluentRecordDeserializer<T> valueOnly(DeserializationSchema<T> schema) {
        return new ConfluentRecordDeserializer<T>() {
            private static final long serialVersionUID = 1L;

            @Override
            public void open(DeserializationSchema.InitializationContext context) throws Exception {
                schema.open(context);
            }

            @Override
            public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out)
                    throws WireFormatException {
                if (record.value() == null) {
                    return;
                }
                try {
                    schema.deserialize(record.value(), out);
                } catch (java.io.IOException e) {
                    throw new WireFormatException(
                            WireFormatException.Reason.MALFORMED_BODY, -1, e.getMessage(), e);
                }
            }

            @Override
            public org.apache.flink.api.common.typeinfo.TypeInformation<T> getProducedType() {
                return schema.getProducedType();
            }
        };
    }
}
