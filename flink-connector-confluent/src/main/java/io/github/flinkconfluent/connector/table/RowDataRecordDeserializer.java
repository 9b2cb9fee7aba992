package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import javax.annotation.Nullable;

import java.util.List;

/**
 * Produces the rows of a SQL source table: the physical columns — decoded from the value by the
 * table's format and, for key columns ({@code key.fields}), from the key by the key format —
 * followed by the metadata columns the query asked for.
 *
 * <p>An append table skips records without a value (tombstones). An upsert table ({@code
 * 'changelog' = 'upsert'}) reads the topic as a changelog: a record with a value is the latest row
 * of its key (an INSERT, which the planner's normalize step turns into an update of an earlier row
 * of the key), a tombstone is a DELETE carrying only the key columns, and a record without a key
 * belongs to no row — bad data ({@link WireFormatException.Reason#MISSING_KEY}).
 */
@Internal
public final class RowDataRecordDeserializer implements ConfluentRecordDeserializer<RowData> {

    private static final long serialVersionUID = 1L;

    private final RowDecoder valueDecoder;
    @Nullable private final KeyColumns key;
    private final ReadableMetadata[] metadata;
    private final TypeInformation<RowData> producedType;
    private final boolean upsert;

    private transient RowData.FieldGetter[] valueGetters;
    private transient RowData.FieldGetter[] keyGetters;

    /**
     * Where key and value columns go in the physical row, when the table has key columns.
     *
     * @param decoder decodes the key into a row of the key columns
     * @param keyPositions for each key-row field, its physical column
     * @param valuePositions for each value-row field, its physical column
     * @param physicalType the table's physical row type
     */
    public record KeyColumns(
            RowDecoder decoder, int[] keyPositions, int[] valuePositions, RowType physicalType)
            implements java.io.Serializable {}

    public RowDataRecordDeserializer(
            RowDecoder valueDecoder,
            @Nullable KeyColumns key,
            List<ReadableMetadata> metadata,
            TypeInformation<RowData> producedType,
            boolean upsert) {
        if (upsert && key == null) {
            throw new IllegalArgumentException("An upsert table needs key columns");
        }
        this.upsert = upsert;
        this.valueDecoder = valueDecoder;
        this.key = key;
        this.metadata = metadata.toArray(new ReadableMetadata[0]);
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        valueDecoder.open();
        if (key != null) {
            key.decoder().open();
            valueGetters = getters(key.valuePositions());
            keyGetters = getters(key.keyPositions());
        }
    }

    @Override
    public void close() throws Exception {
        try {
            valueDecoder.close();
        } finally {
            if (key != null) {
                key.decoder().close();
            }
        }
    }

    /** Getters of a decoded row's fields, typed as the physical columns they fill. */
    private RowData.FieldGetter[] getters(int[] positions) {
        RowData.FieldGetter[] getters = new RowData.FieldGetter[positions.length];
        for (int i = 0; i < positions.length; i++) {
            getters[i] = RowData.createFieldGetter(key.physicalType().getTypeAt(positions[i]), i);
        }
        return getters;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RowData> out)
            throws WireFormatException {
        RowData physical;
        if (upsert) {
            if (record.key() == null) {
                throw new WireFormatException(
                        WireFormatException.Reason.MISSING_KEY,
                        -1,
                        "the table has 'changelog' = 'upsert', whose rows are identified by the"
                                + " record key, but this record has none");
            }
            physical =
                    record.value() == null
                            ? deleteOf(record.key())
                            : withKey(record.key(), valueDecoder.decode(record.value()));
        } else if (record.value() == null) {
            return;
        } else {
            RowData value = valueDecoder.decode(record.value());
            physical = key == null ? value : withKey(record.key(), value);
        }
        if (metadata.length == 0) {
            out.collect(physical);
            return;
        }
        GenericRowData extra = new GenericRowData(metadata.length);
        for (int i = 0; i < metadata.length; i++) {
            extra.setField(i, metadata[i].read(record));
        }
        out.collect(new JoinedRowData(physical.getRowKind(), physical, extra));
    }

    /** A DELETE of the key's row: the key columns filled, the others null. */
    private RowData deleteOf(byte[] keyBytes) throws WireFormatException {
        GenericRowData row = new GenericRowData(key.physicalType().getFieldCount());
        row.setRowKind(RowKind.DELETE);
        setKeyColumns(row, keyBytes);
        return row;
    }

    private void setKeyColumns(GenericRowData row, byte[] keyBytes) throws WireFormatException {
        RowData keyRow = key.decoder().decode(keyBytes);
        int[] keyPositions = key.keyPositions();
        for (int i = 0; i < keyPositions.length; i++) {
            row.setField(keyPositions[i], keyGetters[i].getFieldOrNull(keyRow));
        }
    }

    private RowData withKey(@Nullable byte[] keyBytes, RowData value) throws WireFormatException {
        GenericRowData row = new GenericRowData(key.physicalType().getFieldCount());
        int[] valuePositions = key.valuePositions();
        for (int i = 0; i < valuePositions.length; i++) {
            row.setField(valuePositions[i], valueGetters[i].getFieldOrNull(value));
        }
        if (keyBytes != null) {
            setKeyColumns(row, keyBytes);
        }
        return row;
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
