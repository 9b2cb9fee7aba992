package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.ProtobufMessageIndexes;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Int32Value;
import com.google.protobuf.StringValue;
import com.google.protobuf.Timestamp;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Confluent-framed Protobuf decoded straight into rows: the mapping of every kind of field,
 * presence, evolution by field number, message indexes, and bad input as bad records.
 */
class ProtobufRowDataDecoderTest {

    private static final String ORDER =
            """
            syntax = "proto3";
            package shop;
            import "google/protobuf/timestamp.proto";
            import "google/protobuf/wrappers.proto";
            message Order {
              int64 id = 1;
              string customer = 2;
              repeated double prices = 3;
              map<string, Line> lines = 4;
              Status status = 5;
              google.protobuf.Timestamp placed_at = 6;
              google.protobuf.StringValue note = 7;
              optional int32 priority = 8;
              oneof payment {
                string card = 9;
                Cash cash = 10;
              }
              bytes blob = 11;
              uint64 big = 12;
              uint32 medium = 13;
              sint32 delta = 14;
              bool paid = 15;
              float ratio = 16;
              Line first = 17;
              Node tree = 18;
              google.protobuf.Int32Value count = 19;
              repeated Line all = 20;
              message Line { string sku = 1; int32 quantity = 2; }
              message Cash { int64 cents = 1; }
              enum Status { STATUS_UNKNOWN = 0; STATUS_OPEN = 1; }
            }
            message Node { string name = 1; repeated Node children = 2; }
            """;

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void everyKindOfFieldMapsToItsColumn() throws Exception {
        int id = registry.register("orders-value", SchemaDefinition.protobuf(ORDER));
        Descriptor order = descriptor(ORDER, "Order");
        DataType columns = ProtobufToSql.toRowType(order);
        assertThat(columns.getLogicalType().asSerializableString())
                .isEqualTo(
                        "ROW<`id` BIGINT NOT NULL, `customer` VARCHAR(2147483647) NOT NULL,"
                            + " `prices` ARRAY<DOUBLE NOT NULL> NOT NULL, `lines`"
                            + " MAP<VARCHAR(2147483647) NOT NULL, ROW<`sku` VARCHAR(2147483647) NOT"
                            + " NULL, `quantity` INT NOT NULL>> NOT NULL, `status`"
                            + " VARCHAR(2147483647) NOT NULL, `placed_at` TIMESTAMP(9) WITH LOCAL"
                            + " TIME ZONE, `note` VARCHAR(2147483647), `priority` INT, `payment`"
                            + " VARCHAR(2147483647), `blob` VARBINARY(2147483647) NOT NULL, `big`"
                            + " DECIMAL(20, 0) NOT NULL, `medium` BIGINT NOT NULL, `delta` INT NOT"
                            + " NULL, `paid` BOOLEAN NOT NULL, `ratio` FLOAT NOT NULL, `first`"
                            + " ROW<`sku` VARCHAR(2147483647) NOT NULL, `quantity` INT NOT NULL>,"
                            + " `tree` ROW<`name` VARCHAR(2147483647) NOT NULL, `children`"
                            + " ARRAY<VARCHAR(2147483647) NOT NULL> NOT NULL>, `count` INT, `all`"
                            + " ARRAY<ROW<`sku` VARCHAR(2147483647) NOT NULL, `quantity` INT NOT"
                            + " NULL> NOT NULL> NOT NULL> NOT NULL");

        Descriptor line = order.findNestedTypeByName("Line");
        Descriptor node = order.getFile().findMessageTypeByName("Node");
        DynamicMessage message =
                DynamicMessage.newBuilder(order)
                        .setField(order.findFieldByName("id"), 42L)
                        .setField(order.findFieldByName("customer"), "ada")
                        .addRepeatedField(order.findFieldByName("prices"), 1.5)
                        .addRepeatedField(order.findFieldByName("prices"), 2.5)
                        .addRepeatedField(
                                order.findFieldByName("lines"),
                                entry(order, "lines", "k1", line(line, "sku-1", 3)))
                        .setField(
                                order.findFieldByName("status"),
                                order.findEnumTypeByName("Status").findValueByName("STATUS_OPEN"))
                        .setField(
                                order.findFieldByName("placed_at"),
                                Timestamp.newBuilder()
                                        .setSeconds(1_700_000_000L)
                                        .setNanos(123_456_789)
                                        .build())
                        .setField(order.findFieldByName("note"), StringValue.of("gift"))
                        .setField(order.findFieldByName("priority"), 0)
                        .setField(
                                order.findFieldByName("cash"),
                                DynamicMessage.newBuilder(order.findNestedTypeByName("Cash"))
                                        .setField(
                                                order.findNestedTypeByName("Cash")
                                                        .findFieldByName("cents"),
                                                250L)
                                        .build())
                        .setField(
                                order.findFieldByName("blob"),
                                ByteString.copyFrom(new byte[] {1, 2}))
                        .setField(order.findFieldByName("big"), -1L)
                        .setField(order.findFieldByName("medium"), -1)
                        .setField(order.findFieldByName("delta"), -7)
                        .setField(order.findFieldByName("paid"), true)
                        .setField(order.findFieldByName("ratio"), 0.25f)
                        .setField(order.findFieldByName("first"), line(line, "sku-0", 1))
                        .setField(
                                order.findFieldByName("tree"),
                                DynamicMessage.newBuilder(node)
                                        .setField(node.findFieldByName("name"), "root")
                                        .addRepeatedField(
                                                node.findFieldByName("children"),
                                                DynamicMessage.newBuilder(node)
                                                        .setField(
                                                                node.findFieldByName("name"),
                                                                "leaf")
                                                        .build())
                                        .build())
                        .setField(order.findFieldByName("count"), Int32Value.of(0))
                        .addRepeatedField(order.findFieldByName("all"), line(line, "a", 1))
                        .addRepeatedField(order.findFieldByName("all"), line(line, "b", 2))
                        .build();

        RowData row = decoder((RowType) columns.getLogicalType()).decode(framed(id, message));

        assertThat(row.getLong(0)).isEqualTo(42L);
        assertThat(row.getString(1).toString()).isEqualTo("ada");
        assertThat(row.getArray(2).toDoubleArray()).containsExactly(1.5, 2.5);
        MapData lines = row.getMap(3);
        assertThat(lines.size()).isEqualTo(1);
        assertThat(lines.keyArray().getString(0).toString()).isEqualTo("k1");
        assertThat(lines.valueArray().getRow(0, 2).getString(0).toString()).isEqualTo("sku-1");
        assertThat(lines.valueArray().getRow(0, 2).getInt(1)).isEqualTo(3);
        assertThat(row.getString(4).toString()).isEqualTo("STATUS_OPEN");
        TimestampData placed = row.getTimestamp(5, 9);
        assertThat(placed.toInstant())
                .isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
        assertThat(row.getString(6).toString()).isEqualTo("gift");
        assertThat(row.isNullAt(7)).isFalse(); // optional, set to its default: present
        assertThat(row.getInt(7)).isEqualTo(0);
        assertThat(row.getString(8).toString()).isEqualTo("{\"cash\":{\"cents\":250}}");
        assertThat(row.getBinary(9)).containsExactly(1, 2);
        assertThat(row.getDecimal(10, 20, 0).toBigDecimal())
                .isEqualTo(new BigDecimal("18446744073709551615"));
        assertThat(row.getLong(11)).isEqualTo(4294967295L);
        assertThat(row.getInt(12)).isEqualTo(-7);
        assertThat(row.getBoolean(13)).isTrue();
        assertThat(row.getFloat(14)).isEqualTo(0.25f);
        assertThat(row.getRow(15, 2).getString(0).toString()).isEqualTo("sku-0");
        RowData tree = row.getRow(16, 2);
        assertThat(tree.getString(0).toString()).isEqualTo("root");
        assertThat(tree.getArray(1).getString(0).toString())
                .isEqualTo("{\"name\":\"leaf\"}"); // recursion: a JSON column
        assertThat(row.isNullAt(17)).isFalse();
        assertThat(row.getInt(17)).isEqualTo(0);
        ArrayData all = row.getArray(18);
        assertThat(all.size()).isEqualTo(2);
        assertThat(all.getRow(1, 2).getString(0).toString()).isEqualTo("b");
    }

    @Test
    void absentFieldsReadAsDefaultsOrNullByPresence() throws Exception {
        int id = registry.register("orders-value", SchemaDefinition.protobuf(ORDER));
        Descriptor order = descriptor(ORDER, "Order");
        RowType columns = (RowType) ProtobufToSql.toRowType(order).getLogicalType();
        RowData row = decoder(columns).decode(framed(id, DynamicMessage.getDefaultInstance(order)));
        assertThat(row.getLong(0)).isZero();
        assertThat(row.getString(1).toString()).isEmpty();
        assertThat(row.getArray(2).size()).isZero();
        assertThat(row.getMap(3).size()).isZero();
        assertThat(row.getString(4).toString()).isEqualTo("STATUS_UNKNOWN");
        for (int nullable : new int[] {5, 6, 7, 8, 15, 16, 17}) {
            assertThat(row.isNullAt(nullable)).as("column %d", nullable).isTrue();
        }
        assertThat(row.getBinary(9)).isEmpty();
        assertThat(row.getDecimal(10, 20, 0).toBigDecimal()).isEqualByComparingTo("0");
    }

    @Test
    void evolutionReadsByFieldNumberThroughTheLatestSchema() throws Exception {
        String v1 =
                "syntax = \"proto3\"; package shop;"
                        + " message Order { int32 id = 1; string name = 2; int32 dropped = 3; }";
        String v2 =
                "syntax = \"proto3\"; package shop;"
                        + " message Other { string x = 1; }"
                        + " message Order { int64 id = 1; string full_name = 2;"
                        + " optional string note = 4; }";
        int v1Id = registry.register("orders-value", SchemaDefinition.protobuf(v1));
        int v2Id = registry.register("orders-value", SchemaDefinition.protobuf(v2));
        RowType columns =
                rowType(
                        DataTypes.ROW(
                                DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                                DataTypes.FIELD("full_name", DataTypes.STRING().notNull()),
                                DataTypes.FIELD("note", DataTypes.STRING())));
        ProtobufRowDataDecoder decoder =
                new ProtobufRowDataDecoder(columns, () -> registry)
                        .withLatestSchema(SchemaDefinition.protobuf(v2));
        decoder.open();

        Descriptor order1 = descriptor(v1, "Order");
        DynamicMessage old =
                DynamicMessage.newBuilder(order1)
                        .setField(order1.findFieldByName("id"), 7)
                        .setField(order1.findFieldByName("name"), "ada")
                        .setField(order1.findFieldByName("dropped"), 99)
                        .build();
        RowData fromOld = decoder.decode(framed(v1Id, old));
        assertThat(fromOld.getLong(0)).isEqualTo(7L);
        assertThat(fromOld.getString(1).toString()).isEqualTo("ada");
        assertThat(fromOld.isNullAt(2)).isTrue();

        Descriptor order2 = descriptor(v2, "Order");
        DynamicMessage current =
                DynamicMessage.newBuilder(order2)
                        .setField(order2.findFieldByName("id"), 8L)
                        .setField(order2.findFieldByName("full_name"), "bob")
                        .setField(order2.findFieldByName("note"), "n")
                        .build();
        // Order is the second message of v2: index path [1].
        RowData fromNew = decoder.decode(framed(v2Id, new int[] {1}, current));
        assertThat(fromNew.getLong(0)).isEqualTo(8L);
        assertThat(fromNew.getString(2).toString()).isEqualTo("n");
    }

    @Test
    void nestedMessagesAreSelectedByTheirIndexPath() throws Exception {
        String text =
                "syntax = \"proto3\"; message A { message B { string b = 1; } string a = 1; }";
        int id = registry.register("t-value", SchemaDefinition.protobuf(text));
        Descriptor b = descriptor(text, "A").findNestedTypeByName("B");
        RowType columns = rowType(DataTypes.ROW(DataTypes.FIELD("b", DataTypes.STRING())));
        RowData row =
                decoder(columns)
                        .decode(
                                framed(
                                        id,
                                        new int[] {0, 0},
                                        DynamicMessage.newBuilder(b)
                                                .setField(b.findFieldByName("b"), "x")
                                                .build()));
        assertThat(row.getString(0).toString()).isEqualTo("x");
        assertThatThrownBy(
                        () ->
                                decoder(columns)
                                        .decode(
                                                framed(
                                                        id,
                                                        new int[] {0, 3},
                                                        DynamicMessage.getDefaultInstance(b))))
                .isInstanceOf(WireFormatException.class)
                .satisfies(e -> assertThat(reason(e)).isEqualTo(Reason.MALFORMED_BODY))
                .hasMessageContaining("[0, 3]");
    }

    @Test
    void badInputIsABadRecord() throws Exception {
        int id = registry.register("orders-value", SchemaDefinition.protobuf(ORDER));
        Descriptor order = descriptor(ORDER, "Order");
        RowType columns = (RowType) ProtobufToSql.toRowType(order).getLogicalType();
        ProtobufRowDataDecoder decoder = decoder(columns);
        byte[] good =
                framed(
                        id,
                        DynamicMessage.newBuilder(order)
                                .setField(order.findFieldByName("customer"), "a long customer name")
                                .build());
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        assertThat(reasonOf(decoder, truncated)).isEqualTo(Reason.TRUNCATED_BODY);
        byte[] badWireType = Arrays.copyOf(good, good.length + 1);
        badWireType[good.length] = 0x0f; // field 1 with wire type 7, which does not exist
        assertThat(reasonOf(decoder, badWireType)).isEqualTo(Reason.MALFORMED_BODY);

        int avro = registry.register("x-value", SchemaDefinition.avro("\"string\""));
        assertThat(reasonOf(decoder, framed(avro, DynamicMessage.getDefaultInstance(order))))
                .isEqualTo(Reason.WRONG_SCHEMA_TYPE);
        // An Avro record whose body is not a valid index path: still its schema type is named.
        assertThat(reasonOf(decoder, ConfluentWireFormat.frame(avro, new byte[] {1}, 0, 1)))
                .isEqualTo(Reason.WRONG_SCHEMA_TYPE);

        RowType wrongType =
                rowType(DataTypes.ROW(DataTypes.FIELD("customer", DataTypes.INT().notNull())));
        assertThatThrownBy(() -> decoder(wrongType).decode(good))
                .isInstanceOf(WireFormatException.class)
                .satisfies(e -> assertThat(reason(e)).isEqualTo(Reason.INCOMPATIBLE_SCHEMA))
                .hasMessageContaining("Order.customer")
                .hasMessageContaining("string");

        RowType missingNotNull =
                rowType(
                        DataTypes.ROW(
                                DataTypes.FIELD(
                                        "first",
                                        DataTypes.ROW(DataTypes.FIELD("sku", DataTypes.STRING()))
                                                .notNull())));
        assertThat(reasonOf(decoder(missingNotNull), good)).isEqualTo(Reason.SCHEMA_VIOLATION);
    }

    @Test
    void nestingBeyondTheLimitIsABadRecordNotAStackOverflow() throws Exception {
        String text = "syntax = \"proto3\"; message N { N child = 1; int32 v = 2; }";
        int id = registry.register("n-value", SchemaDefinition.protobuf(text));
        RowType columns =
                rowType(
                        DataTypes.ROW(
                                DataTypes.FIELD("child", DataTypes.STRING()),
                                DataTypes.FIELD("v", DataTypes.INT().notNull())));
        // 10 000 levels of field 1 (tag 0x0a), each one byte longer than the one inside it.
        byte[] body = new byte[0];
        for (int i = 0; i < 10_000; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0x0a);
            int length = body.length;
            while ((length & ~0x7f) != 0) {
                out.write((length & 0x7f) | 0x80);
                length >>>= 7;
            }
            out.write(length);
            out.writeBytes(body);
            body = out.toByteArray();
        }
        assertThat(reasonOf(decoder(columns), frame(id, new int[] {0}, body)))
                .isEqualTo(Reason.MALFORMED_BODY);
    }

    private static Reason reason(Throwable e) {
        return ((WireFormatException) e).reason();
    }

    private static Reason reasonOf(ProtobufRowDataDecoder decoder, byte[] bytes) {
        try {
            decoder.decode(bytes);
        } catch (WireFormatException e) {
            return e.reason();
        }
        throw new AssertionError("decoded without an error");
    }

    private ProtobufRowDataDecoder decoder(RowType rowType) {
        ProtobufRowDataDecoder decoder = new ProtobufRowDataDecoder(rowType, () -> registry);
        decoder.open();
        return decoder;
    }

    private Descriptor descriptor(String text, String message) {
        return RegistryProtobufSchemas.build(SchemaDefinition.protobuf(text), registry)
                .findMessageTypeByName(message);
    }

    private static RowType rowType(DataType type) {
        return (RowType) type.getLogicalType();
    }

    private static DynamicMessage line(Descriptor line, String sku, int quantity) {
        return DynamicMessage.newBuilder(line)
                .setField(line.findFieldByName("sku"), sku)
                .setField(line.findFieldByName("quantity"), quantity)
                .build();
    }

    private static DynamicMessage entry(
            Descriptor message, String field, Object key, Object value) {
        Descriptor entry = message.findFieldByName(field).getMessageType();
        return DynamicMessage.newBuilder(entry)
                .setField(entry.findFieldByName("key"), key)
                .setField(entry.findFieldByName("value"), value)
                .build();
    }

    static byte[] framed(int id, DynamicMessage message) {
        return framed(id, new int[] {0}, message);
    }

    static byte[] framed(int id, int[] indexes, DynamicMessage message) {
        return frame(id, indexes, message.toByteArray());
    }

    static byte[] frame(int id, int[] indexes, byte[] body) {
        byte[] path = ProtobufMessageIndexes.encode(indexes);
        byte[] payload = new byte[path.length + body.length];
        System.arraycopy(path, 0, payload, 0, path.length);
        System.arraycopy(body, 0, payload, path.length, body.length);
        return ConfluentWireFormat.frame(id, payload, 0, payload.length);
    }
}
