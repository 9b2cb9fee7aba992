package io.github.flinkconfluent.connector.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The metadata columns a source table can declare with {@code METADATA FROM '<key>'}: where the
 * record sits in Kafka and what it carries besides its value.
 */
@Internal
public enum ReadableMetadata {
    TOPIC("topic", DataTypes.STRING().notNull(), r -> StringData.fromString(r.topic())),
    PARTITION("partition", DataTypes.INT().notNull(), ConsumerRecord::partition),
    OFFSET("offset", DataTypes.BIGINT().notNull(), ConsumerRecord::offset),
    TIMESTAMP(
            "timestamp",
            DataTypes.TIMESTAMP_LTZ(3).notNull(),
            r -> TimestampData.fromEpochMillis(r.timestamp())),
    TIMESTAMP_TYPE(
            "timestamp-type",
            DataTypes.STRING().notNull(),
            r -> StringData.fromString(r.timestampType().toString())),
    KEY("key", DataTypes.BYTES().nullable(), ConsumerRecord::key),
    HEADERS(
            "headers",
            DataTypes.MAP(DataTypes.STRING().nullable(), DataTypes.BYTES().nullable()).notNull(),
            ReadableMetadata::headers),
    LEADER_EPOCH("leader-epoch", DataTypes.INT().nullable(), r -> r.leaderEpoch().orElse(null));

    private final String key;
    private final DataType dataType;
    private final Function<ConsumerRecord<byte[], byte[]>, Object> extractor;

    ReadableMetadata(
            String key,
            DataType dataType,
            Function<ConsumerRecord<byte[], byte[]>, Object> extractor) {
        this.key = key;
        this.dataType = dataType;
        this.extractor = extractor;
    }

    public String key() {
        return key;
    }

    public DataType dataType() {
        return dataType;
    }

    /** The column value for {@code record}, in Flink's internal data format. */
    public Object read(ConsumerRecord<byte[], byte[]> record) {
        return extractor.apply(record);
    }

    public static ReadableMetadata ofKey(String key) {
        for (ReadableMetadata metadata : values()) {
            if (metadata.key.equals(key)) {
                return metadata;
            }
        }
        throw new IllegalArgumentException("Unknown metadata key " + key);
    }

    private static Object headers(ConsumerRecord<byte[], byte[]> record) {
        Map<StringData, byte[]> headers = new HashMap<>();
        for (Header header : record.headers()) {
            headers.put(StringData.fromString(header.key()), header.value());
        }
        return new GenericMapData(headers);
    }
}
