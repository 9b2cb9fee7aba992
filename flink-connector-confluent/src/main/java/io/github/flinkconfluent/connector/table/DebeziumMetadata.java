package io.github.flinkconfluent.connector.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;

import javax.annotation.Nullable;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The metadata columns of a Debezium table ({@code 'changelog' = 'debezium'}), read from the change
 * event rather than from the Kafka record. The keys are those of Flink's {@code debezium-*} formats
 * in a Kafka table ({@code value.} and the format's key), so that ported DDL keeps its {@code
 * METADATA FROM} clauses; {@code value.source} (the whole {@code source} block as JSON text) is
 * this connector's own.
 */
@Internal
enum DebeziumMetadata {
    INGESTION_TIMESTAMP("value.ingestion-timestamp", DataTypes.TIMESTAMP_LTZ(3).nullable()),
    SOURCE("value.source", DataTypes.STRING().nullable()),
    SOURCE_TIMESTAMP("value.source.timestamp", DataTypes.TIMESTAMP_LTZ(3).nullable()),
    SOURCE_DATABASE("value.source.database", DataTypes.STRING().nullable()),
    SOURCE_SCHEMA("value.source.schema", DataTypes.STRING().nullable()),
    SOURCE_TABLE("value.source.table", DataTypes.STRING().nullable()),
    SOURCE_PROPERTIES(
            "value.source.properties",
            DataTypes.MAP(DataTypes.STRING().nullable(), DataTypes.STRING().nullable()).nullable());

    private final String key;
    private final DataType dataType;

    DebeziumMetadata(String key, DataType dataType) {
        this.key = key;
        this.dataType = dataType;
    }

    String key() {
        return key;
    }

    DataType dataType() {
        return dataType;
    }

    /** Whether reading this column needs the {@code source} block parsed. */
    boolean needsSourceTree() {
        return this != INGESTION_TIMESTAMP && this != SOURCE;
    }

    /**
     * The column value in Flink's internal data format.
     *
     * @param timestamp the event's {@code ts_ms}
     * @param sourceText the event's {@code source} as JSON text
     * @param source {@code sourceText} parsed, when {@link #needsSourceTree()}; null if absent
     */
    @Nullable
    Object read(@Nullable Long timestamp, @Nullable String sourceText, @Nullable JsonNode source) {
        switch (this) {
            case INGESTION_TIMESTAMP:
                return timestamp == null ? null : TimestampData.fromEpochMillis(timestamp);
            case SOURCE:
                return sourceText == null ? null : StringData.fromString(sourceText);
            case SOURCE_TIMESTAMP:
                JsonNode ts = field(source, "ts_ms");
                return ts == null || !ts.canConvertToLong()
                        ? null
                        : TimestampData.fromEpochMillis(ts.longValue());
            case SOURCE_DATABASE:
                return text(field(source, "db"));
            case SOURCE_SCHEMA:
                return text(field(source, "schema"));
            case SOURCE_TABLE:
                JsonNode table = field(source, "table");
                return text(table != null ? table : field(source, "collection"));
            case SOURCE_PROPERTIES:
                if (source == null || !source.isObject()) {
                    return null;
                }
                Map<StringData, StringData> properties = new HashMap<>();
                Iterator<Map.Entry<String, JsonNode>> fields = source.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    properties.put(StringData.fromString(field.getKey()), text(field.getValue()));
                }
                return new GenericMapData(properties);
            default:
                throw new IllegalStateException("Unhandled metadata column " + this);
        }
    }

    @Nullable
    private static JsonNode field(@Nullable JsonNode source, String name) {
        if (source == null) {
            return null;
        }
        JsonNode value = source.get(name);
        return value == null || value.isNull() ? null : value;
    }

    @Nullable
    private static StringData text(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return StringData.fromString(node.isValueNode() ? node.asText() : node.toString());
    }

    @Nullable
    static DebeziumMetadata ofKey(String key) {
        for (DebeziumMetadata metadata : values()) {
            if (metadata.key.equals(key)) {
                return metadata;
            }
        }
        return null;
    }
}
