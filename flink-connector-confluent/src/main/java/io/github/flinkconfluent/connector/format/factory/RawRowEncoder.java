package io.github.flinkconfluent.connector.format.factory;

import io.github.flinkconfluent.connector.format.RowEncoder;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;

/**
 * The {@code raw_string} and {@code raw_bytes} formats of a sink: the single column's UTF-8 text or
 * bytes are the record value.
 */
@Internal
final class RawRowEncoder implements RowEncoder {

    private static final long serialVersionUID = 1L;

    private final boolean text;

    RawRowEncoder(boolean text) {
        this.text = text;
    }

    @Override
    public byte[] encode(RowData row) {
        if (row.isNullAt(0)) {
            return null;
        }
        return text ? row.getString(0).toBytes() : row.getBinary(0);
    }
}
