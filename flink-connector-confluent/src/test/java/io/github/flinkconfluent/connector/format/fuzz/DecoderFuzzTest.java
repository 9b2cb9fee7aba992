package io.github.flinkconfluent.connector.format.fuzz;

import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;

import org.apache.flink.table.data.RowData;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzz targets (Jazzer) for every decoder a record can reach: the row decoders
 * (Avro and JSON, registry-framed and bare, Protobuf, raw, value- and key-shaped tables) and the
 * registry deserializers (Avro {@code GenericRecord}, JSON {@code JsonNode}).
 *
 * <p>The contract under test is what {@code bad_data} relies on: whatever the bytes, a decoder
 * returns a row of the table's arity or throws {@link WireFormatException} with a reason and a
 * message. Any other exception, an {@link OutOfMemoryError} (the build runs these with a 256 MiB
 * heap), a {@link StackOverflowError}, or an input that takes longer than the per-input budget is a
 * finding. The budget, 10 seconds for records that take milliseconds, is the JUnit timeout {@code
 * junit.jupiter.execution.timeout.testtemplate.method.default} set for these tests in the module's
 * pom; Jazzer passes it to libFuzzer as {@code -timeout} when fuzzing (where JUnit's own timeout is
 * switched off, as it would otherwise time the whole session).
 *
 * <p>In the build ({@code ./mvnw verify}) each target replays its regression corpus under {@code
 * src/test/resources/.../DecoderFuzzTestInputs/<target>/}: the hostile inputs of issue 15 and every
 * finding so far ({@link FuzzSeeds} writes the seeds; {@link FuzzSeedsTest} keeps them in step). An
 * open-ended session (docs/development.md) runs one target with {@code JAZZER_FUZZ=1}; findings
 * land in that directory and become regression inputs once committed.
 *
 * <p>An input's first byte chooses the table (or deserializer), the rest is the record.
 */
class DecoderFuzzTest {

    /**
     * Builds the tables (schemas parsed, decoders opened) before the first input, whose 10-second
     * budget would otherwise include that set-up on a loaded machine.
     */
    @BeforeAll
    static void buildTables() {
        assertThat(FuzzTables.AVRO_FRAMED).isNotEmpty();
        assertThat(FuzzTables.PROTOBUF_ROWS).isNotEmpty();
    }

    @FuzzTest(maxDuration = "10m")
    void avroRowsFramed(byte[] input) {
        decodeRow(FuzzTables.AVRO_FRAMED, FuzzTables.AVRO, input);
    }

    @FuzzTest(maxDuration = "10m")
    void avroRowsBare(byte[] input) {
        decodeRow(FuzzTables.AVRO_BARE, FuzzTables.AVRO, input);
    }

    @FuzzTest(maxDuration = "10m")
    void jsonRowsFramed(byte[] input) {
        decodeRow(FuzzTables.JSON_FRAMED, FuzzTables.JSON, input);
    }

    @FuzzTest(maxDuration = "10m")
    void jsonRowsBare(byte[] input) {
        decodeRow(FuzzTables.JSON_BARE, FuzzTables.JSON, input);
    }

    @FuzzTest(maxDuration = "10m")
    void protobufRows(byte[] input) {
        decodeRow(FuzzTables.PROTOBUF_ROWS, FuzzTables.PROTOBUF, input);
    }

    @FuzzTest(maxDuration = "10m")
    void rawRows(byte[] input) {
        if (input.length == 0) {
            return;
        }
        try {
            RowData row = FuzzTables.pick(FuzzTables.RAW, input[0]).decode(record(input));
            assertThat(row.getArity()).isEqualTo(1);
        } catch (WireFormatException e) {
            checkReported(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void avroRecords(byte[] input) {
        if (input.length == 0) {
            return;
        }
        try {
            FuzzTables.pick(FuzzTables.AVRO_RECORDS, input[0]).deserialize(record(input));
        } catch (WireFormatException e) {
            checkReported(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void jsonRecords(byte[] input) {
        if (input.length == 0) {
            return;
        }
        try {
            FuzzTables.pick(FuzzTables.JSON_RECORDS, input[0]).deserialize(record(input));
        } catch (WireFormatException e) {
            checkReported(e);
        }
    }

    private static void decodeRow(
            List<RowDecoder> decoders, List<FuzzTables.Table> tables, byte[] input) {
        if (input.length == 0) {
            return;
        }
        FuzzTables.Table table = FuzzTables.pick(tables, input[0]);
        try {
            RowData row = FuzzTables.pick(decoders, input[0]).decode(record(input));
            assertThat(row.getArity()).as(table.name()).isEqualTo(table.rowType().getFieldCount());
        } catch (WireFormatException e) {
            checkReported(e);
        }
    }

    private static byte[] record(byte[] input) {
        return Arrays.copyOfRange(input, 1, input.length);
    }

    /** A rejection must say why: a reason and a message a user can act on. */
    private static void checkReported(WireFormatException e) {
        assertThat(e.reason()).isNotNull();
        assertThat(e.getMessage()).isNotBlank();
    }
}
