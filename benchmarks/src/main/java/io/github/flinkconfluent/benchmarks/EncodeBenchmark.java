package io.github.flinkconfluent.benchmarks;

import io.github.flinkconfluent.connector.format.avro.AvroRowDataDecoder;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataEncoder;
import io.github.flinkconfluent.connector.format.json.JsonRowDataDecoder;
import io.github.flinkconfluent.connector.format.json.JsonRowDataEncoder;

import org.apache.flink.formats.avro.AvroRowDataDeserializationSchema;
import org.apache.flink.formats.avro.AvroRowDataSerializationSchema;
import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.JsonFormatOptions;
import org.apache.flink.formats.json.JsonRowDataSerializationSchema;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;

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
 * Encoding {@code RowData} into bare JSON and bare Avro: this connector's encoders against Flink's
 * own {@code json} and {@code avro} formats, on the same order-like rows (see {@link Orders}). The
 * setup checks that each side's bytes read back as the rows written. Read the ratios of the scores,
 * not the absolute numbers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EncodeBenchmark {

    static final int RECORDS = 1024;

    private RowData[] rows;
    private JsonRowDataEncoder oursJson;
    private JsonRowDataSerializationSchema flinksJson;
    private AvroRowDataEncoder oursAvro;
    private AvroRowDataSerializationSchema flinksAvro;

    @Setup
    public void setUp() throws Exception {
        rows = new RowData[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            rows[i] = Orders.order(i);
        }
        oursJson = new JsonRowDataEncoder(ORDER, null, "orders-value");
        oursJson.open();
        flinksJson =
                new JsonRowDataSerializationSchema(
                        ORDER,
                        TimestampFormat.SQL,
                        JsonFormatOptions.MapNullKeyMode.FAIL,
                        "null",
                        false,
                        false);
        flinksJson.open(Orders.serializationContext());
        oursAvro = new AvroRowDataEncoder(ORDER, "record", null, "orders-value");
        oursAvro.open();
        flinksAvro = new AvroRowDataSerializationSchema(ORDER);
        flinksAvro.open(Orders.serializationContext());

        // Each side's bytes read back as the rows written: JSON by this connector's decoder
        // (which reads both timestamp layouts), Avro by each side's own decoder.
        JsonRowDataDecoder json = new JsonRowDataDecoder(ORDER, null, false);
        json.open();
        AvroRowDataDecoder avro = new AvroRowDataDecoder(ORDER, "record", null);
        avro.open();
        AvroRowDataDeserializationSchema flinksAvroReader =
                new AvroRowDataDeserializationSchema(ORDER, InternalTypeInfo.of(ORDER));
        flinksAvroReader.open(Orders.deserializationContext());
        for (int i = 0; i < 20; i++) {
            RowData row = rows[i];
            Orders.requireSame("our JSON, row " + i, json.decode(oursJson.encode(rows[i])), row);
            Orders.requireSame(
                    "Flink's JSON, row " + i, json.decode(flinksJson.serialize(rows[i])), row);
            Orders.requireSame("our Avro, row " + i, avro.decode(oursAvro.encode(rows[i])), row);
            Orders.requireSame(
                    "Flink's Avro, row " + i,
                    flinksAvroReader.deserialize(flinksAvro.serialize(rows[i])),
                    row);
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void jsonConfluentConnector(Blackhole sink) {
        for (RowData row : rows) {
            sink.consume(oursJson.encode(row));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void jsonFlinkFormat(Blackhole sink) {
        for (RowData row : rows) {
            sink.consume(flinksJson.serialize(row));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void avroConfluentConnector(Blackhole sink) {
        for (RowData row : rows) {
            sink.consume(oursAvro.encode(row));
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public void avroFlinkFormat(Blackhole sink) {
        for (RowData row : rows) {
            sink.consume(flinksAvro.serialize(row));
        }
    }
}
