package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.FormatOptions;
import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataDecoder;
import io.github.flinkconfluent.connector.format.factory.RowFormats;
import io.github.flinkconfluent.connector.format.json.JsonRowDataDecoder;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Debezium change events as rows of the table {@code orders (id INT NOT NULL, customer STRING,
 * quantity INT)}: the golden events written by Confluent's serializers ({@code
 * golden/debezium-*-orders.json}) and hand-written bad ones.
 */
class DebeziumRecordsTest {

    private static final RowType PHYSICAL =
            RowType.of(
                    new LogicalType[] {new IntType(false), VarCharType.STRING_TYPE, new IntType()},
                    new String[] {"id", "customer", "quantity"});

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** A golden file: the registry with its schemas, and the records in topic order. */
    private record Golden(InMemorySchemaRegistry registry, List<byte[]> values, JsonNode file) {}

    private static Golden golden(String kind) throws Exception {
        JsonNode file;
        try (InputStream in =
                DebeziumRecordsTest.class.getResourceAsStream(
                        "/golden/debezium-" + kind + "-orders.json")) {
            file = MAPPER.readTree(in);
        }
        SchemaType type = SchemaType.fromRegistry(file.get("schemaType").asText());
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.put(
                file.get("valueSchemaId").asInt(),
                file.get("valueSubject").asText(),
                new SchemaDefinition(type, file.get("valueSchema").asText(), List.of()));
        List<byte[]> values = new ArrayList<>();
        for (JsonNode event : file.get("events")) {
            JsonNode hex = event.get("valueHex");
            values.add(hex.isNull() ? null : HexFormat.of().parseHex(hex.asText()));
        }
        return new Golden(registry, values, file);
    }

    private static RowDecoder registryDecoder(String kind, InMemorySchemaRegistry registry) {
        RowType envelope = DebeziumChanges.envelopeType(PHYSICAL);
        return kind.equals("avro")
                ? new AvroRowDataDecoder(envelope, "record", () -> registry)
                : new JsonRowDataDecoder(envelope, () -> registry, true);
    }

    private static DebeziumRecordDeserializer deserializer(
            RowDecoder decoder, boolean primaryKey, List<String> metadata) throws Exception {
        DebeziumRecordDeserializer deserializer =
                new DebeziumRecordDeserializer(
                        decoder,
                        new DebeziumChanges(PHYSICAL, primaryKey),
                        metadata,
                        TypeInformation.of(RowData.class));
        deserializer.open(null);
        return deserializer;
    }

    private static List<RowData> read(DebeziumRecordDeserializer deserializer, byte[] value)
            throws WireFormatException {
        List<RowData> rows = new ArrayList<>();
        deserializer.deserialize(
                new ConsumerRecord<>("dbserver1.inventory.orders", 0, 0L, null, value),
                new Collector<>() {
                    @Override
                    public void collect(RowData row) {
                        rows.add(row);
                    }

                    @Override
                    public void close() {}
                });
        return rows;
    }

    private static GenericRowData row(RowKind kind, int id, String customer, Integer quantity) {
        return GenericRowData.ofKind(kind, id, StringData.fromString(customer), quantity);
    }

    /** Applies a changelog to a table keyed by id, as a downstream operator sees it. */
    private static Map<Integer, String> apply(List<RowData> changes) {
        Map<Integer, String> table = new TreeMap<>();
        for (RowData change : changes) {
            String text =
                    change.getString(1) + "," + (change.isNullAt(2) ? null : change.getInt(2));
            switch (change.getRowKind()) {
                case INSERT, UPDATE_AFTER -> table.put(change.getInt(0), text);
                case UPDATE_BEFORE, DELETE ->
                        assertThat(table.remove(change.getInt(0)))
                                .as("the retracted row %s", change)
                                .isEqualTo(text);
            }
        }
        return table;
    }

    private static Map<Integer, String> finalState(JsonNode file) {
        Map<Integer, String> table = new TreeMap<>();
        for (JsonNode row : file.get("finalState")) {
            table.put(
                    row.get("id").asInt(),
                    row.get("customer").asText()
                            + ","
                            + (row.get("quantity").isNull() ? null : row.get("quantity").asInt()));
        }
        return table;
    }

    @ParameterizedTest
    @ValueSource(strings = {"avro", "json"})
    void confluentSerializedEventsWithAPrimaryKeyAreAnUpsertChangelog(String kind)
            throws Exception {
        Golden golden = golden(kind);
        DebeziumRecordDeserializer deserializer =
                deserializer(registryDecoder(kind, golden.registry()), true, List.of());
        List<RowData> rows = new ArrayList<>();
        for (byte[] value : golden.values()) {
            rows.addAll(read(deserializer, value));
        }

        assertThat(rows)
                .containsExactly(
                        row(RowKind.INSERT, 1, "alice", 2),
                        row(RowKind.INSERT, 2, "bob", 5),
                        row(RowKind.INSERT, 3, "carol", 1),
                        row(RowKind.UPDATE_AFTER, 1, "alice", 7),
                        row(RowKind.DELETE, 2, "bob", 5),
                        // the tombstone after the delete: nothing
                        row(RowKind.INSERT, 4, "dave", null),
                        row(RowKind.UPDATE_AFTER, 3, "carol", 4),
                        row(RowKind.UPDATE_AFTER, 4, "dave", 3));
    }

    @Test
    void withoutAPrimaryKeyUpdatesRetractTheirBeforeImageAndNeedOne() throws Exception {
        Golden golden = golden("avro");
        DebeziumRecordDeserializer deserializer =
                deserializer(registryDecoder("avro", golden.registry()), false, List.of());
        List<RowData> rows = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            rows.addAll(read(deserializer, golden.values().get(i)));
        }
        assertThat(rows)
                .containsExactly(
                        row(RowKind.INSERT, 1, "alice", 2),
                        row(RowKind.INSERT, 2, "bob", 5),
                        row(RowKind.INSERT, 3, "carol", 1),
                        row(RowKind.UPDATE_BEFORE, 1, "alice", 2),
                        row(RowKind.UPDATE_AFTER, 1, "alice", 7),
                        row(RowKind.DELETE, 2, "bob", 5),
                        row(RowKind.INSERT, 4, "dave", null));

        // Event 7 is an update without before-image (Postgres' default REPLICA IDENTITY).
        assertThatThrownBy(() -> read(deserializer, golden.values().get(7)))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(WireFormatException.Reason.BAD_CHANGE_EVENT))
                .hasMessageContaining("no 'before' image")
                .hasMessageContaining("PRIMARY KEY")
                .hasMessageContaining("REPLICA IDENTITY FULL");

        rows.addAll(read(deserializer, golden.values().get(8)));
        assertThat(rows.subList(7, 9))
                .containsExactly(
                        row(RowKind.UPDATE_BEFORE, 4, "dave", null),
                        row(RowKind.UPDATE_AFTER, 4, "dave", 3));
    }

    @Test
    void theFullChangelogWithFullBeforeImagesEndsInTheGoldenFinalState() throws Exception {
        Golden golden = golden("avro");
        DebeziumRecordDeserializer deserializer =
                deserializer(registryDecoder("avro", golden.registry()), false, List.of());
        List<RowData> rows = new ArrayList<>();
        for (int i = 0; i < golden.values().size(); i++) {
            if (i != 7) { // no before-image: refused above
                rows.addAll(read(deserializer, golden.values().get(i)));
            }
        }
        Map<Integer, String> expected = finalState(golden.file());
        expected.put(3, "carol,1"); // event 7 (carol's update to 4) was not applied
        assertThat(apply(rows)).isEqualTo(expected);
    }

    @Test
    void metadataColumnsComeFromTheEventAndTheRecord() throws Exception {
        Golden golden = golden("avro");
        DebeziumRecordDeserializer deserializer =
                deserializer(
                        registryDecoder("avro", golden.registry()),
                        true,
                        List.of(
                                "value.ingestion-timestamp",
                                "topic",
                                "value.source.timestamp",
                                "value.source.database",
                                "value.source.schema",
                                "value.source.table",
                                "value.source.properties",
                                "value.source"));
        JsonNode event = golden.file().get("events").get(3).get("value");

        List<RowData> rows = read(deserializer, golden.values().get(3));

        assertThat(rows).hasSize(1);
        RowData row = rows.get(0);
        assertThat(row.getRowKind()).isEqualTo(RowKind.UPDATE_AFTER);
        assertThat(row.getArity()).isEqualTo(3 + 8);
        assertThat(row.getTimestamp(3, 3))
                .isEqualTo(TimestampData.fromEpochMillis(event.get("ts_ms").asLong()));
        assertThat(row.getString(4).toString()).isEqualTo("dbserver1.inventory.orders");
        JsonNode source = event.get("source");
        assertThat(row.getTimestamp(5, 3))
                .isEqualTo(TimestampData.fromEpochMillis(source.get("ts_ms").asLong()));
        assertThat(row.getString(6).toString()).isEqualTo("inventory_db");
        assertThat(row.getString(7).toString()).isEqualTo("inventory");
        assertThat(row.getString(8).toString()).isEqualTo("orders");
        MapData properties = row.getMap(9);
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < properties.size(); i++) {
            map.put(
                    properties.keyArray().getString(i).toString(),
                    properties.valueArray().isNullAt(i)
                            ? null
                            : properties.valueArray().getString(i).toString());
        }
        assertThat(map)
                .containsEntry("connector", "postgresql")
                .containsEntry("snapshot", "false")
                .containsEntry("txId", source.get("txId").asText())
                .containsEntry("sequence", null);
        assertThat(MAPPER.readTree(row.getString(10).toString())).isEqualTo(source);
    }

    @Test
    void tombstonesAreSkipped() throws Exception {
        DebeziumRecordDeserializer deserializer = plainJson(true);
        assertThat(read(deserializer, null)).isEmpty();
    }

    private static DebeziumRecordDeserializer plainJson(boolean primaryKey) throws Exception {
        return deserializer(
                RowFormats.decoder(
                        DataFormat.JSON,
                        DebeziumChanges.envelopeType(PHYSICAL),
                        FormatOptions.withoutRegistry()),
                primaryKey,
                List.of());
    }

    private static byte[] json(String text) {
        return text.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void badEnvelopesAreBadChangeEventsNamingWhatIsWrong() throws Exception {
        DebeziumRecordDeserializer deserializer = plainJson(true);
        Map<String, String> cases =
                Map.of(
                        "{'after': {'id': 1, 'customer': 'a'}}", "no 'op' field",
                        "{'op': null, 'after': {'id': 1, 'customer': 'a'}}", "no 'op' field",
                        "{'op': 't', 'source': {}}", "its 'op' is 't'",
                        "{'op': 'c', 'before': null}", "'op' = 'c' has no 'after' image",
                        "{'op': 'r'}", "'op' = 'r' has no 'after' image",
                        "{'op': 'u', 'before': {'id': 1, 'customer': 'a'}}",
                                "'op' = 'u' has no 'after' image",
                        "{'op': 'd', 'after': null}", "'op' = 'd' has no 'before' image");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertThatThrownBy(() -> read(deserializer, json(c.getKey())))
                    .as(c.getKey())
                    .isInstanceOfSatisfying(
                            WireFormatException.class,
                            e ->
                                    assertThat(e.reason())
                                            .isEqualTo(WireFormatException.Reason.BAD_CHANGE_EVENT))
                    .hasMessageContaining(c.getValue());
        }
    }

    @Test
    void aDeleteWithOnlyTheKeyInItsBeforeImageIsADeleteOfTheKey() throws Exception {
        // Postgres' default REPLICA IDENTITY: a delete's before-image holds the key columns only.
        assertThat(read(plainJson(true), json("{'op': 'd', 'before': {'id': 9}}")))
                .containsExactly(GenericRowData.ofKind(RowKind.DELETE, 9, null, null));
    }
}
