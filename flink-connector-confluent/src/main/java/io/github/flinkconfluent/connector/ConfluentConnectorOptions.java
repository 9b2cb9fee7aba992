package io.github.flinkconfluent.connector;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.options.BadDataPolicy;
import io.github.flinkconfluent.connector.options.BoundedMode;
import io.github.flinkconfluent.connector.options.CommitMode;
import io.github.flinkconfluent.connector.options.LostTransactionPolicy;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.options.OffsetOutOfRangePolicy;
import io.github.flinkconfluent.connector.options.ReadMode;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import java.time.Duration;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * Every option of a {@code 'confluent'} table, with the names of Arroyo's Confluent connector. The
 * DataStream builders write the same options, so SQL and DataStream share one parsing path.
 * Flink-standard spellings are accepted as aliases (see {@code OptionAliases}).
 */
@PublicEvolving
public final class ConfluentConnectorOptions {

    private ConfluentConnectorOptions() {}

    public static final String IDENTIFIER = "confluent";

    public static final ConfigOption<String> CONNECTION_PROFILE =
            ConfigOptions.key("connection_profile")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Name of the connection profile (confluent.profiles.<name>.* in the"
                                    + " Flink configuration or SQL SET, or the profiles file)."
                                    + " Without it, the connection options are read from the"
                                    + " table's own options.");

    public static final ConfigOption<String> TOPIC =
            ConfigOptions.key("topic")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The Kafka topic to read from or write to. A source may read several"
                                    + " topics, separated by ';' (e.g. 'orders;returns'). A sink"
                                    + " writes rows whose 'topic' metadata column is NULL (or"
                                    + " that has none) here.");

    public static final ConfigOption<String> TOPIC_PATTERN =
            ConfigOptions.key("topic-pattern")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Sources only, instead of 'topic': a Java regular expression; every"
                                    + " topic whose whole name matches is read, also topics"
                                    + " created while the job runs (found by partition"
                                    + " discovery).");

    public static final ConfigOption<TableType> TYPE =
            ConfigOptions.key("type")
                    .enumType(TableType.class)
                    .noDefaultValue()
                    .withDescription("Whether the table is a source or a sink.");

    public static final ConfigOption<DataFormat> FORMAT =
            ConfigOptions.key("format")
                    .enumType(DataFormat.class)
                    .noDefaultValue()
                    .withDescription("How record values are encoded.");

    public static final ConfigOption<Boolean> SCHEMA_REGISTRY =
            ConfigOptions.key("schema_registry")
                    .booleanType()
                    .noDefaultValue()
                    .withDescription(
                            "Use the Confluent Schema Registry framing (magic byte and schema id)"
                                    + " for avro and json. Default: true when the connection"
                                    + " profile has a schema-registry.endpoint.");

    public static final ConfigOption<String> VALUE_SUBJECT =
            ConfigOptions.key("value.subject")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Registry subject of the values. Default: <topic>-value.");

    public static final ConfigOption<String> PROTOBUF_MESSAGE =
            ConfigOptions.key("protobuf.message")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Full name of the Protobuf message of the values (e.g. shop.Order, or"
                                    + " shop.Outer.Inner for a nested one), for a schema with"
                                    + " several messages: the columns are checked against it, a"
                                    + " source treats records of other messages as bad data, a"
                                    + " sink writes it. Default: the schema's first message.");

    public static final ConfigOption<Boolean> JSON_VALIDATE =
            ConfigOptions.key("json.validate")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Check JSON values against their registered JSON Schema.");

    public static final ConfigOption<Integer> AVRO_MAX_ZERO_BYTE_ITEMS_PER_RECORD =
            ConfigOptions.key(RecordLimits.AVRO_ZERO_BYTE_ITEMS_OPTION)
                    .intType()
                    .defaultValue(RecordLimits.DEFAULT_AVRO_ZERO_BYTE_ITEMS)
                    .withDescription(
                            "Array items and map entries one Avro record (key or value) may hold"
                                    + " beyond one per byte of the record, in total across all"
                                    + " its arrays and maps, read or skipped: the allowance for"
                                    + " items that take no bytes (null, empty records,"
                                    + " fixed(0)). A record with more is bad data (handled by"
                                    + " bad_data), so that a small record claiming a billion such"
                                    + " items costs bounded time and memory.");

    public static final ConfigOption<Integer> JSON_VALIDATE_MAX_STEPS_PER_RECORD =
            ConfigOptions.key(RecordLimits.JSON_VALIDATE_MAX_STEPS_OPTION)
                    .intType()
                    .defaultValue(RecordLimits.DEFAULT_JSON_VALIDATE_MAX_STEPS)
                    .withDescription(
                            "With json.validate: steps allowed to validate one record against its"
                                    + " JSON Schema (a step is one schema checked against one"
                                    + " value). A record that needs more is bad data (handled by"
                                    + " bad_data), so that a schema whose nested anyOf/oneOf"
                                    + " branches multiply costs bounded time.");

    public static final ConfigOption<BadDataPolicy> BAD_DATA =
            ConfigOptions.key("bad_data")
                    .enumType(BadDataPolicy.class)
                    .defaultValue(BadDataPolicy.FAIL)
                    .withDescription("What to do with a record that cannot be decoded.");

    public static final ConfigOption<String> BAD_DATA_TOPIC =
            ConfigOptions.key("bad_data.topic")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "With 'bad_data' = 'dlq': the existing topic, on the source's"
                                    + " connection, that receives each undecodable record with"
                                    + " provenance headers. Required with 'dlq', refused"
                                    + " otherwise.");

    public static final ConfigOption<Changelog> CHANGELOG =
            ConfigOptions.key("changelog")
                    .enumType(Changelog.class)
                    .defaultValue(Changelog.APPEND)
                    .withDescription(
                            "How the topic's records map to table changes: append (every record"
                                    + " is a new row; the sink takes inserts only) or upsert (the"
                                    + " PRIMARY KEY columns are the record key, a record is the"
                                    + " latest row of its key, a tombstone deletes it) or debezium"
                                    + " (sources: each value is a Debezium change event whose"
                                    + " before/after images are the rows, see docs/changelog.md).");

    // ------------------------------------------------------------------------------- source

    public static final ConfigOption<OffsetMode> SOURCE_OFFSET =
            ConfigOptions.key("source.offset")
                    .enumType(OffsetMode.class)
                    .defaultValue(OffsetMode.LATEST)
                    .withDescription("Where to start when the job starts without a checkpoint.");

    public static final ConfigOption<Long> SOURCE_OFFSET_TIMESTAMP =
            ConfigOptions.key("source.offset.timestamp")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "With source.offset = timestamp: epoch milliseconds; each partition"
                                    + " starts at its first record at or after it.");

    public static final ConfigOption<String> SOURCE_OFFSET_SPECIFIC =
            ConfigOptions.key("source.offset.specific")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "With source.offset = specific_offsets: "
                                    + "'partition:0,offset:42;partition:1,offset:300'. Other"
                                    + " partitions use source.offset.fallback.");

    public static final ConfigOption<OffsetMode> SOURCE_OFFSET_FALLBACK =
            ConfigOptions.key("source.offset.fallback")
                    .enumType(OffsetMode.class)
                    .defaultValue(OffsetMode.EARLIEST)
                    .withDescription(
                            "With group or specific_offsets: where partitions without an offset"
                                    + " start (earliest or latest).");

    public static final ConfigOption<OffsetOutOfRangePolicy> SOURCE_OFFSET_OUT_OF_RANGE =
            ConfigOptions.key("source.offset_out_of_range")
                    .enumType(OffsetOutOfRangePolicy.class)
                    .defaultValue(OffsetOutOfRangePolicy.FAIL)
                    .withDescription(
                            "What to do when the next offset to read is no longer in the"
                                    + " partition (deleted by retention or kafka-delete-records"
                                    + " before it was read: a restored checkpoint, a group or"
                                    + " specific start offset, or a reader that fell behind).");

    public static final ConfigOption<ReadMode> SOURCE_READ_MODE =
            ConfigOptions.key("source.read_mode")
                    .enumType(ReadMode.class)
                    .defaultValue(ReadMode.READ_UNCOMMITTED)
                    .withDescription("Whether to read records of aborted transactions.");

    public static final ConfigOption<String> SOURCE_GROUP_ID =
            ConfigOptions.key("source.group_id")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Consumer group to commit offsets to (monitoring only; positions live"
                                    + " in Flink checkpoints). Default: <prefix>-<table> in SQL,"
                                    + " <prefix>-<topic or pattern> in DataStream (characters"
                                    + " outside A-Za-z0-9._- become _).");

    public static final ConfigOption<String> SOURCE_GROUP_ID_PREFIX =
            ConfigOptions.key("source.group_id_prefix")
                    .stringType()
                    .defaultValue("flink-confluent")
                    .withDescription("Prefix of the derived consumer group id.");

    public static final ConfigOption<Boolean> SOURCE_COMMIT_OFFSETS =
            ConfigOptions.key("source.commit_offsets")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Commit the offsets of each completed checkpoint to the consumer"
                                    + " group, for lag monitoring.");

    public static final ConfigOption<BoundedMode> SOURCE_BOUNDED =
            ConfigOptions.key("source.bounded")
                    .enumType(BoundedMode.class)
                    .noDefaultValue()
                    .withDescription(
                            "Where each partition stops, so that the query finishes: latest"
                                    + " (the end offsets seen at start; the default in batch"
                                    + " execution mode), group (the consumer group's committed"
                                    + " offsets), timestamp (before the first record at or after"
                                    + " source.bounded.timestamp), specific_offsets (before the"
                                    + " offsets in source.bounded.specific); unbounded: read"
                                    + " forever (the default in streaming mode).");

    public static final ConfigOption<Long> SOURCE_BOUNDED_TIMESTAMP =
            ConfigOptions.key("source.bounded.timestamp")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "With source.bounded = timestamp: epoch milliseconds; each partition"
                                    + " stops before its first record at or after it (at its end"
                                    + " when it has none).");

    public static final ConfigOption<String> SOURCE_BOUNDED_SPECIFIC =
            ConfigOptions.key("source.bounded.specific")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "With source.bounded = specific_offsets: "
                                    + "'partition:0,offset:42;partition:1,offset:300', the offset"
                                    + " of each partition to stop before (exclusive). Partitions"
                                    + " not listed are not read. One topic only.");

    public static final ConfigOption<Duration> SOURCE_PARTITION_DISCOVERY_INTERVAL =
            ConfigOptions.key("source.partition_discovery.interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "How often to look for new partitions (read from their beginning);"
                                    + " 0 turns discovery off.");

    // --------------------------------------------------------------------------------- sink

    public static final ConfigOption<CommitMode> SINK_COMMIT_MODE =
            ConfigOptions.key("sink.commit_mode")
                    .enumType(CommitMode.class)
                    .defaultValue(CommitMode.AT_LEAST_ONCE)
                    .withDescription("The sink's delivery guarantee.");

    public static final ConfigOption<String> SINK_TRANSACTIONAL_ID_PREFIX =
            ConfigOptions.key("sink.transactional_id_prefix")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Prefix of the Kafka transactional ids of an exactly_once sink."
                                    + " Default: derived from the job id and the sink, so two jobs"
                                    + " never share ids. Two running jobs must never use the same"
                                    + " prefix.");

    public static final ConfigOption<Duration> SINK_TRANSACTION_TIMEOUT =
            ConfigOptions.key("sink.transaction.timeout")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(15))
                    .withDescription(
                            "Kafka transaction.timeout.ms of an exactly_once sink: how long a"
                                    + " pre-committed transaction may wait for its commit (the"
                                    + " checkpoint to complete, or the job to come back). At"
                                    + " most the brokers' transaction.max.timeout.ms (15 min by"
                                    + " default); checked when the job is created.");

    public static final ConfigOption<LostTransactionPolicy> SINK_ON_LOST_TRANSACTION =
            ConfigOptions.key("sink.on_lost_transaction")
                    .enumType(LostTransactionPolicy.class)
                    .defaultValue(LostTransactionPolicy.FAIL)
                    .withDescription(
                            "What an exactly_once sink does with a transaction of a completed"
                                    + " checkpoint that it can no longer commit: one the broker"
                                    + " aborted (it stayed open longer than"
                                    + " 'sink.transaction.timeout'), or one whose outcome can no"
                                    + " longer be proven (the job was down longer than the"
                                    + " brokers keep transactional ids and offsets).");

    public static final ConfigOption<String> SINK_KEY_FIELD =
            ConfigOptions.key("sink.key_field")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The column whose value is the record key. Same as key.fields with one"
                                    + " column.");

    public static final ConfigOption<String> KEY_FIELDS =
            ConfigOptions.key("key.fields")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Columns that form the record key, separated by ';'. They stay in the"
                                    + " value too.");

    public static final ConfigOption<String> SINK_PARTITIONER =
            ConfigOptions.key("sink.partitioner")
                    .stringType()
                    .defaultValue("default")
                    .withDescription(
                            "Which partition each record goes to: 'default' and 'round-robin'"
                                    + " (Kafka's producer decides), 'fixed' (one partition per"
                                    + " sink subtask) or the name of a ConfluentPartitioner"
                                    + " class.");

    public static final ConfigOption<DataFormat> KEY_FORMAT =
            ConfigOptions.key("key.format")
                    .enumType(DataFormat.class)
                    .noDefaultValue()
                    .withDescription(
                            "How the key columns are encoded. Default: raw_string for one STRING"
                                    + " column, raw_bytes for one BYTES column, else json.");

    public static final ConfigOption<String> KEY_FIELDS_PREFIX =
            ConfigOptions.key("key.fields-prefix")
                    .stringType()
                    .defaultValue("")
                    .withDescription(
                            "Prefix of the key columns' names that the key's schema does not"
                                    + " have (e.g. 'key_'), so that key and value fields of the"
                                    + " same name can both be columns.");

    public static final ConfigOption<ValueFieldsInclude> VALUE_FIELDS_INCLUDE =
            ConfigOptions.key("value.fields-include")
                    .enumType(ValueFieldsInclude.class)
                    .defaultValue(ValueFieldsInclude.ALL)
                    .withDescription(
                            "Whether the value holds every physical column (ALL) or all but the"
                                    + " key columns (EXCEPT_KEY).");

    public static final ConfigOption<String> KEY_SUBJECT =
            ConfigOptions.key("key.subject")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Registry subject of the keys. Default: <topic>-key.");

    public static final ConfigOption<String> KEY_PROTOBUF_MESSAGE =
            ConfigOptions.key("key.protobuf.message")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "As protobuf.message, for the keys ('key.format' = 'protobuf').");

    public static final ConfigOption<String> SINK_TIMESTAMP_FIELD =
            ConfigOptions.key("sink.timestamp_field")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "A TIMESTAMP or TIMESTAMP_LTZ column whose value is the record"
                                    + " timestamp (or declare a 'timestamp' metadata column).");

    public static final ConfigOption<Integer> SINK_BUFFER_FLUSH_MAX_ROWS =
            ConfigOptions.key("sink.buffer_flush.max_rows")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "With 'changelog' = 'upsert': keep only the last change of each key"
                                    + " between flushes, and flush when this many keys are"
                                    + " buffered, every 'sink.buffer_flush.interval' and before"
                                    + " every checkpoint. 0 (the default) writes every change.");

    public static final ConfigOption<Duration> SINK_BUFFER_FLUSH_INTERVAL =
            ConfigOptions.key("sink.buffer_flush.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "With 'sink.buffer_flush.max_rows': how long a change may wait in the"
                                    + " buffer; 0 flushes only when the buffer is full and at"
                                    + " checkpoints.");

    // ---------------------------------------------------------------------------------- enums

    /** {@code type}. */
    @PublicEvolving
    public enum TableType implements DescribedEnum {
        SOURCE("source", "The table is read."),
        SINK("sink", "The table is written.");

        private final String value;
        private final String description;

        TableType(String value, String description) {
            this.value = value;
            this.description = description;
        }

        @Override
        public String toString() {
            return value;
        }

        @Override
        public InlineElement getDescription() {
            return text(description);
        }
    }

    /** {@code changelog}. */
    @PublicEvolving
    public enum Changelog implements DescribedEnum {
        APPEND("append", "Every record is a new row; the sink writes inserts only."),
        UPSERT(
                "upsert",
                "The PRIMARY KEY columns are the record key: a record is the latest row of its"
                        + " key, a tombstone (null value) deletes it."),
        DEBEZIUM(
                "debezium",
                "Sources only: each value is a Debezium change event (before, after, op) whose"
                        + " before/after images are the rows; tombstones are skipped.");

        private final String value;
        private final String description;

        Changelog(String value, String description) {
            this.value = value;
            this.description = description;
        }

        @Override
        public String toString() {
            return value;
        }

        @Override
        public InlineElement getDescription() {
            return text(description);
        }
    }

    /** {@code value.fields-include}. */
    @PublicEvolving
    public enum ValueFieldsInclude {
        ALL,
        EXCEPT_KEY
    }
}
