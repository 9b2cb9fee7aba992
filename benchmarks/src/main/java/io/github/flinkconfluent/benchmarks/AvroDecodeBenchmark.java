package io.github.flinkconfluent.benchmarks;

import io.github.flinkconfluent.connector.format.avro.AvroRowDataDecoder;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataEncoder;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.formats.avro.AvroRowDataDeserializationSchema;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
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
 * Avro decoding into {@code RowData}: this connector's decoder against Flink's own {@code avro}
 * format ({@link AvroRowDataDeserializationSchema}), on the same bare Avro bytes of an order-like
 * record (8 columns: numbers, strings, a timestamp, nullable fields). Read the ratio of the two
 * scores, not the absolute numbers.
 *
 * <p>{@code confluentConnectorFramed} decodes the same bodies behind the 5-byte registry header
 * (magic byte and writer id, looked up per record in the decoder's map of compiled writers; the
 * writer schema comes from an in-process registry once): its score against {@code
 * confluentConnector} is the cost of the framing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AvroDecodeBenchmark {

    static final int RECORDS = 1024;

    private static final int SCHEMA_ID = 42;

    private static final RowType ORDER =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("order_id", DataTypes.BIGINT().notNull()),
                                    DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                    DataTypes.FIELD("product", DataTypes.STRING().notNull()),
                                    DataTypes.FIELD("quantity", DataTypes.INT().notNull()),
                                    DataTypes.FIELD("price", DataTypes.DOUBLE().notNull()),
                                    DataTypes.FIELD("currency", DataTypes.STRING()),
                                    DataTypes.FIELD("created", DataTypes.TIMESTAMP(3).notNull()),
                                    DataTypes.FIELD("note", DataTypes.STRING()))
                            .notNull()
                            .getLogicalType();

    private byte[][] records;
    private byte[][] framedRecords;
    private AvroRowDataDecoder ours;
    private AvroRowDataDecoder oursFramed;
    private AvroRowDataDeserializationSchema flinks;

    @Setup
    public void setUp() throws Exception {
        AvroRowDataEncoder encoder = new AvroRowDataEncoder(ORDER, "record", null, "orders-value");
        encoder.open();
        records = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            records[i] =
                    encoder.encode(
                            GenericRowData.of(
                                    1_000_000L + i,
                                    i % 977,
                                    StringData.fromString("product-" + (i % 100)),
                                    1 + i % 5,
                                    9.99 * (1 + i % 7),
                                    i % 3 == 0 ? null : StringData.fromString("EUR"),
                                    TimestampData.fromEpochMillis(1_700_000_000_000L + i),
                                    i % 10 == 0
                                            ? StringData.fromString("gift wrap please")
                                            : null));
        }
        framedRecords = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            framedRecords[i] =
                    ConfluentWireFormat.frame(SCHEMA_ID, records[i], 0, records[i].length);
        }
        InProcessRegistry.put(SCHEMA_ID, SchemaDefinition.avro(encoder.schema().toString()));
        ours = new AvroRowDataDecoder(ORDER, "record", null);
        ours.open();
        oursFramed = new AvroRowDataDecoder(ORDER, "record", InProcessRegistry.factory());
        oursFramed.open();
        flinks = new AvroRowDataDeserializationSchema(ORDER, InternalTypeInfo.of(ORDER));
        flinks.open(Orders.deserializationContext());
        // Both read the same values.
        if (!ours.decode(records[7]).toString().equals(flinks.deserialize(records[7]).toString())) {
            throw new IllegalStateException(
                    ours.decode(records[7]) + " != " + flinks.deserialize(records[7]));
        }
        Orders.requireSame("framed", oursFramed.decode(framedRecords[7]), ours.decode(records[7]));
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void confluentConnector(Blackhole sink) throws Exception {
        for (byte[] record : records) {
            sink.consume(ours.decode(record));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void confluentConnectorFramed(Blackhole sink) throws Exception {
        for (byte[] record : framedRecords) {
            sink.consume(oursFramed.decode(record));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void flinkAvroFormat(Blackhole sink) throws Exception {
        for (byte[] record : records) {
            sink.consume(flinks.deserialize(record));
        }
    }
}
