package io.github.flinkconfluent.benchmarks;

import io.github.flinkconfluent.benchmarks.proto.Order;
import io.github.flinkconfluent.connector.format.protobuf.ProtobufRowDataDecoder;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.formats.protobuf.PbFormatConfig;
import org.apache.flink.formats.protobuf.deserialize.PbRowDataDeserializationSchema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Protobuf decoding into {@code RowData}: this connector's {@code protobuf} decoder against Flink's
 * own {@code protobuf} format ({@link PbRowDataDeserializationSchema}, which decodes with the
 * protoc-generated {@link Order} class and code it generates for the row), on the same message
 * bytes of an order-like record (8 fields: numbers, strings, some left at their default so absent
 * on the wire). Read the ratio of the scores, not the absolute numbers.
 *
 * <p>Ours reads the records behind the Confluent framing (magic byte, writer id, message index
 * {@code [0]}), as every record of a registry topic arrives, with the schema from an in-process
 * registry once; Flink's format reads the bare message, as it has no registry framing. So ours
 * carries the header's cost and the comparison is, if anything, unfair to ours.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProtobufDecodeBenchmark {

    static final int RECORDS = 1024;

    private static final int SCHEMA_ID = 43;

    /** {@code src/main/protobuf/orders.proto}, the schema text a registry would hold. */
    static final String ORDER_PROTO =
            "syntax = \"proto3\";\n"
                    + "package benchmarks;\n"
                    + "option java_package = \"io.github.flinkconfluent.benchmarks.proto\";\n"
                    + "option java_multiple_files = true;\n"
                    + "message Order {\n"
                    + "  int64 order_id = 1;\n"
                    + "  int32 customer_id = 2;\n"
                    + "  string product = 3;\n"
                    + "  int32 quantity = 4;\n"
                    + "  double price = 5;\n"
                    + "  string currency = 6;\n"
                    + "  int64 created_millis = 7;\n"
                    + "  string note = 8;\n"
                    + "}\n";

    private static final RowType ORDER =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("order_id", DataTypes.BIGINT().notNull()),
                                    DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                    DataTypes.FIELD("product", DataTypes.STRING().notNull()),
                                    DataTypes.FIELD("quantity", DataTypes.INT().notNull()),
                                    DataTypes.FIELD("price", DataTypes.DOUBLE().notNull()),
                                    DataTypes.FIELD("currency", DataTypes.STRING().notNull()),
                                    DataTypes.FIELD("created_millis", DataTypes.BIGINT().notNull()),
                                    DataTypes.FIELD("note", DataTypes.STRING().notNull()))
                            .notNull()
                            .getLogicalType();

    private byte[][] messages;
    private byte[][] framedMessages;
    private ProtobufRowDataDecoder ours;
    private PbRowDataDeserializationSchema flinks;

    @Setup
    public void setUp() throws Exception {
        messages = new byte[RECORDS][];
        framedMessages = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            messages[i] =
                    Order.newBuilder()
                            .setOrderId(1_000_000L + i)
                            .setCustomerId(i % 977)
                            .setProduct("product-" + (i % 100))
                            .setQuantity(1 + i % 5)
                            .setPrice(9.99 * (1 + i % 7))
                            .setCurrency(i % 3 == 0 ? "" : "EUR")
                            .setCreatedMillis(1_700_000_000_000L + i)
                            .setNote(i % 10 == 0 ? "gift wrap please" : "")
                            .build()
                            .toByteArray();
            // Message index path [0]: the single byte 0 after the 5-byte header.
            byte[] indexed = new byte[messages[i].length + 1];
            System.arraycopy(messages[i], 0, indexed, 1, messages[i].length);
            framedMessages[i] = ConfluentWireFormat.frame(SCHEMA_ID, indexed, 0, indexed.length);
        }
        InProcessRegistry.put(SCHEMA_ID, SchemaDefinition.protobuf(ORDER_PROTO));
        ours = new ProtobufRowDataDecoder(ORDER, InProcessRegistry.factory());
        ours.open();
        flinks =
                new PbRowDataDeserializationSchema(
                        ORDER,
                        InternalTypeInfo.of(ORDER),
                        new PbFormatConfig.PbFormatConfigBuilder()
                                .messageClassName(Order.class.getName())
                                .readDefaultValues(true)
                                .build());
        flinks.open(Orders.deserializationContext());
        // Both read the same values, defaults (absent fields) included.
        for (int i : new int[] {0, 7, 10}) {
            Orders.requireSame(
                    "protobuf record " + i,
                    ours.decode(framedMessages[i]),
                    flinks.deserialize(messages[i]));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void confluentConnectorFramed(Blackhole sink) throws Exception {
        for (byte[] record : framedMessages) {
            sink.consume(ours.decode(record));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void flinkProtobufFormat(Blackhole sink) throws Exception {
        for (byte[] record : messages) {
            sink.consume(flinks.deserialize(record));
        }
    }
}
