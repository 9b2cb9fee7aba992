package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.fuzz.FuzzTables;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A differential fuzz target for the JSON source's two paths: whatever the bytes, the streaming
 * reader ({@link JsonStreamReaders}, the fast path) and the JSON tree (the reference it falls back
 * to) give the same row or the same error. The fast path exists for speed only; any record on which
 * the two disagree is a finding. Runs as {@code DecoderFuzzTest} does (regression corpus in the
 * build, open-ended sessions by hand: docs/development.md); the corpus is the bare JSON records of
 * {@code FuzzSeeds} over the tables of {@link FuzzTables#JSON}, chosen by the first byte.
 */
class JsonPathsFuzzTest {

    private static final List<JsonRowDataDecoder> DECODERS =
            FuzzTables.JSON.stream().map(JsonPathsFuzzTest::open).toList();

    @FuzzTest(maxDuration = "10m")
    void streamingAgreesWithTree(byte[] input) {
        if (input.length == 0) {
            return;
        }
        JsonRowDataDecoder decoder = FuzzTables.pick(DECODERS, input[0]);
        byte[] record = Arrays.copyOfRange(input, 1, input.length);
        assertThat(JsonStreamReadersTest.outcome(decoder, record, false))
                .as(FuzzTables.pick(FuzzTables.JSON, input[0]).name())
                .isEqualTo(JsonStreamReadersTest.outcome(decoder, record, true));
    }

    private static JsonRowDataDecoder open(FuzzTables.Table table) {
        JsonRowDataDecoder decoder = new JsonRowDataDecoder(table.rowType(), null, false);
        decoder.open();
        return decoder;
    }
}
