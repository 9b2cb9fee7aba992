package io.github.flinkconfluent.connector.source.reader;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.options.BadDataPolicy;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplitState;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.annotation.Nullable;

import java.util.function.Function;

/**
 * Decodes each record, emits the values with the record's timestamp, advances the split's position,
 * and applies the {@link BadDataPolicy} to records that cannot be decoded. A {@link PositionReset}
 * from the split reader only moves the position and counts the offsets it jumped over.
 */
@Internal
public final class ConfluentRecordEmitter<T>
        implements RecordEmitter<ConsumerRecord<byte[], byte[]>, T, ConfluentPartitionSplitState> {

    private final ConfluentRecordDeserializer<T> deserializer;
    private final BadDataPolicy badDataPolicy;
    private final Counter errors;
    private static final Logger LOG = LoggerFactory.getLogger(ConfluentRecordEmitter.class);

    private final Counter dropped;
    private final Counter outOfRangeSkipped;
    private final Counter recordsIn;
    private final DeadLetterWriter deadLetters;
    private final Function<WireFormatException.Reason, Counter> routed;
    private final OutputCollector<T> collector = new OutputCollector<>();
    private final DroppedRecordLog droppedLog = new DroppedRecordLog();

    /**
     * @param outOfRangeSkipped offsets jumped over by the {@code source.offset_out_of_range} policy
     * @param recordsIn the reader's {@code numRecordsIn}, which Flink increments for a {@link
     *     PositionReset} too; it is not a record, so the count is taken back
     * @param deadLetters where {@link BadDataPolicy#DLQ} writes bad records; null otherwise
     * @param routed the routed-records counter of a reason
     */
    public ConfluentRecordEmitter(
            ConfluentRecordDeserializer<T> deserializer,
            BadDataPolicy badDataPolicy,
            Counter errors,
            Counter dropped,
            Counter outOfRangeSkipped,
            Counter recordsIn,
            @Nullable DeadLetterWriter deadLetters,
            Function<WireFormatException.Reason, Counter> routed) {
        if (badDataPolicy == BadDataPolicy.DLQ && deadLetters == null) {
            throw new IllegalArgumentException("'bad_data' = 'dlq' needs a dead-letter writer");
        }
        this.deadLetters = deadLetters;
        this.routed = routed;
        this.deserializer = deserializer;
        this.badDataPolicy = badDataPolicy;
        this.errors = errors;
        this.dropped = dropped;
        this.outOfRangeSkipped = outOfRangeSkipped;
        this.recordsIn = recordsIn;
    }

    @Override
    public void emitRecord(
            ConsumerRecord<byte[], byte[]> record,
            SourceOutput<T> output,
            ConfluentPartitionSplitState state) {
        if (record instanceof PositionReset reset) {
            recordsIn.dec();
            outOfRangeSkipped.inc(reset.skippedOffsets());
            state.setNextOffset(reset.offset());
            return;
        }
        collector.output = output;
        collector.timestamp = record.timestamp();
        try {
            deserializer.deserialize(record, collector);
        } catch (WireFormatException e) {
            errors.inc();
            String where =
                    "topic '"
                            + record.topic()
                            + "', partition "
                            + record.partition()
                            + ", offset "
                            + record.offset();
            if (badDataPolicy == BadDataPolicy.FAIL) {
                throw new FlinkRuntimeException(
                        "Cannot decode the record at "
                                + where
                                + ": "
                                + e.getMessage()
                                + ". Fix the producer, or set 'bad_data' = 'drop' to skip such"
                                + " records (they are counted in the numRecordsInErrors"
                                + " metric), or 'dlq' to write them to a dead-letter topic.",
                        e);
            }
            if (badDataPolicy == BadDataPolicy.DLQ) {
                deadLetters.route(record, e);
                routed.apply(e.reason()).inc();
                // The reason only: the decoder's detail can quote the record's values (it goes
                // to the dead-letter record's headers, not to the logs).
                LOG.debug(
                        "Routed the undecodable record at {} to the dead-letter topic '{}': {}",
                        where,
                        deadLetters.topic(),
                        e.reason());
                state.setNextOffset(record.offset() + 1);
                return;
            }
            dropped.inc();
            droppedLog.dropped(record, e);
        }
        state.setNextOffset(record.offset() + 1);
    }

    /** Forwards values to the split's output with the Kafka record timestamp. */
    private static final class OutputCollector<T> implements Collector<T> {
        SourceOutput<T> output;
        long timestamp;

        @Override
        public void collect(T value) {
            output.collect(value, timestamp);
        }

        @Override
        public void close() {}
    }
}
