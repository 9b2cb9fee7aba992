package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Run in its own small-heap JVM by {@link AvroItemBudgetSmallHeapTest}: decodes the hostile
 * record (10^9 zero-byte items in about 3 KiB) through every Avro decoding path with the default
 * item budget, each followed by a good record. Prints one line per attempt and exits with 0 when
 * every hostile record was the per-record {@code LIMIT_EXCEEDED} error and every good record
 * decoded; a decoder without a per-record budget runs out of memory (or loops for minutes).
 */
public final class HostileAvroDecoding {

    private HostileAvroDecoding() {}

    /** One way of decoding a framed record. */
    private interface Path {
        Object decode(byte[] message) throws WireFormatException;
    }

    public static void main(String[] args) throws Exception {
        System.out.println("max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        int failures = 0;
        for (Map.Entry<String, Schema> item :
                Map.of(
                                "null", HostileAvro.NULL,
                                "empty record", HostileAvro.EMPTY_RECORD,
                                "fixed(0)", HostileAvro.FIXED_0)
                        .entrySet()) {
            InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
            Schema writer = HostileAvro.orderWith(HostileAvro.arrayOf(item.getValue()));
            int id = registry.register("orders-value", SchemaDefinition.avro(writer.toString()));
            Map<String, byte[]> shapes =
                    Map.of(
                            "3 KiB",
                            HostileAvro.orderWithZeroByteItems(1, 2),
                            "1 MiB",
                            HostileAvro.concat(
                                    HostileAvro.order(1, 2),
                                    HostileAvro.zeroByteBlocks(350_000, 1000)));
            byte[] goodBody =
                    HostileAvro.concat(HostileAvro.order(3, 4), HostileAvro.zeroByteBlocks(1, 5));
            byte[] good = ConfluentWireFormat.frame(id, goodBody, 0, goodBody.length);

            List<String> names = new ArrayList<>();
            List<Path> paths = new ArrayList<>();
            names.add("row decoder skipping the field");
            paths.add(rowDecoder(registry)::decode);
            names.add("row decoder, JSON column");
            paths.add(rowDecoder(registry, DataTypes.STRING().notNull())::decode);
            if (item.getValue() == HostileAvro.NULL) {
                names.add("row decoder, ARRAY<INT> column");
                paths.add(rowDecoder(registry, DataTypes.ARRAY(DataTypes.INT()))::decode);
            }
            if (item.getValue() == HostileAvro.FIXED_0) {
                names.add("row decoder, ARRAY<BYTES> column");
                paths.add(rowDecoder(registry, DataTypes.ARRAY(DataTypes.BYTES()))::decode);
            }
            names.add("GenericRecord deserializer, writer schema (validate command)");
            paths.add(new AvroRegistryDeserializer(registry, null)::deserialize);
            names.add("GenericRecord deserializer, reader schema without the field");
            paths.add(new AvroRegistryDeserializer(registry, HostileAvro.ORDER)::deserialize);

            for (Map.Entry<String, byte[]> shape : shapes.entrySet()) {
                byte[] body = shape.getValue();
                byte[] hostile = ConfluentWireFormat.frame(id, body, 0, body.length);
                for (int i = 0; i < paths.size(); i++) {
                    String what =
                            shape.getKey()
                                    + ", "
                                    + item.getKey()
                                    + " items, "
                                    + names.get(i)
                                    + ": ";
                    try {
                        paths.get(i).decode(hostile);
                        System.out.println(what + "decoded, NOT expected");
                        failures++;
                    } catch (WireFormatException e) {
                        System.out.println(what + e.reason());
                        if (e.reason() != WireFormatException.Reason.LIMIT_EXCEEDED) {
                            failures++;
                        }
                    }
                    paths.get(i).decode(good); // the next record decodes as usual
                }
            }
        }
        System.out.println(failures == 0 ? "all as expected" : failures + " unexpected");
        System.exit(failures == 0 ? 0 : 2);
    }

    private static RowDecoder rowDecoder(InMemorySchemaRegistry registry, DataType... junk) {
        List<DataTypes.Field> fields = new ArrayList<>();
        fields.add(DataTypes.FIELD("customer_id", DataTypes.INT().notNull()));
        fields.add(DataTypes.FIELD("order_id", DataTypes.INT().notNull()));
        for (DataType type : junk) {
            fields.add(DataTypes.FIELD("junk", type));
        }
        RowType rowType =
                (RowType) DataTypes.ROW(fields.toArray(new DataTypes.Field[0])).getLogicalType();
        AvroRowDataDecoder decoder = new AvroRowDataDecoder(rowType, "record", () -> registry);
        decoder.open();
        return decoder;
    }
}
