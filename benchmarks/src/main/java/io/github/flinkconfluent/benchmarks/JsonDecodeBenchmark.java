package io.github.flinkconfluent.benchmarks;

import io.github.flinkconfluent.connector.format.json.JsonRowDataDecoder;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.JsonFormatOptions;
import org.apache.flink.formats.json.JsonParserRowDataDeserializationSchema;
import org.apache.flink.formats.json.JsonRowDataDeserializationSchema;
import org.apache.flink.formats.json.JsonRowDataSerializationSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;

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

import static io.github.flinkconfluent.benchmarks.Orders.ORDER;

/**
 * JSON decoding into {@code RowData}: this connector's decoder against Flink's own {@code json}
 * format on the same bytes of an order-like row (11 columns: numbers, text, a timestamp, nullable
 * fields, a decimal, a nested row, an array), written by Flink's {@code json} format with its
 * default options (so timestamps in its {@code SQL} layout, which both sides read).
 *
 * <ul>
 *   <li>{@code confluentConnector}: bare JSON, {@link JsonRowDataDecoder} without a registry;
 *   <li>{@code confluentConnectorFramed}: the same JSON behind the 5-byte registry header, the
 *       writer id looked up per record in the decoder's map (no validation);
 *   <li>{@code flinkJsonFormat}: what Flink's {@code json} format uses by default ({@code
 *       decode.json-parser.enabled} = true), {@link JsonParserRowDataDeserializationSchema};
 *   <li>{@code flinkJsonFormatTree}: the format with {@code decode.json-parser.enabled} = false,
 *       {@link JsonRowDataDeserializationSchema} (a Jackson tree per record).
 * </ul>
 *
 * Read the ratios of the scores, not the absolute numbers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JsonDecodeBenchmark {

    static final int RECORDS = 1024;
    private static final int SCHEMA_ID = 41;

    private byte[][] records;
    private byte[][] framedRecords;
    private JsonRowDataDecoder ours;
    private JsonRowDataDecoder oursFramed;
    private JsonParserRowDataDeserializationSchema flinks;
    private JsonRowDataDeserializationSchema flinksTree;
    private final RowDataSerializer copier = new RowDataSerializer(ORDER);

    @Setup
    public void setUp() throws Exception {
        JsonRowDataSerializationSchema writer =
                new JsonRowDataSerializationSchema(
                        ORDER,
                        TimestampFormat.SQL,
                        JsonFormatOptions.MapNullKeyMode.FAIL,
                        "null",
                        false,
                        false);
        writer.open(Orders.serializationContext());
        records = new byte[RECORDS][];
        framedRecords = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            records[i] = writer.serialize(Orders.order(i));
            framedRecords[i] =
                    ConfluentWireFormat.frame(SCHEMA_ID, records[i], 0, records[i].length);
        }
        InProcessRegistry.put(SCHEMA_ID, SchemaDefinition.json("{\"type\":\"object\"}"));

        ours = new JsonRowDataDecoder(ORDER, null, false);
        ours.open();
        oursFramed = new JsonRowDataDecoder(ORDER, InProcessRegistry.factory(), false);
        oursFramed.open();
        flinks =
                new JsonParserRowDataDeserializationSchema(
                        ORDER, InternalTypeInfo.of(ORDER), false, false, TimestampFormat.SQL);
        flinks.open(Orders.deserializationContext());
        flinksTree =
                new JsonRowDataDeserializationSchema(
                        ORDER, InternalTypeInfo.of(ORDER), false, false, TimestampFormat.SQL);
        flinksTree.open(Orders.deserializationContext());
        // All read the same values.
        for (int i = 0; i < 20; i++) {
            RowData expected = Orders.order(i);
            Orders.requireSame("ours, record " + i, ours.decode(records[i]), expected);
            Orders.requireSame(
                    "ours framed, record " + i, oursFramed.decode(framedRecords[i]), expected);
            Orders.requireSame("Flink's, record " + i, flinks.deserialize(records[i]), expected);
            Orders.requireSame(
                    "Flink's tree, record " + i, flinksTree.deserialize(records[i]), expected);
        }
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
    public void flinkJsonFormat(Blackhole sink) throws Exception {
        for (byte[] record : records) {
            sink.consume(flinks.deserialize(record));
        }
    }

    /**
     * Decoded, then copied as the operator chained after a source copies each row when object reuse
     * is off (Flink's default): what a record costs before the next operator sees it.
     */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void confluentConnectorThenCopied(Blackhole sink) throws Exception {
        for (byte[] record : records) {
            sink.consume(copier.copy(ours.decode(record)));
        }
    }

    /** As {@link #confluentConnectorThenCopied}, with Flink's default {@code json} decoder. */
    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void flinkJsonFormatThenCopied(Blackhole sink) throws Exception {
        for (byte[] record : records) {
            sink.consume(copier.copy(flinks.deserialize(record)));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void flinkJsonFormatTree(Blackhole sink) throws Exception {
        for (byte[] record : records) {
            sink.consume(flinksTree.deserialize(record));
        }
    }
}
