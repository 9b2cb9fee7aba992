package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.record.ConfluentRecordSerializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.data.utils.ProjectedRowData;
import org.apache.flink.types.RowKind;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import javax.annotation.Nullable;

/**
 * Turns a row of a SQL sink table into a Kafka record: the value from the physical columns (the
 * table's format), the key from the key columns (the key format) or the {@code key} metadata
 * column, the timestamp from the {@code timestamp} metadata column or {@code sink.timestamp_field},
 * headers from the {@code headers} metadata column, the topic from the {@code topic} metadata
 * column ({@link TopicRouting}, with each topic's own subject) or the table's topic.
 *
 * <p>For an upsert table ({@code 'changelog' = 'upsert'}) a row is the new state of its key: an
 * insert or update is written as a value, a delete as a tombstone — the key with a null value —
 * which is what deletes a key from a compacted topic.
 */
@Internal
public final class RowDataRecordSerializer implements ConfluentRecordSerializer<RowData> {

    private static final long serialVersionUID = 1L;

    @Nullable private final RowEncoder valueEncoder;
    @Nullable private final RowEncoder keyEncoder;
    @Nullable private final TopicRouting routing;
    private final int[] keyColumns;
    @Nullable private final int[] valueColumns;
    private final int timestampColumn;
    private final int timestampPrecision;
    private final int keyMetadata;
    private final int headersMetadata;
    private final boolean upsert;

    private transient ProjectedRowData keyRow;
    private transient ProjectedRowData valueRow;

    /**
     * @param keyColumns positions of the key columns (empty: no key from columns)
     * @param valueColumns positions of the value's columns, or null for all physical ones
     * @param timestampColumn position of the column holding the record timestamp, or -1
     * @param keyMetadata position of the {@code key} metadata column, or -1
     * @param headersMetadata position of the {@code headers} metadata column, or -1
     * @param upsert whether deletes are written as tombstones (an upsert table); otherwise every
     *     row is an insert
     */
    public RowDataRecordSerializer(
            RowEncoder valueEncoder,
            @Nullable RowEncoder keyEncoder,
            int[] keyColumns,
            @Nullable int[] valueColumns,
            int timestampColumn,
            int timestampPrecision,
            int keyMetadata,
            int headersMetadata,
            boolean upsert) {
        this(
                valueEncoder,
                keyEncoder,
                null,
                keyColumns,
                valueColumns,
                timestampColumn,
                timestampPrecision,
                keyMetadata,
                headersMetadata,
                upsert);
    }

    /**
     * @param routing with a {@code topic} metadata column: the topic of each row and the encoders
     *     per topic, which then replace {@code valueEncoder} and {@code keyEncoder} (both null)
     */
    RowDataRecordSerializer(
            @Nullable RowEncoder valueEncoder,
            @Nullable RowEncoder keyEncoder,
            @Nullable TopicRouting routing,
            int[] keyColumns,
            @Nullable int[] valueColumns,
            int timestampColumn,
            int timestampPrecision,
            int keyMetadata,
            int headersMetadata,
            boolean upsert) {
        if ((valueEncoder == null) == (routing == null)) {
            throw new IllegalArgumentException("Either a value encoder or a routing");
        }
        this.valueEncoder = valueEncoder;
        this.keyEncoder = keyEncoder;
        this.routing = routing;
        this.keyColumns = keyColumns;
        this.valueColumns = valueColumns;
        this.timestampColumn = timestampColumn;
        this.timestampPrecision = timestampPrecision;
        this.keyMetadata = keyMetadata;
        this.headersMetadata = headersMetadata;
        this.upsert = upsert;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context) throws Exception {
        if (valueEncoder != null) {
            valueEncoder.open();
        }
        if (keyEncoder != null) {
            keyEncoder.open();
        }
        if (keyEncoder != null || (routing != null && routing.keys() != null)) {
            keyRow = ProjectedRowData.from(keyColumns);
        }
        if (valueColumns != null) {
            valueRow = ProjectedRowData.from(valueColumns);
        }
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(RowData row, String topic) {
        RowEncoder valueWriter = valueEncoder;
        RowEncoder keyWriter = keyEncoder;
        if (routing != null) {
            topic = routing.topicOf(row);
            try {
                valueWriter = routing.values().forTopic(topic);
                keyWriter = routing.keys() == null ? null : routing.keys().forTopic(topic);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(
                        "Cannot prepare the encoders of topic '" + topic + "'", e);
            }
        }
        byte[] key = null;
        if (keyWriter != null) {
            key = keyWriter.encode(keyRow.replaceRow(row));
        } else if (keyMetadata >= 0 && !row.isNullAt(keyMetadata)) {
            key = row.getBinary(keyMetadata);
        }
        Long timestamp = null;
        if (timestampColumn >= 0 && !row.isNullAt(timestampColumn)) {
            TimestampData ts = row.getTimestamp(timestampColumn, timestampPrecision);
            timestamp = ts.getMillisecond();
        }
        RecordHeaders headers = new RecordHeaders();
        if (headersMetadata >= 0 && !row.isNullAt(headersMetadata)) {
            MapData map = row.getMap(headersMetadata);
            ArrayData keys = map.keyArray();
            ArrayData values = map.valueArray();
            for (int i = 0; i < map.size(); i++) {
                headers.add(
                        keys.getString(i).toString(),
                        values.isNullAt(i) ? null : values.getBinary(i));
            }
        }
        return new ProducerRecord<>(topic, null, timestamp, key, value(row, valueWriter), headers);
    }

    /**
     * The encoded value, or null (a tombstone) for a row that removes its key. An upsert sink
     * declares that it takes no UPDATE_BEFORE; should one come, a tombstone is still right, since
     * the UPDATE_AFTER that follows it writes the key again.
     */
    @Nullable
    private byte[] value(RowData row, RowEncoder valueEncoder) {
        if (upsert
                && (row.getRowKind() == RowKind.DELETE
                        || row.getRowKind() == RowKind.UPDATE_BEFORE)) {
            return null;
        }
        return valueEncoder.encode(valueRow == null ? row : valueRow.replaceRow(row));
    }
}
