package io.github.flinkconfluent.connector.sink;

import io.github.flinkconfluent.connector.ConfluentConnectorOptions;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The checks of sink options that both the DataStream builder ({@link ConfluentSink.Builder}) and
 * the SQL table factory make, written once so that both refuse the same values with the same words
 * (the table factory adds the table's name).
 */
@Internal
public final class SinkSettings {

    private SinkSettings() {}

    /** {@code sink.buffer_flush.max_rows}: 0 (no buffer) or a positive number of keys. */
    public static int bufferMaxKeys(ReadableConfig options) {
        int keys = options.get(ConfluentConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS);
        if (keys < 0) {
            throw new IllegalArgumentException(
                    "'"
                            + ConfluentConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS.key()
                            + "' is "
                            + keys
                            + "; use 0 (no buffer) or a positive number of keys.");
        }
        return keys;
    }
}
