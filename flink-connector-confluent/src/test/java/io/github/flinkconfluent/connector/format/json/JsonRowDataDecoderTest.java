package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** JSON values converted into rows of the table's columns, by field name. */
class JsonRowDataDecoderTest {

    private static final RowType ORDERS =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                    DataTypes.FIELD("day", DataTypes.DATE()),
                                    DataTypes.FIELD("at", DataTypes.TIMESTAMP_LTZ(3)),
                                    DataTypes.FIELD("amount", DataTypes.DECIMAL(8, 2)),
                                    DataTypes.FIELD("tags", DataTypes.ARRAY(DataTypes.STRING())),
                                    DataTypes.FIELD(
                                            "address",
                                            DataTypes.ROW(
                                                    DataTypes.FIELD("city", DataTypes.STRING()))),
                                    DataTypes.FIELD("extra", DataTypes.STRING()))
                            .getLogicalType();

    private static RowData decodeBare(String json) throws WireFormatException {
        JsonRowDataDecoder decoder = new JsonRowDataDecoder(ORDERS, null, false);
        decoder.open();
        return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fieldsAreMatchedByNameAndConverted() throws Exception {
        RowData row =
                decodeBare(
                        "{\"extra\":{\"k\":[1,2]},\"customer_id\":5,\"day\":\"2026-11-26\","
                                + "\"at\":\"2026-11-26T10:15:30.250Z\",\"amount\":12.5,"
                                + "\"tags\":[\"a\",null],\"address\":{\"city\":\"Oslo\"},"
                                + "\"ignored\":true}");

        assertThat(row.getInt(0)).isEqualTo(5);
        assertThat(row.getInt(1)).isEqualTo((int) LocalDate.of(2026, 11, 26).toEpochDay());
        assertThat(row.getTimestamp(2, 3).toInstant())
                .isEqualTo(java.time.Instant.parse("2026-11-26T10:15:30.250Z"));
        assertThat(row.getDecimal(3, 8, 2).toBigDecimal()).isEqualByComparingTo("12.50");
        assertThat(row.getArray(4).isNullAt(1)).isTrue();
        assertThat(row.getRow(5, 1).getString(0).toString()).isEqualTo("Oslo");
        assertThat(row.getString(6).toString())
                .as("a STRING column holds any other JSON value as JSON text")
                .isEqualTo("{\"k\":[1,2]}");
    }

    @Test
    void absentFieldsAreNullButNotForNotNullColumns() throws Exception {
        RowData row = decodeBare("{\"customer_id\":1}");
        assertThat(row.isNullAt(1)).isTrue();
        assertThat(row.isNullAt(6)).isTrue();

        assertThatThrownBy(() -> decodeBare("{\"day\":\"2026-11-26\"}"))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("$.customer_id")
                .hasMessageContaining("NOT NULL");
    }

    @Test
    void wrongTypesAndBadJsonAreBadRecords() {
        assertThatThrownBy(() -> decodeBare("{\"customer_id\":\"five\"}"))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("$.customer_id should be an integer but is string");
        assertThatThrownBy(() -> decodeBare("{\"customer_id\":"))
                .isInstanceOf(WireFormatException.class)
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.MALFORMED_BODY));
        assertThatThrownBy(() -> decodeBare("{\"customer_id\":1, \"day\":\"yesterday\"}"))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("$.day");
    }

    @Test
    void framedJsonIsValidatedAgainstItsSchemaWhenAsked() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        int id =
                registry.register(
                        "orders-value",
                        SchemaDefinition.json(
                                "{\"type\":\"object\",\"properties\":{\"customer_id\":"
                                        + "{\"type\":\"integer\",\"maximum\":100}},"
                                        + "\"required\":[\"customer_id\"]}"));
        JsonRowDataDecoder decoder = new JsonRowDataDecoder(ORDERS, () -> registry, true);
        decoder.open();

        assertThat(decoder.decode(frame(id, "{\"customer_id\":42}")).getInt(0)).isEqualTo(42);
        assertThatThrownBy(() -> decoder.decode(frame(id, "{\"customer_id\":420}")))
                .isInstanceOf(WireFormatException.class)
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.SCHEMA_VIOLATION));
    }

    private static byte[] frame(int id, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat.frame(
                id, body, 0, body.length);
    }
}
