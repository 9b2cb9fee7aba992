package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.FormatOptions;
import io.github.flinkconfluent.connector.format.factory.RowFormats;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How rows of an upsert table become records and back: the table {@code (customer STRING, cnt
 * BIGINT, PRIMARY KEY (customer))} with a raw_string key and a plain JSON value of both columns.
 */
class UpsertRecordsTest {

    private static final RowType PHYSICAL =
            RowType.of(
                    new LogicalType[] {VarCharType.STRING_TYPE, new BigIntType()},
                    new String[] {"customer", "cnt"});
    private static final RowType KEY =
            RowType.of(new LogicalType[] {VarCharType.STRING_TYPE}, new String[] {"customer"});

    private static RowDataRecordSerializer serializer(boolean upsert) throws Exception {
        RowDataRecordSerializer serializer =
                new RowDataRecordSerializer(
                        RowFormats.encoder(
                                DataFormat.JSON, PHYSICAL, FormatOptions.withoutRegistry()),
                        RowFormats.encoder(
                                DataFormat.RAW_STRING, KEY, FormatOptions.withoutRegistry()),
                        new int[] {0},
                        null,
                        -1,
                        3,
                        -1,
                        -1,
                        upsert);
        serializer.open(null);
        return serializer;
    }

    private static RowDataRecordDeserializer deserializer(boolean upsert) throws Exception {
        RowDataRecordDeserializer deserializer =
                new RowDataRecordDeserializer(
                        RowFormats.decoder(
                                DataFormat.JSON, PHYSICAL, FormatOptions.withoutRegistry()),
                        new RowDataRecordDeserializer.KeyColumns(
                                RowFormats.decoder(
                                        DataFormat.RAW_STRING,
                                        KEY,
                                        FormatOptions.withoutRegistry()),
                                new int[] {0},
                                new int[] {0, 1},
                                PHYSICAL),
                        List.of(),
                        TypeInformation.of(RowData.class),
                        upsert);
        deserializer.open(null);
        return deserializer;
    }

    private static RowData row(RowKind kind, String customer, Long cnt) {
        GenericRowData row = GenericRowData.of(StringData.fromString(customer), cnt);
        row.setRowKind(kind);
        return row;
    }

    private static ConsumerRecord<byte[], byte[]> record(String key, String value) {
        return new ConsumerRecord<>(
                "totals",
                0,
                7L,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<RowData> read(
            RowDataRecordDeserializer deserializer, ConsumerRecord<byte[], byte[]> record)
            throws WireFormatException {
        List<RowData> rows = new ArrayList<>();
        deserializer.deserialize(
                record,
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

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void insertsAndUpdatesAreValuesAndDeletesAreTombstones() throws Exception {
        RowDataRecordSerializer serializer = serializer(true);

        ProducerRecord<byte[], byte[]> insert =
                serializer.serialize(row(RowKind.INSERT, "c1", 1L), "totals");
        ProducerRecord<byte[], byte[]> update =
                serializer.serialize(row(RowKind.UPDATE_AFTER, "c1", 2L), "totals");
        ProducerRecord<byte[], byte[]> delete =
                serializer.serialize(row(RowKind.DELETE, "c1", 2L), "totals");

        assertThat(text(insert.key())).isEqualTo("c1");
        assertThat(text(insert.value())).isEqualTo("{\"customer\":\"c1\",\"cnt\":1}");
        assertThat(text(update.value())).isEqualTo("{\"customer\":\"c1\",\"cnt\":2}");
        assertThat(text(delete.key())).isEqualTo("c1");
        assertThat(delete.value()).isNull();
    }

    @Test
    void anAppendTableWritesEveryRowAsAValue() throws Exception {
        // Only inserts reach an append sink; its serializer does not look at the row kind.
        ProducerRecord<byte[], byte[]> record =
                serializer(false).serialize(row(RowKind.DELETE, "c1", 2L), "totals");

        assertThat(text(record.value())).isEqualTo("{\"customer\":\"c1\",\"cnt\":2}");
    }

    @Test
    void aValueIsTheRowOfItsKeyAndATombstoneDeletesIt() throws Exception {
        RowDataRecordDeserializer deserializer = deserializer(true);

        List<RowData> upsert = read(deserializer, record("c1", "{\"customer\":\"c1\",\"cnt\":5}"));
        List<RowData> tombstone = read(deserializer, record("c1", null));

        assertThat(upsert)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.getRowKind()).isEqualTo(RowKind.INSERT);
                            assertThat(r.getString(0).toString()).isEqualTo("c1");
                            assertThat(r.getLong(1)).isEqualTo(5L);
                        });
        assertThat(tombstone)
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.getRowKind()).isEqualTo(RowKind.DELETE);
                            assertThat(r.getString(0).toString()).isEqualTo("c1");
                            assertThat(r.isNullAt(1)).isTrue();
                        });
    }

    @Test
    void theKeyColumnsComeFromTheKeyNotFromTheValue() throws Exception {
        List<RowData> rows =
                read(deserializer(true), record("from-key", "{\"customer\":\"x\",\"cnt\":1}"));

        assertThat(rows)
                .singleElement()
                .satisfies(r -> assertThat(r.getString(0).toString()).isEqualTo("from-key"));
    }

    @Test
    void aRecordWithoutKeyIsBadDataInAnUpsertTable() throws Exception {
        RowDataRecordDeserializer deserializer = deserializer(true);

        for (String value : new String[] {"{\"customer\":\"c1\",\"cnt\":5}", null}) {
            assertThatThrownBy(() -> read(deserializer, record(null, value)))
                    .isInstanceOf(WireFormatException.class)
                    .satisfies(
                            e ->
                                    assertThat(((WireFormatException) e).reason())
                                            .isEqualTo(WireFormatException.Reason.MISSING_KEY))
                    .hasMessageContaining("'changelog' = 'upsert'");
        }
    }

    @Test
    void anAppendTableSkipsTombstones() throws Exception {
        assertThat(read(deserializer(false), record("c1", null))).isEmpty();
        assertThat(read(deserializer(false), record(null, "{\"customer\":\"c1\",\"cnt\":5}")))
                .singleElement()
                .satisfies(r -> assertThat(r.getString(0).toString()).isEqualTo("c1"));
    }
}
