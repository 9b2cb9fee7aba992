package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.source.ConfluentRecordDeserializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * Produces the rows of a SQL source table: the value's columns, decoded by the table's format,
 * followed by the metadata columns the query asked for. Records without a value (tombstones)
 * produce no row.
 */
@Internal
public final class RowDataRecordDeserializer implements ConfluentRecordDeserializer<RowData> {

    private static final long serialVersionUID = 1L;

    private final RowDecoder valueDecoder;
    private final ReadableMetadata[] metadata;
    private final TypeInformation<RowData> producedType;

    public RowDataRecordDeserializer(
            RowDecoder valueDecoder,
            List<ReadableMetadata> metadata,
            TypeInformation<RowData> producedType) {
        this.valueDecoder = valueDecoder;
        this.metadata = metadata.toArray(new ReadableMetadata[0]);
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        valueDecoder.open();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RowData> out)
            throws WireFormatException {
        if (record.value() == null) {
            return;
        }
        RowData value = valueDecoder.decode(record.value());
        if (metadata.length == 0) {
            out.collect(value);
            return;
        }
        GenericRowData extra = new GenericRowData(metadata.length);
        for (int i = 0; i < metadata.length; i++) {
            extra.setField(i, metadata[i].read(record));
        }
        out.collect(new JoinedRowData(value.getRowKind(), value, extra));
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
