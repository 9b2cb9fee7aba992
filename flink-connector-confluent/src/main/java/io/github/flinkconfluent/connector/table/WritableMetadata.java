package io.github.flinkconfluent.connector.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

/**
 * The metadata columns a sink table can write with {@code METADATA FROM '<key>'}: the record's
 * topic (routing per row, see {@link TopicRouting}), timestamp, key and headers.
 */
@Internal
public enum WritableMetadata {
    TOPIC("topic", DataTypes.STRING().nullable()),
    TIMESTAMP("timestamp", DataTypes.TIMESTAMP_LTZ(3).nullable()),
    KEY("key", DataTypes.BYTES().nullable()),
    HEADERS(
            "headers",
            DataTypes.MAP(DataTypes.STRING().nullable(), DataTypes.BYTES().nullable()).nullable());

    private final String key;
    private final DataType dataType;

    WritableMetadata(String key, DataType dataType) {
        this.key = key;
        this.dataType = dataType;
    }

    public String key() {
        return key;
    }

    public DataType dataType() {
        return dataType;
    }

    public static WritableMetadata ofKey(String key) {
        for (WritableMetadata metadata : values()) {
            if (metadata.key.equals(key)) {
                return metadata;
            }
        }
        throw new IllegalArgumentException("Unknown writable metadata key " + key);
    }
}
