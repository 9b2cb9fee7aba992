package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.source.ConfluentSource;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.DataType;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The planner's view of a {@code 'confluent'} source table. Watermarks are pushed into the source
 * so that each partition gets its own watermark (and idleness), as FLIP-27 sources do.
 *
 * <p>An upsert table ({@code 'changelog' = 'upsert'}) declares an upsert changelog with key-only
 * deletes: the planner then adds its normalize step (state per primary key), which turns a record
 * of a key seen before into an update and a tombstone into the delete of the full earlier row, so
 * that aggregates and joins downstream are correct.
 *
 * <p>A Debezium table ({@code 'changelog' = 'debezium'}) reads change events ({@link
 * DebeziumChanges}): with a PRIMARY KEY it declares the same upsert changelog (the planner restores
 * before-images, which databases often do not log), without one the full changelog with
 * UPDATE_BEFORE.
 */
@Internal
public final class ConfluentDynamicSource
        implements ScanTableSource, SupportsReadingMetadata, SupportsWatermarkPushDown {

    private final ConnectionProfile profile;
    private final Configuration options;
    private final RowDecoder valueDecoder;
    @Nullable private final RowDataRecordDeserializer.KeyColumns key;
    private final DataType physicalType;
    private final boolean bounded;
    private final String groupId;
    private final String tableName;
    private final boolean upsert;
    @Nullable private final DebeziumChanges debezium;
    private List<String> metadata = List.of();
    private DataType producedType;
    private WatermarkStrategy<RowData> watermarkStrategy;

    public ConfluentDynamicSource(
            ConnectionProfile profile,
            Configuration options,
            RowDecoder valueDecoder,
            @Nullable RowDataRecordDeserializer.KeyColumns key,
            DataType physicalType,
            boolean bounded,
            String groupId,
            String tableName,
            boolean upsert,
            @Nullable DebeziumChanges debezium) {
        this.profile = profile;
        this.options = options;
        this.valueDecoder = valueDecoder;
        this.key = key;
        this.physicalType = physicalType;
        this.producedType = physicalType;
        this.bounded = bounded;
        this.groupId = groupId;
        this.tableName = tableName;
        this.upsert = upsert;
        this.debezium = debezium;
    }

    @Override
    public ChangelogMode getChangelogMode() {
        if (debezium != null) {
            return debezium.upsert() ? ChangelogMode.upsert() : ChangelogMode.all();
        }
        return upsert ? ChangelogMode.upsert() : ChangelogMode.insertOnly();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        TypeInformation<RowData> typeInfo = context.createTypeInformation(producedType);
        ConfluentSource<RowData> source =
                ConfluentSource.<RowData>builder()
                        .setConnectionProfile(profile)
                        .setAll(options)
                        .setGroupId(groupId)
                        .setBounded(bounded)
                        .setDeserializer(
                                debezium != null
                                        ? new DebeziumRecordDeserializer(
                                                valueDecoder, debezium, metadata, typeInfo)
                                        : new RowDataRecordDeserializer(
                                                valueDecoder,
                                                key,
                                                metadata.stream()
                                                        .map(ReadableMetadata::ofKey)
                                                        .toList(),
                                                typeInfo,
                                                upsert))
                        .build();
        WatermarkStrategy<RowData> watermarks =
                watermarkStrategy == null ? WatermarkStrategy.noWatermarks() : watermarkStrategy;
        return new DataStreamScanProvider() {
            @Override
            public DataStream<RowData> produceDataStream(
                    ProviderContext providerContext, StreamExecutionEnvironment env) {
                DataStreamSource<RowData> stream =
                        env.fromSource(source, watermarks, "Confluent[" + tableName + "]");
                providerContext.generateUid("confluent-source").ifPresent(stream::uid);
                return stream;
            }

            @Override
            public boolean isBounded() {
                return bounded;
            }

            /** {@code scan.parallelism}: the planner sets it and keeps keyed order downstream. */
            @Override
            public Optional<Integer> getParallelism() {
                return options.getOptional(FactoryUtil.SOURCE_PARALLELISM);
            }
        };
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        Map<String, DataType> columns = new LinkedHashMap<>();
        for (ReadableMetadata m : ReadableMetadata.values()) {
            columns.put(m.key(), m.dataType());
        }
        if (debezium != null) {
            for (DebeziumMetadata m : DebeziumMetadata.values()) {
                columns.put(m.key(), m.dataType());
            }
        }
        return columns;
    }

    @Override
    public void applyReadableMetadata(List<String> metadataKeys, DataType producedDataType) {
        this.metadata = new ArrayList<>(metadataKeys);
        this.producedType = producedDataType;
    }

    @Override
    public void applyWatermark(WatermarkStrategy<RowData> watermarkStrategy) {
        this.watermarkStrategy = watermarkStrategy;
    }

    @Override
    public DynamicTableSource copy() {
        ConfluentDynamicSource copy =
                new ConfluentDynamicSource(
                        profile,
                        options,
                        valueDecoder,
                        key,
                        physicalType,
                        bounded,
                        groupId,
                        tableName,
                        upsert,
                        debezium);
        copy.metadata = metadata;
        copy.producedType = producedType;
        copy.watermarkStrategy = watermarkStrategy;
        return copy;
    }

    @Override
    public String asSummaryString() {
        return "Confluent(" + profile.describe() + ")";
    }
}
