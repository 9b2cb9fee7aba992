package io.github.flinkconfluent.connector.format;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;

import java.io.Serializable;

/**
 * Encodes a row of the table's columns into the bytes of a Kafka record key or value.
 *
 * <p>Created at planning time, opened once per parallel task ({@link #open} obtains the schema id
 * from the registry, so nothing remote happens per record). Not thread-safe.
 */
@Internal
public interface RowEncoder extends Serializable {

    /** Called once on the task before the first {@link #encode}. */
    default void open() throws Exception {}

    byte[] encode(RowData row);
}
