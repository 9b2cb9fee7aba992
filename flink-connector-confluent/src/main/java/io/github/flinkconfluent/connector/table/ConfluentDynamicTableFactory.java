package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.ConfluentConnectorOptions;
import io.github.flinkconfluent.connector.ConfluentConnectorOptions.Changelog;
import io.github.flinkconfluent.connector.ConfluentConnectorOptions.TableType;
import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.FormatOptions;
import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataDecoder;
import io.github.flinkconfluent.connector.format.factory.RowFormats;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRowDataDecoder;
import io.github.flinkconfluent.connector.options.CommitMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.source.SourceSettings;
import io.github.flinkconfluent.connector.source.enumerator.TopicSelection;
import io.github.flinkconfluent.connector.util.ConnectorClassLoader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code 'connector' = 'confluent'} table factory: the DDL of Arroyo's Confluent connector with
 * Flink's quoted option keys.
 *
 * <pre>{@code
 * CREATE TABLE orders (customer_id INT, order_id INT) WITH (
 *   'connector' = 'confluent', 'connection_profile' = 'my_cluster', 'format' = 'avro',
 *   'topic' = 'order_topic', 'type' = 'source',
 *   'source.offset' = 'latest', 'source.read_mode' = 'read_committed');
 * }</pre>
 *
 * <p>Unknown options are rejected with the list of valid ones; Flink-standard spellings are
 * accepted as aliases ({@link OptionAliases}); the connection comes from a named profile or from
 * the table's own connection options ({@link ConnectionProfiles}).
 */
@Internal
public class ConfluentDynamicTableFactory
        implements DynamicTableSourceFactory, DynamicTableSinkFactory {

    @Override
    public String factoryIdentifier() {
        return ConfluentConnectorOptions.IDENTIFIER;
    }

    /** The connection of every table, for tables of a catalog that holds it; else null. */
    @Nullable private final ConnectionProfile catalogConnection;

    public ConfluentDynamicTableFactory() {
        this(null);
    }

    /**
     * A factory for the tables of a catalog: they use {@code catalogConnection} (so no secret needs
     * to be in their options) and may be read and written ({@code type} is optional).
     */
    public ConfluentDynamicTableFactory(@Nullable ConnectionProfile catalogConnection) {
        this.catalogConnection = catalogConnection;
    }

    /**
     * None: a source needs {@code topic} or {@code topic-pattern}, a sink {@code topic} or a {@code
     * topic} metadata column, checked with a message that says so. Without {@code type} a table may
     * be read and written, as tables of Flink's Kafka connector can.
     */
    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>();
        options.add(ConfluentConnectorOptions.TOPIC);
        options.add(ConfluentConnectorOptions.TOPIC_PATTERN);
        options.add(ConfluentConnectorOptions.TYPE);
        options.add(ConfluentConnectorOptions.FORMAT);
        options.add(ConfluentConnectorOptions.CHANGELOG);
        options.add(ConfluentConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS);
        options.add(ConfluentConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL);
        options.add(ConfluentConnectorOptions.CONNECTION_PROFILE);
        options.add(ConfluentConnectorOptions.SCHEMA_REGISTRY);
        options.add(ConfluentConnectorOptions.VALUE_SUBJECT);
        options.add(ConfluentConnectorOptions.JSON_VALIDATE);
        options.add(ConfluentConnectorOptions.PROTOBUF_MESSAGE);
        options.add(ConfluentConnectorOptions.AVRO_MAX_ZERO_BYTE_ITEMS_PER_RECORD);
        options.add(ConfluentConnectorOptions.JSON_VALIDATE_MAX_STEPS_PER_RECORD);
        options.add(ConfluentConnectorOptions.BAD_DATA);
        options.add(ConfluentConnectorOptions.BAD_DATA_TOPIC);
        options.add(ConfluentConnectorOptions.SOURCE_OFFSET);
        options.add(ConfluentConnectorOptions.SOURCE_OFFSET_TIMESTAMP);
        options.add(ConfluentConnectorOptions.SOURCE_OFFSET_SPECIFIC);
        options.add(ConfluentConnectorOptions.SOURCE_OFFSET_FALLBACK);
        options.add(ConfluentConnectorOptions.SOURCE_OFFSET_OUT_OF_RANGE);
        options.add(ConfluentConnectorOptions.SOURCE_READ_MODE);
        options.add(ConfluentConnectorOptions.SOURCE_GROUP_ID);
        options.add(ConfluentConnectorOptions.SOURCE_GROUP_ID_PREFIX);
        options.add(ConfluentConnectorOptions.SOURCE_COMMIT_OFFSETS);
        options.add(ConfluentConnectorOptions.SOURCE_BOUNDED);
        options.add(ConfluentConnectorOptions.SOURCE_BOUNDED_TIMESTAMP);
        options.add(ConfluentConnectorOptions.SOURCE_BOUNDED_SPECIFIC);
        options.add(ConfluentConnectorOptions.SOURCE_PARTITION_DISCOVERY_INTERVAL);
        options.add(ConfluentConnectorOptions.SINK_COMMIT_MODE);
        options.add(ConfluentConnectorOptions.SINK_TRANSACTIONAL_ID_PREFIX);
        options.add(ConfluentConnectorOptions.SINK_TRANSACTION_TIMEOUT);
        options.add(ConfluentConnectorOptions.SINK_ON_LOST_TRANSACTION);
        options.add(ConfluentConnectorOptions.SINK_KEY_FIELD);
        options.add(ConfluentConnectorOptions.KEY_FIELDS);
        options.add(ConfluentConnectorOptions.KEY_FORMAT);
        options.add(ConfluentConnectorOptions.KEY_SUBJECT);
        options.add(ConfluentConnectorOptions.KEY_PROTOBUF_MESSAGE);
        options.add(ConfluentConnectorOptions.KEY_FIELDS_PREFIX);
        options.add(ConfluentConnectorOptions.VALUE_FIELDS_INCLUDE);
        options.add(ConfluentConnectorOptions.SINK_TIMESTAMP_FIELD);
        options.add(ConfluentConnectorOptions.SINK_PARTITIONER);
        options.addAll(OptionAliases.aliasOptions());
        options.add(FactoryUtil.SOURCE_PARALLELISM);
        options.add(FactoryUtil.SINK_PARALLELISM);
        options.add(FlinkFormatOptions.JSON_IGNORE_PARSE_ERRORS);
        options.add(FlinkFormatOptions.JSON_FAIL_ON_MISSING_FIELD);
        for (String key : ConnectionProfiles.inlineOptionKeys()) {
            options.add(
                    ConfigOptions.key(key)
                            .stringType()
                            .noDefaultValue()
                            .withDescription("Inline connection setting, see docs/profiles.md."));
        }
        return options;
    }

    /**
     * What both directions read from a table's options, validated.
     *
     * @param topics the topics named by {@code topic} ({@code ;}-separated), maybe none
     */
    private record TableSettings(
            Configuration options,
            String table,
            DataFormat format,
            ConnectionProfile profile,
            List<String> topics,
            RowType rowType,
            Changelog changelog,
            List<String> primaryKey) {}

    /**
     * Validates the options (rejecting unknown ones), translates aliases, refuses a table of the
     * other direction, and resolves the format and the connection.
     */
    private TableSettings settings(Context context, TableType direction) {
        String table = context.getObjectIdentifier().asSummaryString();
        Map<String, String> translated =
                FlinkFormatOptions.translate(
                        context.getCatalogTable().getOptions(),
                        (RowType) context.getPhysicalRowDataType().getLogicalType(),
                        table);
        validate(translated);
        for (ConfigOption<Integer> parallelism :
                List.of(FactoryUtil.SOURCE_PARALLELISM, FactoryUtil.SINK_PARALLELISM)) {
            Integer p = Configuration.fromMap(translated).get(parallelism);
            if (p != null && p < 1) {
                throw new ValidationException(
                        "Table "
                                + table
                                + ": '"
                                + parallelism.key()
                                + "' must be at least 1, not "
                                + p
                                + "; remove it to use the job's default parallelism.");
            }
        }
        Map<String, String> canonical = OptionAliases.canonicalize(translated);
        Configuration options = Configuration.fromMap(canonical);
        boolean directionFree = options.getOptional(ConfluentConnectorOptions.TYPE).isEmpty();
        if (!directionFree && options.get(ConfluentConnectorOptions.TYPE) != direction) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " is declared with 'type' = '"
                            + options.get(ConfluentConnectorOptions.TYPE)
                            + "' and cannot be "
                            + (direction == TableType.SOURCE ? "read" : "written")
                            + ". Use a table declared with 'type' = '"
                            + direction
                            + "' (a table declared with 'type' is one direction only).");
        }
        ConnectionProfile profile =
                catalogConnection != null
                        ? catalogConnection
                        : ConnectionProfiles.resolveForSql(
                                options.getOptional(ConfluentConnectorOptions.CONNECTION_PROFILE)
                                        .orElse(null),
                                context.getConfiguration(),
                                canonical);
        return new TableSettings(
                options,
                table,
                format(options, table),
                profile,
                SourceSettings.topicList(
                        options.getOptional(ConfluentConnectorOptions.TOPIC).orElse("")),
                (RowType) context.getPhysicalRowDataType().getLogicalType(),
                options.get(ConfluentConnectorOptions.CHANGELOG),
                context.getCatalogTable()
                        .getResolvedSchema()
                        .getPrimaryKey()
                        .map(UniqueConstraint::getColumns)
                        .orElse(List.of()));
    }

    /**
     * Rejects unknown options (with the list of valid ones) and invalid values, like Flink's
     * factory helper, but on the options after {@link FlinkFormatOptions} has translated Flink's
     * format names (which the helper would reject as values of {@code format}).
     */
    private void validate(Map<String, String> translated) {
        Set<String> consumed = new HashSet<>();
        consumed.add(FactoryUtil.CONNECTOR.key());
        consumed.add(FactoryUtil.PROPERTY_VERSION.key());
        for (ConfigOption<?> option : requiredOptions()) {
            consumed.add(option.key());
        }
        for (ConfigOption<?> option : optionalOptions()) {
            consumed.add(option.key());
        }
        for (ConfigOption<?> option :
                List.of(
                        FactoryUtil.WATERMARK_EMIT_STRATEGY,
                        FactoryUtil.WATERMARK_ALIGNMENT_GROUP,
                        FactoryUtil.WATERMARK_ALIGNMENT_MAX_DRIFT,
                        FactoryUtil.WATERMARK_ALIGNMENT_UPDATE_INTERVAL,
                        FactoryUtil.SOURCE_IDLE_TIMEOUT)) {
            consumed.add(option.key()); // Flink's generic watermark options, as the helper has
        }
        Set<String> keys = new HashSet<>();
        for (String key : translated.keySet()) {
            if (!key.startsWith(ConnectionProfiles.PROPERTIES_PREFIX)) {
                keys.add(key);
            }
        }
        FactoryUtil.validateUnconsumedKeys(factoryIdentifier(), keys, consumed);
        FactoryUtil.validateFactoryOptions(
                requiredOptions(), optionalOptions(), Configuration.fromMap(translated));
        FactoryUtil.validateWatermarkOptions(
                factoryIdentifier(), Configuration.fromMap(translated));
    }

    /**
     * Planning runs in the SQL client, the SQL Gateway or a job's main method, whose context class
     * loader may not see this connector (a jar added by {@code --jar} or {@code ADD JAR}); the
     * registry and Kafka clients used by the checks below need one that does.
     */
    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        return ConnectorClassLoader.call(() -> createSource(context));
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        return ConnectorClassLoader.call(() -> createSink(context));
    }

    private DynamicTableSource createSource(Context context) {
        TableSettings settings = settings(context, TableType.SOURCE);
        Configuration options = settings.options();
        String table = settings.table();
        DataFormat format = settings.format();
        ConnectionProfile profile = settings.profile();
        RowType rowType = settings.rowType();
        boolean debezium = settings.changelog() == Changelog.DEBEZIUM;
        if (debezium) {
            DebeziumTableRules.checkSource(options, format, table);
        }
        TopicSelection topics = SourceSettings.topics(options);
        ColumnSplit split = split(settings);
        // A Debezium value is a change event whose before/after images hold the columns.
        RowType valueType = debezium ? DebeziumChanges.envelopeType(rowType) : split.valueType();
        // The columns are the reader schema of every topic; each record is decoded with its
        // writer's schema (by id). The subjects of listed topics are checked now; topics found by
        // a pattern are not known yet, and a record the columns cannot read is bad data.
        RowDecoder decoder = null;
        for (String topic : topics.topics()) {
            FormatOptions valueFormat =
                    valueFormatOptions(
                            format, options, profile, valueSubject(options, topic), table);
            if (decoder == null) {
                decoder = RowFormats.decoder(format, valueType, valueFormat);
            }
            // Renames (aliases) of the subject's schema are followed for one topic only: another
            // topic's schema may give the same alias another meaning.
            decoder =
                    withLatest(
                            decoder, format, valueType, valueFormat, table, topics.isSingleTopic());
        }
        if (decoder == null) {
            decoder =
                    RowFormats.decoder(
                            format,
                            valueType,
                            valueFormatOptions(
                                    format, options, profile, valueSubject(options, ""), table));
        }
        RowDataRecordDeserializer.KeyColumns key = null;
        if (split.hasKey()) {
            RowDecoder keyDecoder =
                    RowFormats.decoder(split.keyFormat(), split.keyType(), split.keyOptions());
            for (String topic : topics.topics()) {
                FormatOptions keyOptions = split.keyOptionsFor(topic);
                keyDecoder =
                        withLatest(
                                keyDecoder,
                                split.keyFormat(),
                                split.keyType(),
                                keyOptions,
                                table,
                                topics.isSingleTopic());
            }
            key =
                    new RowDataRecordDeserializer.KeyColumns(
                            keyDecoder, split.keyPositions(), split.valuePositions(), rowType);
        }
        SourceSettings.startingOffsets(options); // fail at planning time, not in the job
        SourceSettings.deadLetterTopic(options);
        boolean batch =
                context.getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                        == RuntimeExecutionMode.BATCH;
        if (batch) {
            UpsertTableRules.checkBatchRead(settings.changelog(), table);
        }
        String groupId =
                SourceSettings.groupId(options, context.getObjectIdentifier().asSummaryString());
        return new ConfluentDynamicSource(
                profile,
                options,
                decoder,
                key,
                context.getPhysicalRowDataType(),
                SourceSettings.bounded(options, batch),
                groupId,
                table,
                settings.changelog() == Changelog.UPSERT,
                debezium ? new DebeziumChanges(rowType, !settings.primaryKey().isEmpty()) : null);
    }

    /**
     * Checks the columns against the subject's latest schema and gives the decoder that schema
     * (Avro: to follow renames; Protobuf: to read by its field numbers).
     */
    private static RowDecoder withLatest(
            RowDecoder decoder,
            DataFormat format,
            RowType rowType,
            FormatOptions options,
            String table,
            boolean followLatest) {
        if (format == DataFormat.PROTOBUF) {
            Optional<SchemaDefinition> latest =
                    RegistryColumnsCheck.checkProtobufSource(rowType, options, table);
            return followLatest
                            && latest.isPresent()
                            && decoder instanceof ProtobufRowDataDecoder protobuf
                    ? protobuf.withLatestSchema(latest.get())
                    : decoder;
        }
        Optional<String> latest = RegistryColumnsCheck.checkSource(format, rowType, options, table);
        return followLatest && latest.isPresent() && decoder instanceof AvroRowDataDecoder avro
                ? avro.withLatestSchema(latest.get())
                : decoder;
    }

    private DynamicTableSink createSink(Context context) {
        TableSettings settings = settings(context, TableType.SINK);
        Configuration options = settings.options();
        String table = settings.table();
        if (settings.changelog() == Changelog.DEBEZIUM) {
            DebeziumTableRules.refuseSink(table);
        }
        DataFormat format = settings.format();
        ConnectionProfile profile = settings.profile();
        List<String> listed = settings.topics();
        RowType rowType = settings.rowType();
        checkCheckpointing(context, options, table);
        UpsertTableRules.checkBufferOptions(options, settings.changelog(), table);
        Optional<String> pattern = options.getOptional(ConfluentConnectorOptions.TOPIC_PATTERN);
        if (pattern.isPresent() && !listed.isEmpty()) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " sets both 'topic' and 'topic-pattern'; set only one of them.");
        }
        // One topic: the default of rows whose topic column is NULL (or that have none). A list
        // or pattern only says which topics the rows' topic column may name.
        String defaultTopic = listed.size() == 1 && pattern.isEmpty() ? listed.get(0) : null;
        TopicSelection allowed =
                pattern.isPresent()
                        ? SourceSettings.topics(options)
                        : listed.size() > 1 ? TopicSelection.of(listed) : null;
        // The writer's topic: where an exactly_once sink keeps its commit proofs.
        String writerTopic = listed.isEmpty() ? null : listed.get(0);
        if (writerTopic == null
                && options.get(ConfluentConnectorOptions.SINK_COMMIT_MODE)
                        == CommitMode.EXACTLY_ONCE) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " writes with 'sink.commit_mode' = 'exactly_once' and has no 'topic'."
                            + " An exactly_once sink keeps the proof of each commit with the first"
                            + " topic of 'topic': list the topics its rows may name in 'topic'"
                            + " (separated by ';'), or set one default topic.");
        }

        ColumnSplit split = split(settings);
        RowEncoder keyEncoder = null;
        TopicEncoders keyEncoders = split.keyEncoders();
        List<String> checked = defaultTopic != null ? List.of(defaultTopic) : listed;
        if (split.hasKey()) {
            keyEncoder = RowFormats.encoder(split.keyFormat(), split.keyType(), split.keyOptions());
            for (String topic : checked) {
                RegistryColumnsCheck.checkSink(
                        keyEncoders.plannedFor(topic), split.keyOptionsFor(topic), table);
            }
        }
        boolean explicitValueSubject =
                options.getOptional(ConfluentConnectorOptions.VALUE_SUBJECT).isPresent();
        FormatOptions valueOptions =
                valueFormatOptions(
                        format,
                        options,
                        profile,
                        valueSubject(options, writerTopic == null ? "" : writerTopic),
                        table);
        RowEncoder valueEncoder = RowFormats.encoder(format, split.valueType(), valueOptions);
        TopicEncoders valueEncoders =
                new TopicEncoders(
                        format,
                        split.valueType(),
                        valueOptions,
                        explicitValueSubject || !valueOptions.registryFraming() ? null : "-value");
        for (String topic : checked) {
            RegistryColumnsCheck.checkSink(
                    valueEncoders.plannedFor(topic), valueEncoders.optionsFor(topic), table);
        }
        Configuration sinkOptions = new Configuration(options);
        sinkOptions.removeConfig(ConfluentConnectorOptions.TOPIC);
        sinkOptions.removeConfig(ConfluentConnectorOptions.TOPIC_PATTERN);
        if (writerTopic != null) {
            sinkOptions.set(ConfluentConnectorOptions.TOPIC, writerTopic);
        }
        int[] keyColumns = split.keyPositions();
        return new ConfluentDynamicSink(
                profile,
                sinkOptions,
                valueEncoder,
                keyEncoder,
                keyColumns,
                split.valuePositions().length == rowType.getFieldCount()
                        ? null
                        : split.valuePositions(),
                rowType,
                options.getOptional(ConfluentConnectorOptions.SINK_TIMESTAMP_FIELD).orElse(null),
                table,
                settings.changelog() == Changelog.UPSERT,
                new ConfluentDynamicSink.Topics(defaultTopic, allowed, valueEncoders, keyEncoders));
    }

    /**
     * Which physical columns the key holds ({@code key.fields} or {@code sink.key_field}, named in
     * the key's schema without {@code key.fields-prefix}) and which the value holds (all, or all
     * but the key ones with {@code value.fields-include} = EXCEPT_KEY).
     */
    private record ColumnSplit(
            int[] keyPositions,
            RowType keyType,
            DataFormat keyFormat,
            FormatOptions keyOptions,
            int[] valuePositions,
            RowType valueType,
            @Nullable String explicitKeySubject) {
        boolean hasKey() {
            return keyPositions.length > 0;
        }

        /** The key's options for {@code topic}: its subject is {@code <topic>-key} unless set. */
        FormatOptions keyOptionsFor(String topic) {
            return withSubject(
                    keyOptions, explicitKeySubject != null ? explicitKeySubject : topic + "-key");
        }

        /** The key's encoders per topic, or null without key columns. */
        @Nullable
        TopicEncoders keyEncoders() {
            return hasKey()
                    ? new TopicEncoders(
                            keyFormat,
                            keyType,
                            keyOptions,
                            explicitKeySubject != null || !keyOptions.registryFraming()
                                    ? null
                                    : "-key")
                    : null;
        }
    }

    private static FormatOptions withSubject(FormatOptions options, String subject) {
        return options.withSubject(subject);
    }

    private static ColumnSplit split(TableSettings settings) {
        Configuration options = settings.options();
        RowType rowType = settings.rowType();
        ConnectionProfile profile = settings.profile();
        String topic = settings.topics().isEmpty() ? "" : settings.topics().get(0);
        String table = settings.table();
        List<String> keyFields =
                UpsertTableRules.keyColumns(
                        settings.changelog(),
                        keyFields(options, rowType, table),
                        settings.primaryKey(),
                        table);
        int[] keyPositions = keyFields.stream().mapToInt(rowType::getFieldIndex).toArray();
        String prefix = options.get(ConfluentConnectorOptions.KEY_FIELDS_PREFIX);
        List<String> keyNames = new ArrayList<>();
        for (String field : keyFields) {
            if (!field.startsWith(prefix)) {
                throw new ValidationException(
                        "Key column '"
                                + field
                                + "' of table "
                                + table
                                + " does not start with 'key.fields-prefix' = '"
                                + prefix
                                + "'");
            }
            keyNames.add(field.substring(prefix.length()));
        }
        RowType keyType =
                RowType.of(
                        keyFields.stream()
                                .map(f -> rowType.getTypeAt(rowType.getFieldIndex(f)))
                                .toArray(LogicalType[]::new),
                        keyNames.toArray(new String[0]));
        boolean exceptKey =
                options.get(ConfluentConnectorOptions.VALUE_FIELDS_INCLUDE)
                        == ConfluentConnectorOptions.ValueFieldsInclude.EXCEPT_KEY;
        List<Integer> valuePositions = new ArrayList<>();
        for (int i = 0; i < rowType.getFieldCount(); i++) {
            int position = i;
            if (!exceptKey || java.util.Arrays.stream(keyPositions).noneMatch(k -> k == position)) {
                valuePositions.add(i);
            }
        }
        RowType valueType =
                RowType.of(
                        valuePositions.stream().map(rowType::getTypeAt).toArray(LogicalType[]::new),
                        valuePositions.stream()
                                .map(p -> rowType.getFieldNames().get(p))
                                .toArray(String[]::new));
        DataFormat keyFormat =
                options.getOptional(ConfluentConnectorOptions.KEY_FORMAT)
                        .orElse(defaultKeyFormat(keyType));
        String explicitKeySubject =
                options.getOptional(ConfluentConnectorOptions.KEY_SUBJECT).orElse(null);
        String keySubject = explicitKeySubject != null ? explicitKeySubject : topic + "-key";
        FormatOptions keyOptions =
                keyPositions.length == 0
                        ? null
                        : formatOptions(keyFormat, options, profile, keySubject, table)
                                .withProtobufMessage(
                                        protobufMessage(
                                                keyFormat,
                                                options,
                                                ConfluentConnectorOptions.KEY_PROTOBUF_MESSAGE,
                                                table));
        return new ColumnSplit(
                keyPositions,
                keyType,
                keyFormat,
                keyOptions,
                valuePositions.stream().mapToInt(Integer::intValue).toArray(),
                valueType,
                explicitKeySubject);
    }

    private static List<String> keyFields(Configuration options, RowType rowType, String table) {
        List<String> fields = new ArrayList<>();
        options.getOptional(ConfluentConnectorOptions.SINK_KEY_FIELD).ifPresent(fields::add);
        options.getOptional(ConfluentConnectorOptions.KEY_FIELDS)
                .ifPresent(
                        v -> {
                            if (!fields.isEmpty()) {
                                throw new ValidationException(
                                        "Table "
                                                + table
                                                + " sets both 'sink.key_field' and 'key.fields';"
                                                + " set only one");
                            }
                            for (String f : v.split(";")) {
                                if (!f.isBlank()) {
                                    fields.add(f.trim());
                                }
                            }
                        });
        for (String field : fields) {
            if (rowType.getFieldIndex(field) < 0) {
                throw new ValidationException(
                        "Key column '"
                                + field
                                + "' of table "
                                + table
                                + " is not one of its physical columns "
                                + rowType.getFieldNames());
            }
        }
        return fields;
    }

    private static DataFormat defaultKeyFormat(RowType keyType) {
        if (keyType.getFieldCount() == 1
                && keyType.getTypeAt(0).is(LogicalTypeFamily.CHARACTER_STRING)) {
            return DataFormat.RAW_STRING;
        }
        if (keyType.getFieldCount() == 1
                && keyType.getTypeAt(0).is(LogicalTypeFamily.BINARY_STRING)) {
            return DataFormat.RAW_BYTES;
        }
        return DataFormat.JSON;
    }

    /**
     * An exactly_once sink commits only when checkpoints complete: in streaming mode without
     * checkpointing its data would never become visible, and a checkpoint interval longer than the
     * transaction timeout lets the broker abort every transaction.
     */
    private static void checkCheckpointing(Context context, Configuration options, String table) {
        if (options.get(ConfluentConnectorOptions.SINK_COMMIT_MODE) != CommitMode.EXACTLY_ONCE
                || context.getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                        == RuntimeExecutionMode.BATCH) {
            return;
        }
        Duration interval =
                context.getConfiguration()
                        .getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                        .orElse(null);
        if (interval == null || interval.isZero()) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " writes with 'sink.commit_mode' = 'exactly_once', which commits"
                            + " when checkpoints complete, but checkpointing is off. Enable it,"
                            + " e.g. SET 'execution.checkpointing.interval' = '10 s'.");
        }
        Duration timeout = options.get(ConfluentConnectorOptions.SINK_TRANSACTION_TIMEOUT);
        if (interval.compareTo(timeout) >= 0) {
            throw new ValidationException(
                    "Table "
                            + table
                            + ": the checkpoint interval ("
                            + interval
                            + ") must be well below 'sink.transaction.timeout' ("
                            + timeout
                            + "), or the broker aborts transactions before they are committed.");
        }
    }

    private static DataFormat format(Configuration options, String table) {
        return options.getOptional(ConfluentConnectorOptions.FORMAT)
                .orElseThrow(
                        () ->
                                new ValidationException(
                                        "Table "
                                                + table
                                                + " needs a 'format': avro, json, protobuf,"
                                                + " raw_string or"
                                                + " raw_bytes"));
    }

    private static String valueSubject(Configuration options, String topic) {
        return options.getOptional(ConfluentConnectorOptions.VALUE_SUBJECT)
                .orElse(topic + "-value");
    }

    /** The format's view of the table: registry, framing and subject. */
    static FormatOptions formatOptions(
            DataFormat format,
            Configuration options,
            ConnectionProfile profile,
            String subject,
            String table) {
        RegistryClientFactory registry =
                profile.schemaRegistry().map(RegistryClientFactory::of).orElse(null);
        boolean structured =
                format == DataFormat.AVRO
                        || format == DataFormat.JSON
                        || format == DataFormat.PROTOBUF;
        boolean framing =
                structured
                        && options.getOptional(ConfluentConnectorOptions.SCHEMA_REGISTRY)
                                .orElse(registry != null);
        if (framing && registry == null) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " sets 'schema_registry' = 'true' but its connection ("
                            + profile.describe()
                            + ") has no schema-registry.endpoint. Add the registry to the"
                            + " connection profile, or set 'schema_registry' = 'false' for plain "
                            + format
                            + ".");
        }
        return FormatOptions.builder()
                .registry(framing ? registry : null)
                .registryFraming(framing)
                .subject(subject)
                .validateJson(options.get(ConfluentConnectorOptions.JSON_VALIDATE))
                .avroMaxZeroByteItemsPerRecord(
                        limit(
                                options,
                                ConfluentConnectorOptions.AVRO_MAX_ZERO_BYTE_ITEMS_PER_RECORD,
                                0,
                                table))
                .jsonValidateMaxStepsPerRecord(
                        limit(
                                options,
                                ConfluentConnectorOptions.JSON_VALIDATE_MAX_STEPS_PER_RECORD,
                                1,
                                table))
                .build();
    }

    /** {@link #formatOptions} of the values: with the message {@code protobuf.message} names. */
    static FormatOptions valueFormatOptions(
            DataFormat format,
            Configuration options,
            ConnectionProfile profile,
            String subject,
            String table) {
        return formatOptions(format, options, profile, subject, table)
                .withProtobufMessage(
                        protobufMessage(
                                format,
                                options,
                                ConfluentConnectorOptions.PROTOBUF_MESSAGE,
                                table));
    }

    /** The message a protobuf table names with {@code option}; refused on other formats. */
    @Nullable
    private static String protobufMessage(
            DataFormat format, Configuration options, ConfigOption<String> option, String table) {
        Optional<String> message = options.getOptional(option).map(String::trim);
        if (message.isPresent() && format != DataFormat.PROTOBUF) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " sets '"
                            + option.key()
                            + "', which only a protobuf format reads; its format is "
                            + format.name().toLowerCase(java.util.Locale.ROOT)
                            + ". Remove the option.");
        }
        return message.map(m -> m.startsWith(".") ? m.substring(1) : m).orElse(null);
    }

    private static int limit(
            Configuration options, ConfigOption<Integer> option, int min, String table) {
        try {
            return RecordLimits.requireAtLeast(option.key(), options.get(option), min);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Table " + table + ": " + e.getMessage());
        }
    }
}
