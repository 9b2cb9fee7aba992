package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.sink.ConfluentSink;
import io.github.flinkconfluent.connector.source.enumerator.TopicSelection;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planner's view of a {@code 'confluent'} sink table, written by a {@link ConfluentSink}, with
 * writable {@code topic}, {@code timestamp}, {@code key} and {@code headers} metadata.
 *
 * <p>A table with one {@code topic} writes there, or, with a {@code topic} metadata column, to the
 * topic each row names (NULL: the table's topic). A table with a topic list, a {@code
 * topic-pattern} or no topic must declare that column: each row names its topic (one of the list,
 * or matching the pattern).
 *
 * <p>An append table takes inserts only. An upsert table ({@code 'changelog' = 'upsert'}) takes
 * inserts, updates (after-images) and deletes that need only the key: the record of a row is the
 * row's latest state under its primary key, a delete is a tombstone. The planner then materializes
 * whatever the query produces into that form (e.g. drops update-before rows).
 */
@Internal
public final class ConfluentDynamicSink implements DynamicTableSink, SupportsWritingMetadata {

    private final ConnectionProfile profile;
    private final Configuration options;
    private final RowEncoder valueEncoder;
    @Nullable private final RowEncoder keyEncoder;
    private final int[] keyColumns;
    @Nullable private final int[] valueColumns;
    private final RowType physicalType;
    @Nullable private final String timestampField;
    private final String tableName;
    private final boolean upsert;
    private final Topics topics;
    private List<String> metadataKeys = List.of();

    /**
     * The topics of the table, as its options give them.
     *
     * @param defaultTopic the single {@code topic}, or null (a list, a pattern or none)
     * @param allowed the topics rows may name (a list or pattern), or null for any
     * @param values the value encoder of each topic
     * @param keys the key encoder of each topic, or null without key columns
     */
    record Topics(
            @Nullable String defaultTopic,
            @Nullable TopicSelection allowed,
            TopicEncoders values,
            @Nullable TopicEncoders keys) {}

    public ConfluentDynamicSink(
            ConnectionProfile profile,
            Configuration options,
            RowEncoder valueEncoder,
            @Nullable RowEncoder keyEncoder,
            int[] keyColumns,
            @Nullable int[] valueColumns,
            RowType physicalType,
            @Nullable String timestampField,
            String tableName,
            boolean upsert,
            Topics topics) {
        this.profile = profile;
        this.topics = topics;
        this.options = options;
        this.valueEncoder = valueEncoder;
        this.keyEncoder = keyEncoder;
        this.keyColumns = keyColumns;
        this.valueColumns = valueColumns;
        this.physicalType = physicalType;
        this.timestampField = timestampField;
        this.tableName = tableName;
        this.upsert = upsert;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requested) {
        if (upsert) {
            return ChangelogMode.upsert();
        }
        if (!requested.containsOnly(RowKind.INSERT)) {
            // The planner's own error names neither the table's option nor the fix.
            throw new ValidationException(
                    "Table "
                            + tableName
                            + " is an append table ('changelog' = 'append', the default): it"
                            + " takes inserts only, but the query produces "
                            + requested.getContainedKinds()
                            + " (e.g. a GROUP BY without a window, or a regular join). Write it"
                            + " to a table with 'changelog' = 'upsert' and a PRIMARY KEY (...)"
                            + " NOT ENFORCED, or make the query insert-only (a windowed"
                            + " aggregate).");
        }
        return ChangelogMode.insertOnly();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        int arity = physicalType.getFieldCount();
        int timestampColumn = -1;
        int timestampPrecision = 3;
        if (metadataKeys.contains(WritableMetadata.TIMESTAMP.key())) {
            timestampColumn = arity + metadataKeys.indexOf(WritableMetadata.TIMESTAMP.key());
        } else if (timestampField != null) {
            timestampColumn = physicalType.getFieldIndex(timestampField);
            LogicalType type = timestampColumn < 0 ? null : physicalType.getTypeAt(timestampColumn);
            if (type == null
                    || !(type.is(LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE)
                            || type.is(LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE))) {
                throw new ValidationException(
                        "'sink.timestamp_field' = '"
                                + timestampField
                                + "' of table "
                                + tableName
                                + " must name a TIMESTAMP or TIMESTAMP_LTZ column");
            }
            timestampPrecision =
                    org.apache.flink.table.types.logical.utils.LogicalTypeChecks.getPrecision(type);
        }
        int keyMetadata =
                metadataKeys.contains(WritableMetadata.KEY.key())
                        ? arity + metadataKeys.indexOf(WritableMetadata.KEY.key())
                        : -1;
        if (keyMetadata >= 0 && keyEncoder != null) {
            throw new ValidationException(
                    "Table "
                            + tableName
                            + " takes its key both from key columns and from a 'key' metadata"
                            + " column; use one of them");
        }
        int headers =
                metadataKeys.contains(WritableMetadata.HEADERS.key())
                        ? arity + metadataKeys.indexOf(WritableMetadata.HEADERS.key())
                        : -1;
        TopicRouting routing = null;
        if (metadataKeys.contains(WritableMetadata.TOPIC.key())) {
            routing =
                    new TopicRouting(
                            arity + metadataKeys.indexOf(WritableMetadata.TOPIC.key()),
                            topics.defaultTopic(),
                            topics.allowed(),
                            topics.values(),
                            keyEncoder == null ? null : topics.keys(),
                            tableName);
        } else if (topics.defaultTopic() == null) {
            throw new ValidationException(
                    "Table "
                            + tableName
                            + (topics.allowed() == null
                                    ? " has no 'topic'"
                                    : " writes to " + topics.allowed())
                            + ", so each row must name its topic: declare a column `topic` STRING"
                            + " METADATA (its value is the row's topic), or set 'topic' to one"
                            + " topic.");
        }
        ConfluentSink<RowData> sink =
                ConfluentSink.<RowData>builder()
                        .setConnectionProfile(profile)
                        .setAll(options)
                        .setRecordSerializer(
                                new RowDataRecordSerializer(
                                        routing == null ? valueEncoder : null,
                                        routing == null ? keyEncoder : null,
                                        routing,
                                        keyColumns,
                                        valueColumns,
                                        timestampColumn,
                                        timestampPrecision,
                                        keyMetadata,
                                        headers,
                                        upsert))
                        .build();
        return SinkV2Provider.of(
                sink, options.getOptional(FactoryUtil.SINK_PARALLELISM).orElse(null));
    }

    @Override
    public Map<String, DataType> listWritableMetadata() {
        Map<String, DataType> columns = new LinkedHashMap<>();
        for (WritableMetadata m : WritableMetadata.values()) {
            columns.put(m.key(), m.dataType());
        }
        return columns;
    }

    @Override
    public void applyWritableMetadata(List<String> metadataKeys, DataType consumedDataType) {
        this.metadataKeys = List.copyOf(metadataKeys);
    }

    @Override
    public DynamicTableSink copy() {
        ConfluentDynamicSink copy =
                new ConfluentDynamicSink(
                        profile,
                        options,
                        valueEncoder,
                        keyEncoder,
                        keyColumns,
                        valueColumns,
                        physicalType,
                        timestampField,
                        tableName,
                        upsert,
                        topics);
        copy.metadataKeys = metadataKeys;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "Confluent(" + profile.describe() + ")";
    }
}
