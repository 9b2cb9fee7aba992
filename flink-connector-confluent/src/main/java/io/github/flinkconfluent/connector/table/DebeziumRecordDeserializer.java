package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import javax.annotation.Nullable;

import java.util.List;

/**
 * Produces the rows of a Debezium source table ({@code 'changelog' = 'debezium'}): each record
 * value is a change event, decoded by the table's value format as a {@link
 * DebeziumChanges#envelopeType envelope row}, whose images become rows ({@link DebeziumChanges});
 * the metadata columns asked for follow, from the Kafka record ({@link ReadableMetadata}) or from
 * the event ({@link DebeziumMetadata}). Tombstones (null values, which Debezium writes after a
 * delete for log compaction) are skipped. The record key is not read: the images hold every column.
 *
 * <p>All rows of an event are computed before any is emitted, so that a bad event emits nothing.
 */
@Internal
public final class DebeziumRecordDeserializer implements ConfluentRecordDeserializer<RowData> {

    private static final long serialVersionUID = 1L;

    private final RowDecoder envelopeDecoder;
    private final DebeziumChanges changes;

    /** Per metadata column: the Kafka record's, or null where {@link #eventMetadata} has it. */
    private final ReadableMetadata[] recordMetadata;

    private final DebeziumMetadata[] eventMetadata;
    private final boolean needsSourceTree;
    private final TypeInformation<RowData> producedType;

    private transient ObjectMapper mapper;

    /**
     * @param envelopeDecoder decodes a value into a row of {@link DebeziumChanges#envelopeType}
     * @param metadataKeys the metadata columns, in the produced row's order
     */
    DebeziumRecordDeserializer(
            RowDecoder envelopeDecoder,
            DebeziumChanges changes,
            List<String> metadataKeys,
            TypeInformation<RowData> producedType) {
        this.envelopeDecoder = envelopeDecoder;
        this.changes = changes;
        this.recordMetadata = new ReadableMetadata[metadataKeys.size()];
        this.eventMetadata = new DebeziumMetadata[metadataKeys.size()];
        boolean tree = false;
        for (int i = 0; i < metadataKeys.size(); i++) {
            eventMetadata[i] = DebeziumMetadata.ofKey(metadataKeys.get(i));
            if (eventMetadata[i] == null) {
                recordMetadata[i] = ReadableMetadata.ofKey(metadataKeys.get(i));
            } else {
                tree |= eventMetadata[i].needsSourceTree();
            }
        }
        this.needsSourceTree = tree;
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        envelopeDecoder.open();
        mapper = new ObjectMapper();
    }

    @Override
    public void close() throws Exception {
        envelopeDecoder.close();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RowData> out)
            throws WireFormatException {
        if (record.value() == null) {
            return;
        }
        RowData envelope = envelopeDecoder.decode(record.value());
        List<RowData> rows = changes.rows(envelope);
        if (recordMetadata.length == 0) {
            rows.forEach(out::collect);
            return;
        }
        GenericRowData extra = metadata(record, envelope);
        for (RowData row : rows) {
            out.collect(new JoinedRowData(row.getRowKind(), row, extra));
        }
    }

    private GenericRowData metadata(ConsumerRecord<byte[], byte[]> record, RowData envelope) {
        Long timestamp = DebeziumChanges.timestamp(envelope);
        String sourceText = DebeziumChanges.source(envelope);
        JsonNode source = needsSourceTree ? parse(sourceText) : null;
        GenericRowData extra = new GenericRowData(recordMetadata.length);
        for (int i = 0; i < recordMetadata.length; i++) {
            extra.setField(
                    i,
                    recordMetadata[i] != null
                            ? recordMetadata[i].read(record)
                            : eventMetadata[i].read(timestamp, sourceText, source));
        }
        return extra;
    }

    /**
     * The {@code source} block as a tree; the format rendered it as JSON text itself, so text it
     * cannot parse back (an Avro float NaN) leaves only the source.* columns null.
     */
    @Nullable
    private JsonNode parse(@Nullable String sourceText) {
        if (sourceText == null) {
            return null;
        }
        try {
            return mapper.readTree(sourceText);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
