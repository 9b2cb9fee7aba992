package io.github.flinkconfluent.catalog;

import io.github.flinkconfluent.catalog.SchemaRegistryCatalogOptions.JsonColumns;
import io.github.flinkconfluent.connector.format.avro.AvroToSql;
import io.github.flinkconfluent.connector.format.avro.RegistryAvroSchemas;
import io.github.flinkconfluent.connector.format.avro.SqlToAvroSchema;
import io.github.flinkconfluent.connector.format.factory.RowFormats;
import io.github.flinkconfluent.connector.format.json.JsonSchemaToSql;
import io.github.flinkconfluent.connector.format.json.SqlToJsonSchema;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufToSql;
import io.github.flinkconfluent.connector.format.protobuf.RegistryProtobufSchemas;
import io.github.flinkconfluent.connector.format.protobuf.SqlToProtobufSchema;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.registry.RegisteredSchema;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;
import io.github.flinkconfluent.connector.registry.SchemaType;
import io.github.flinkconfluent.connector.table.ConfluentDynamicTableFactory;
import io.github.flinkconfluent.connector.util.ConnectorClassLoader;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.GenericInMemoryCatalog;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.factories.Factory;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A catalog whose tables are the topics of a Confluent cluster that have a {@code <topic>-value}
 * subject in its Schema Registry.
 *
 * <p>Columns come from the subject's latest schema ({@link AvroToSql}, {@link JsonSchemaToSql},
 * {@link ProtobufToSql} for its first message; what SQL cannot hold becomes a JSON column), plus
 * virtual metadata columns {@code kafka_partition}, {@code kafka_offset} and {@code
 * kafka_timestamp}. Table options carry only {@code connector}, {@code topic}, {@code format} and
 * the profile's name: {@link #getFactory()} hands the planner a table factory that already holds
 * the connection, so no secret is ever in a table's options, a plan or {@code SHOW CREATE TABLE}.
 * {@code CREATE TABLE} registers the columns' schema (the registry checks compatibility) and
 * creates the topic; {@code ALTER TABLE ... ADD} registers a new version; {@code DROP TABLE}
 * soft-deletes the subjects. Views and functions are kept in memory for the session.
 */
@PublicEvolving
public final class SchemaRegistryCatalog extends GenericInMemoryCatalog {

    private static final String VALUE_SUFFIX = "-value";
    private static final String KEY_SUFFIX = "-key";
    private static final String KEY_PREFIX = "key_";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryCatalog.class);

    private final ConnectionProfile profile;
    private final SchemaRegistryConfig registryConfig;
    private final Configuration options;
    private final Duration cacheTtl;

    private SchemaRegistryClient registry;
    private volatile Timed<List<String>> subjects;
    private final Map<String, Timed<RegisteredSchema>> schemas = new ConcurrentHashMap<>();
    private final Map<String, Timed<Boolean>> compaction = new ConcurrentHashMap<>();

    private record Timed<T>(T value, long expiresAtNanos) {
        boolean fresh() {
            return System.nanoTime() < expiresAtNanos;
        }
    }

    public SchemaRegistryCatalog(
            String name,
            ConnectionProfile profile,
            SchemaRegistryConfig registryConfig,
            Configuration options) {
        super(name, options.get(SchemaRegistryCatalogOptions.DEFAULT_DATABASE));
        this.profile = profile;
        this.registryConfig = registryConfig;
        this.options = options;
        this.cacheTtl = options.get(SchemaRegistryCatalogOptions.CACHE_TTL);
    }

    @Override
    public void open() throws CatalogException {
        super.open();
        // Planning threads of the SQL client / Gateway may not see this jar (ADD JAR, --jar).
        registry = ConnectorClassLoader.call(() -> SchemaRegistryClients.shared(registryConfig));
    }

    /** Releases this catalog's share of the JVM-wide registry client. */
    @Override
    public void close() throws CatalogException {
        if (registry != null) {
            registry.close();
            registry = null;
        }
        super.close();
    }

    @Override
    public Optional<Factory> getFactory() {
        return Optional.of(new ConfluentDynamicTableFactory(profile));
    }

    // ------------------------------------------------------------------------------ listing

    @Override
    public List<String> listTables(String databaseName) throws DatabaseNotExistException {
        TreeSet<String> names = new TreeSet<>(super.listTables(databaseName));
        names.addAll(topics());
        return new ArrayList<>(names);
    }

    @Override
    public boolean tableExists(ObjectPath path) throws CatalogException {
        return super.tableExists(path) || isRegistryTable(path);
    }

    private boolean isRegistryTable(ObjectPath path) {
        return path.getDatabaseName().equals(getDefaultDatabase())
                && topics().contains(path.getObjectName());
    }

    /** Topics with a value subject; from the cached subject list. */
    private List<String> topics() {
        List<String> names = new ArrayList<>();
        for (String subject : subjects()) {
            if (subject.endsWith(VALUE_SUFFIX) && subject.length() > VALUE_SUFFIX.length()) {
                names.add(subject.substring(0, subject.length() - VALUE_SUFFIX.length()));
            }
        }
        return names;
    }

    /** All subjects; cached for {@code cache-ttl}. */
    private List<String> subjects() {
        Timed<List<String>> cached = subjects;
        if (cached == null || !cached.fresh()) {
            List<String> all = call(() -> registry.getSubjects(), "list the subjects");
            cached = new Timed<>(List.copyOf(all), System.nanoTime() + cacheTtl.toNanos());
            subjects = cached;
        }
        return cached.value();
    }

    private RegisteredSchema latest(String subject) {
        Timed<RegisteredSchema> cached = schemas.get(subject);
        if (cached == null || !cached.fresh()) {
            RegisteredSchema latest = call(() -> registry.getLatest(subject), "read " + subject);
            cached = new Timed<>(latest, System.nanoTime() + cacheTtl.toNanos());
            schemas.put(subject, cached);
        }
        return cached.value();
    }

    private void invalidate() {
        subjects = null;
        schemas.clear();
    }

    // ------------------------------------------------------------------------------ tables

    @Override
    public CatalogBaseTable getTable(ObjectPath path) throws TableNotExistException {
        if (super.tableExists(path)) {
            return super.getTable(path);
        }
        if (!isRegistryTable(path)) {
            throw new TableNotExistException(getName(), path);
        }
        String topic = path.getObjectName();
        RegisteredSchema value = latest(topic + VALUE_SUFFIX);
        DataType row = columns(value);
        Schema.Builder schema = Schema.newBuilder();
        Map<String, String> tableOptions = new LinkedHashMap<>();
        tableOptions.put("connector", "confluent");
        tableOptions.put("topic", topic);
        tableOptions.put("format", format(value));
        tableOptions.put("connection_profile", profile.name());
        List<String> names = new ArrayList<>(DataType.getFieldNames(row));
        List<String> valueNames = DataType.getFieldNames(row);
        List<DataType> valueTypes = DataType.getFieldDataTypes(row);
        Optional<RegisteredSchema> key = keySchema(topic);
        boolean upsert = key.isPresent() && isCompacted(topic);
        List<String> keyNames = key.map(k -> DataType.getFieldNames(columns(k))).orElse(List.of());
        boolean keyInValue = !keyNames.isEmpty() && valueNames.containsAll(keyNames);
        if (upsert) {
            // A compacted topic with a record key: the latest value per key, deletes as
            // tombstones (docs/changelog.md).
            tableOptions.put("changelog", "upsert");
        }
        if (key.isPresent() && !(upsert && keyInValue)) {
            // Key columns first, named with the prefix so that they never clash with the value's.
            DataType keyRow = columns(key.get());
            List<String> keyColumns = new ArrayList<>();
            List<DataType> keyTypes = DataType.getFieldDataTypes(keyRow);
            for (int i = 0; i < keyNames.size(); i++) {
                String column = KEY_PREFIX + keyNames.get(i);
                schema.column(
                        column, upsert ? keyTypes.get(i).notNull() : keyTypes.get(i).nullable());
                keyColumns.add(column);
            }
            names.addAll(keyColumns);
            tableOptions.put("key.fields", String.join(";", keyColumns));
            tableOptions.put("key.format", format(key.get()));
            tableOptions.put("key.fields-prefix", KEY_PREFIX);
            tableOptions.put("value.fields-include", "EXCEPT_KEY");
            if (upsert) {
                schema.primaryKey(keyColumns);
            }
        } else if (upsert) {
            // The value repeats the key's fields (as CREATE TABLE ... PRIMARY KEY writes it).
            tableOptions.put("key.fields", String.join(";", keyNames));
            tableOptions.put("key.format", format(key.get()));
        }
        for (int i = 0; i < valueNames.size(); i++) {
            boolean primaryKey = upsert && keyInValue && keyNames.contains(valueNames.get(i));
            schema.column(
                    valueNames.get(i),
                    primaryKey ? valueTypes.get(i).notNull() : valueTypes.get(i));
        }
        if (upsert && keyInValue) {
            schema.primaryKey(keyNames);
        }
        addMetadata(schema, names, "kafka_partition", DataTypes.INT(), "partition");
        addMetadata(schema, names, "kafka_offset", DataTypes.BIGINT(), "offset");
        addMetadata(schema, names, "kafka_timestamp", DataTypes.TIMESTAMP_LTZ(3), "timestamp");
        return CatalogTable.newBuilder()
                .schema(schema.build())
                .comment(
                        "Subject "
                                + value.subject()
                                + ", version "
                                + value.version()
                                + ", schema id "
                                + value.id())
                .options(tableOptions)
                .build();
    }

    private static String format(RegisteredSchema schema) {
        switch (schema.definition().type()) {
            case JSON:
                return "json";
            case PROTOBUF:
                return "protobuf";
            default:
                return "avro";
        }
    }

    /** The key subject's latest schema, when there is one with fields (a record or object). */
    private Optional<RegisteredSchema> keySchema(String topic) {
        String subject = topic + KEY_SUFFIX;
        if (!subjects().contains(subject)) {
            return Optional.empty();
        }
        RegisteredSchema key = latest(subject);
        try {
            columns(key);
            return Optional.of(key);
        } catch (CatalogException e) {
            return Optional.empty(); // a primitive key: read it with the 'key' metadata column
        }
    }

    /**
     * Whether the topic keeps only the latest record per key ({@code cleanup.policy} with {@code
     * compact}); false when the brokers cannot be asked (a catalog with a registry only).
     */
    private boolean isCompacted(String topic) {
        Timed<Boolean> cached = compaction.get(topic);
        if (cached != null && cached.fresh()) {
            return cached.value();
        }
        boolean compacted;
        try {
            compacted =
                    admin(
                            admin -> {
                                ConfigResource resource =
                                        new ConfigResource(ConfigResource.Type.TOPIC, topic);
                                Config config =
                                        admin.describeConfigs(List.of(resource))
                                                .all()
                                                .get(30, TimeUnit.SECONDS)
                                                .get(resource);
                                ConfigEntry policy = config.get("cleanup.policy");
                                return policy != null
                                        && policy.value() != null
                                        && policy.value().contains("compact");
                            });
        } catch (CatalogException e) {
            LOG.info(
                    "Cannot read cleanup.policy of topic '{}'; offering it as an append table: {}",
                    topic,
                    e.getMessage());
            compacted = false;
        }
        compaction.put(topic, new Timed<>(compacted, System.nanoTime() + cacheTtl.toNanos()));
        return compacted;
    }

    private static void addMetadata(
            Schema.Builder schema, List<String> taken, String name, DataType type, String key) {
        if (!taken.contains(name)) {
            schema.columnByMetadata(name, type, key, true);
        }
    }

    private DataType columns(RegisteredSchema value) {
        try {
            if (value.definition().type() == SchemaType.JSON) {
                return JsonSchemaToSql.toRowType(MAPPER.readTree(value.definition().text()));
            }
            if (value.definition().type() == SchemaType.PROTOBUF) {
                // The first message, which a protobuf sink writes and the planning check reads.
                return ProtobufToSql.toRowType(
                        RegistryProtobufSchemas.firstMessage(value.definition(), registry));
            }
            if (value.definition().type() == SchemaType.AVRO) {
                JsonColumns jsonColumns = options.get(SchemaRegistryCatalogOptions.JSON_COLUMNS);
                return new AvroToSql(jsonColumns.arraysAndMapsAsJson())
                        .toRowType(RegistryAvroSchemas.parse(value.definition(), registry));
            }
        } catch (Exception e) {
            throw new CatalogException(
                    "Cannot turn subject '"
                            + value.subject()
                            + "' (version "
                            + value.version()
                            + ") into columns: "
                            + e.getMessage(),
                    e);
        }
        throw new CatalogException(
                "Subject '"
                        + value.subject()
                        + "' holds a "
                        + value.definition().type()
                        + " schema; this catalog reads Avro, JSON Schema and Protobuf subjects");
    }

    @Override
    public void createTable(ObjectPath path, CatalogBaseTable table, boolean ignoreIfExists)
            throws TableAlreadyExistException, DatabaseNotExistException {
        if (table.getTableKind() != CatalogBaseTable.TableKind.TABLE) {
            super.createTable(path, table, ignoreIfExists); // views: in memory, for the session
            return;
        }
        String topic = path.getObjectName();
        boolean exists = isRegistryTable(path);
        RowType rowType = physicalRowType(table);
        if (rowType.getFieldCount() == 0) {
            // No columns: adopt the subject that is there.
            if (!exists) {
                throw new CatalogException(
                        "CREATE TABLE "
                                + topic
                                + " without columns adopts the schema of subject '"
                                + topic
                                + VALUE_SUFFIX
                                + "', but there is no such subject. Declare the columns.");
            }
            return;
        }
        if (exists && !ignoreIfExists) {
            throw new TableAlreadyExistException(getName(), path);
        }
        if (exists) {
            return;
        }
        Configuration tableOptions = Configuration.fromMap(table.getOptions());
        String format = table.getOptions().getOrDefault("format", "avro");
        List<String> primaryKey = primaryKey(table);
        register(topic + VALUE_SUFFIX, definition(topic, format, rowType));
        if (!primaryKey.isEmpty()) {
            // An upsert table: the key subject holds the primary key, the topic is compacted.
            register(
                    topic + KEY_SUFFIX,
                    keyDefinition(
                            topic,
                            table.getOptions().getOrDefault("key.format", format),
                            project(rowType, primaryKey)));
        }
        createTopic(topic, tableOptions, !primaryKey.isEmpty());
        invalidate();
    }

    @Override
    public void alterTable(ObjectPath path, CatalogBaseTable newTable, boolean ignoreIfNotExists)
            throws TableNotExistException {
        if (super.tableExists(path)) {
            super.alterTable(path, newTable, ignoreIfNotExists);
            return;
        }
        if (!isRegistryTable(path)) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new TableNotExistException(getName(), path);
        }
        String topic = path.getObjectName();
        RegisteredSchema current = latest(topic + VALUE_SUFFIX);
        RowType before = (RowType) columns(current).getLogicalType();
        RowType after = valueColumns(newTable);
        for (RowType.RowField field : after.getFields()) {
            if (before.getFieldIndex(field.getName()) < 0 && !field.getType().isNullable()) {
                throw new CatalogException(
                        "Column '"
                                + field.getName()
                                + "' added to "
                                + topic
                                + " must be nullable: records written before it have no value"
                                + " for it.");
            }
        }
        for (RowType.RowField field : after.getFields()) {
            int was = before.getFieldIndex(field.getName());
            if (was >= 0 && !before.getTypeAt(was).copy(true).equals(field.getType().copy(true))) {
                throw new CatalogException(
                        "ALTER TABLE "
                                + topic
                                + " changes the type of column '"
                                + field.getName()
                                + "' from "
                                + before.getTypeAt(was)
                                + " to "
                                + field.getType()
                                + "; the catalog adds and drops columns only. Register the new"
                                + " schema under '"
                                + topic
                                + VALUE_SUFFIX
                                + "' yourself if the registry's compatibility rule allows it.");
            }
        }
        register(topic + VALUE_SUFFIX, SchemaEvolution.evolve(current, after, registry));
        invalidate();
    }

    @Override
    public void dropTable(ObjectPath path, boolean ignoreIfNotExists)
            throws TableNotExistException {
        if (super.tableExists(path)) {
            super.dropTable(path, ignoreIfNotExists);
            return;
        }
        if (!isRegistryTable(path)) {
            if (ignoreIfNotExists) {
                return;
            }
            throw new TableNotExistException(getName(), path);
        }
        String topic = path.getObjectName();
        call(() -> registry.deleteSubject(topic + VALUE_SUFFIX, false), "delete the subject");
        try {
            registry.deleteSubject(topic + KEY_SUFFIX, false);
        } catch (SchemaRegistryException e) {
            if (e.kind() != SchemaRegistryException.Kind.SUBJECT_NOT_FOUND) {
                throw new CatalogException("Cannot delete subject " + topic + KEY_SUFFIX, e);
            }
        }
        if (options.get(SchemaRegistryCatalogOptions.DROP_TOPICS)) {
            admin(admin -> admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS));
        }
        invalidate();
    }

    private static RowType physicalRowType(CatalogBaseTable table) {
        if (!(table instanceof ResolvedCatalogTable resolved)) {
            throw new CatalogException("Expected a resolved table, got " + table.getClass());
        }
        LogicalType type = resolved.getResolvedSchema().toPhysicalRowDataType().getLogicalType();
        return (RowType) type;
    }

    /** The columns a value schema holds: key-only columns of the table left out. */
    private static RowType valueColumns(CatalogBaseTable table) {
        RowType physical = physicalRowType(table);
        Map<String, String> tableOptions = table.getOptions();
        if (!"EXCEPT_KEY".equalsIgnoreCase(tableOptions.get("value.fields-include"))) {
            return physical;
        }
        List<String> keyColumns = List.of(tableOptions.getOrDefault("key.fields", "").split(";"));
        List<String> value = new ArrayList<>();
        for (String name : physical.getFieldNames()) {
            if (!keyColumns.contains(name)) {
                value.add(name);
            }
        }
        return project(physical, value);
    }

    private static List<String> primaryKey(CatalogBaseTable table) {
        if (!(table instanceof ResolvedCatalogTable resolved)) {
            return List.of();
        }
        return resolved.getResolvedSchema()
                .getPrimaryKey()
                .map(UniqueConstraint::getColumns)
                .orElse(List.of());
    }

    private static RowType project(RowType rowType, List<String> names) {
        List<RowType.RowField> fields = new ArrayList<>();
        for (String name : names) {
            int index = rowType.getFieldIndex(name);
            fields.add(new RowType.RowField(name, rowType.getTypeAt(index)));
        }
        return new RowType(false, fields);
    }

    private static SchemaDefinition definition(String topic, String format, RowType rowType) {
        return switch (format) {
            case "avro" ->
                    SchemaDefinition.avro(
                            SqlToAvroSchema.convert(rowType, avroName(topic)).toString());
            case "json" ->
                    SchemaDefinition.json(
                            SqlToJsonSchema.convert(rowType, topic + VALUE_SUFFIX).toString());
            case "protobuf" ->
                    SchemaDefinition.protobuf(
                            SqlToProtobufSchema.convert(rowType, RowFormats.PROTOBUF_MESSAGE_NAME));
            default ->
                    throw new CatalogException(
                            "This catalog creates avro, json or protobuf tables, not '"
                                    + format
                                    + "'");
        };
    }

    private static SchemaDefinition keyDefinition(String topic, String format, RowType keyRow) {
        return switch (format) {
            case "avro" ->
                    SchemaDefinition.avro(
                            SqlToAvroSchema.convert(keyRow, avroName(topic) + "_key").toString());
            case "json" ->
                    SchemaDefinition.json(
                            SqlToJsonSchema.convert(keyRow, topic + KEY_SUFFIX).toString());
            // The schema the key encoder derives from the key columns, so that the sink writes
            // keys with the version registered here.
            case "protobuf" ->
                    SchemaDefinition.protobuf(
                            SqlToProtobufSchema.convert(keyRow, RowFormats.PROTOBUF_MESSAGE_NAME));
            default ->
                    throw new CatalogException(
                            "This catalog registers avro, json or protobuf keys, not 'key.format'"
                                    + " = '"
                                    + format
                                    + "'");
        };
    }

    /** Registers {@code definition} under {@code subject}; the registry checks compatibility. */
    private void register(String subject, SchemaDefinition definition) {
        try {
            registry.register(subject, definition);
        } catch (SchemaRegistryException e) {
            if (e.kind() == SchemaRegistryException.Kind.INCOMPATIBLE) {
                throw new CatalogException(
                        "Subject '"
                                + subject
                                + "' rejects the table's schema as incompatible with its latest"
                                + " version: "
                                + e.getMessage(),
                        e);
            }
            throw new CatalogException("Cannot register the schema of " + subject, e);
        }
    }

    /** An Avro record name from a topic name: letters, digits and '_' only. */
    static String avroName(String topic) {
        String name = topic.replaceAll("[^A-Za-z0-9_]", "_");
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    private void createTopic(String topic, Configuration tableOptions, boolean compacted) {
        int partitions =
                tableOptions
                        .getOptional(SchemaRegistryCatalogOptions.TOPIC_PARTITIONS)
                        .orElse(options.get(SchemaRegistryCatalogOptions.TOPIC_PARTITIONS));
        int replication =
                tableOptions
                        .getOptional(SchemaRegistryCatalogOptions.TOPIC_REPLICATION_FACTOR)
                        .orElse(options.get(SchemaRegistryCatalogOptions.TOPIC_REPLICATION_FACTOR));
        Optional<Duration> retention =
                tableOptions
                        .getOptional(SchemaRegistryCatalogOptions.TOPIC_RETENTION)
                        .or(
                                () ->
                                        options.getOptional(
                                                SchemaRegistryCatalogOptions.TOPIC_RETENTION));
        NewTopic newTopic =
                new NewTopic(
                        topic,
                        Optional.of(partitions),
                        replication > 0 ? Optional.of((short) replication) : Optional.empty());
        Map<String, String> topicConfigs = new HashMap<>();
        retention.ifPresent(r -> topicConfigs.put("retention.ms", String.valueOf(r.toMillis())));
        if (compacted) {
            topicConfigs.put("cleanup.policy", "compact");
        }
        newTopic.configs(topicConfigs);
        admin(
                admin -> {
                    try {
                        admin.createTopics(List.of(newTopic)).all().get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e; // an existing topic is adopted
                        }
                    }
                    return null;
                });
    }

    @FunctionalInterface
    private interface AdminCall<T> {
        T apply(Admin admin) throws Exception;
    }

    private <T> T admin(AdminCall<T> call) {
        try (Admin admin =
                ConnectorClassLoader.call(
                        () ->
                                Admin.create(
                                        new HashMap<String, Object>(profile.kafkaProperties())))) {
            return call.apply(admin);
        } catch (Exception e) {
            throw new CatalogException(
                    "Kafka operation failed on " + profile.describe() + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface RegistryCall<T> {
        T get();
    }

    private static <T> T call(RegistryCall<T> call, String what) {
        try {
            return call.get();
        } catch (SchemaRegistryException e) {
            throw new CatalogException("Cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
