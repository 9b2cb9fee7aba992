package io.github.flinkconfluent.connector.format.factory;

import io.github.flinkconfluent.connector.format.RowDecoder;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

/**
 * The {@code raw_string} and {@code raw_bytes} formats: the whole value in the table's single
 * column, as UTF-8 text or as the bytes themselves. Nothing can be malformed here, so nothing is
 * ever bad data.
 */
@Internal
final class RawRowDecoder implements RowDecoder {

    private static final long serialVersionUID = 1L;

    private final boolean text;

    RawRowDecoder(boolean text) {
        this.text = text;
    }

    @Override
    public RowData decode(byte[] message) {
        return GenericRowData.of(text ? StringData.fromBytes(message) : message);
    }
}
