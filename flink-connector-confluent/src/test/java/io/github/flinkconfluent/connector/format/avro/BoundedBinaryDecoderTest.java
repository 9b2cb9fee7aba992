package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.avro.BoundedBinaryDecoder.BadAvroDataException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.github.flinkconfluent.connector.format.avro.HostileAvro.EMPTY_RECORD;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.FIXED_0;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.ITEMS_PER_BLOCK;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.NULL;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.ORDER;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.arrayOf;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.concat;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.mapOf;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.order;
import static io.github.flinkconfluent.connector.format.avro.HostileAvro.orderWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One item budget per record, its size in bytes plus an allowance for items that take none, charged
 * for every array item and map entry the decoder hands to Avro's readers and to the resolving
 * decoder's skipping, at any depth. The work is counted at the {@link org.apache.avro.io.Decoder}
 * interface by {@link CountingDecoder}, outside the decoder under test: a decoder without a
 * per-record budget hands out a billion items for a 3 KiB record.
 */
class BoundedBinaryDecoderTest {

    /** Two and a half blocks of the hostile record: two are read, the third is refused. */
    private static final int ALLOWANCE = 2_500_000;

    static List<Schema> zeroByteItems() {
        return List.of(NULL, EMPTY_RECORD, FIXED_0);
    }

    @ParameterizedTest
    @MethodSource("zeroByteItems")
    void skippingAWriterOnlyArrayOfZeroByteItemsStopsAtTheRecordsBudget(Schema item) {
        Schema writer = orderWith(arrayOf(item));

        long handedOut =
                assertLimitExceeded(
                        writer, ORDER, HostileAvro.orderWithZeroByteItems(1, 2), ALLOWANCE);

        assertThat(handedOut).isEqualTo(2 * ITEMS_PER_BLOCK);
    }

    @ParameterizedTest
    @MethodSource("zeroByteItems")
    void readingAnArrayOfZeroByteItemsStopsAtTheRecordsBudget(Schema item) {
        Schema writer = orderWith(arrayOf(item));

        long handedOut =
                assertLimitExceeded(
                        writer, writer, HostileAvro.orderWithZeroByteItems(1, 2), ALLOWANCE);

        assertThat(handedOut).isEqualTo(2 * ITEMS_PER_BLOCK);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aMapOfArraysOfNullsIsChargedAcrossAllItsArrays(boolean skipped) {
        Schema writer = orderWith(mapOf(arrayOf(NULL)));
        byte[] body = concat(order(1, 2), HostileAvro.mapOfZeroByteArrays(1000, ITEMS_PER_BLOCK));

        long handedOut = assertLimitExceeded(writer, skipped ? ORDER : writer, body, ALLOWANCE);

        assertThat(handedOut).isEqualTo(1000 + 2 * ITEMS_PER_BLOCK);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void itemsOfNestedArraysAddUp(boolean skipped) {
        Schema writer = orderWith(arrayOf(arrayOf(NULL)));
        byte[] threeArraysOfAMillion =
                HostileAvro.encode(
                        out -> {
                            out.writeLong(3);
                            for (int i = 0; i < 3; i++) {
                                out.writeFixed(HostileAvro.zeroByteBlocks(1, ITEMS_PER_BLOCK));
                            }
                            out.writeLong(0);
                        });

        long handedOut =
                assertLimitExceeded(
                        writer,
                        skipped ? ORDER : writer,
                        concat(order(1, 2), threeArraysOfAMillion),
                        ALLOWANCE);

        assertThat(handedOut).isEqualTo(3 + 2 * ITEMS_PER_BLOCK);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void itemsThatTakeBytesArePaidForByTheRecordsSize(boolean skipped) throws IOException {
        Schema writer =
                orderWith(
                        Schema.createRecord(
                                "Junk",
                                null,
                                "shop",
                                false,
                                List.of(
                                        new Schema.Field("counts", mapOf(NULL)),
                                        new Schema.Field(
                                                "ints", arrayOf(Schema.create(Schema.Type.INT))),
                                        new Schema.Field(
                                                "flags",
                                                arrayOf(
                                                        Schema.createUnion(
                                                                NULL,
                                                                Schema.create(
                                                                        Schema.Type.BOOLEAN)))))));
        GenericRecord junk = new GenericData.Record(writer.getField("junk").schema());
        Map<String, Object> counts =
                IntStream.range(0, 500)
                        .boxed()
                        .collect(Collectors.toMap(String::valueOf, i -> "x"));
        counts.replaceAll((k, v) -> null);
        junk.put("counts", counts);
        junk.put("ints", IntStream.range(0, 1000).boxed().toList());
        junk.put("flags", Collections.nCopies(1000, null));
        GenericRecord record = new GenericData.Record(writer);
        record.put("customer_id", 1);
        record.put("order_id", 2);
        record.put("junk", junk);
        byte[] body =
                HostileAvro.encode(out -> new GenericDatumWriter<>(writer).write(record, out));

        GenericRecord read = (GenericRecord) decode(writer, skipped ? ORDER : writer, body, 0);

        assertThat(read.get("order_id")).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void zeroByteItemsBeyondTheRecordsSizeDrawOnTheAllowance(boolean skipped) {
        Schema writer = orderWith(arrayOf(NULL));
        int allowance = 10;
        byte[] fits = nulls(HostileAvro.zeroByteBlocks(1, 14));
        byte[] tooMany = nulls(HostileAvro.zeroByteBlocks(1, 15));
        assertThat(fits.length + allowance).isEqualTo(14);

        assertThat(decode(writer, skipped ? ORDER : writer, fits, allowance)).isNotNull();
        assertLimitExceeded(writer, skipped ? ORDER : writer, tooMany, allowance);
    }

    @Test
    void theBudgetIsRefilledForEachRecord() throws Exception {
        Schema writer = orderWith(arrayOf(NULL));
        byte[] twoBlocks = concat(order(1, 2), HostileAvro.zeroByteBlocks(2, ITEMS_PER_BLOCK));
        BoundedBinaryDecoder decoder = new BoundedBinaryDecoder(ALLOWANCE);
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(writer, ORDER);

        for (int i = 0; i < 3; i++) {
            decoder.reset(twoBlocks, 0, twoBlocks.length);
            assertThat(reader.read(null, decoder).get("order_id")).isEqualTo(2);
            assertThat(decoder.itemsClaimed()).isEqualTo(2 * ITEMS_PER_BLOCK);
        }
    }

    @Test
    void aBlockCountBeyondTheBudgetFailsBeforeAnyItemIsHandedOut() {
        Schema writer = orderWith(arrayOf(NULL));
        for (long count : List.of(ALLOWANCE + 100L, 1L << 40, Long.MAX_VALUE)) {
            byte[] body = concat(order(1, 2), HostileAvro.zeroByteBlocks(1, count));
            for (Schema reader : List.of(ORDER, writer)) {
                assertThat(assertLimitExceeded(writer, reader, body, ALLOWANCE)).isZero();
            }
        }
    }

    @Test
    void sizedBlocksThatAreSkippedWholeAreChargedToo() {
        Schema writer = orderWith(arrayOf(NULL));
        // A block with a negative count carries its size in bytes: here 0 bytes for 1M nulls.
        byte[] sized =
                HostileAvro.encode(
                        out -> {
                            for (int i = 0; i < 3; i++) {
                                out.writeLong(-ITEMS_PER_BLOCK);
                                out.writeLong(0);
                            }
                            out.writeLong(0);
                        });

        assertLimitExceeded(writer, ORDER, concat(order(1, 2), sized), ALLOWANCE);
    }

    private static byte[] nulls(byte[] array) {
        return concat(order(1, 2), array);
    }

    /**
     * Decodes {@code body} with an allowance, asserts the per-record error that names the limit and
     * its option, and returns the items handed out to Avro before it: never more than the record's
     * bytes plus the allowance.
     */
    private static long assertLimitExceeded(
            Schema writer, Schema reader, byte[] body, int allowance) {
        BoundedBinaryDecoder bounded = new BoundedBinaryDecoder(allowance);
        bounded.reset(body, 0, body.length);
        long budget = (long) body.length + allowance;
        CountingDecoder counting = new CountingDecoder(bounded, budget);
        GenericDatumReader<Object> datumReader = new GenericDatumReader<>(writer, reader);

        assertThatThrownBy(() -> datumReader.read(null, counting))
                .isInstanceOfSatisfying(
                        BadAvroDataException.class,
                        e -> {
                            assertThat(e.reason())
                                    .as(e.getMessage())
                                    .isEqualTo(Reason.LIMIT_EXCEEDED);
                            assertThat(e)
                                    .hasMessageContaining("'avro.max_zero_byte_items_per_record'")
                                    .hasMessageContaining("more than " + budget + " array items")
                                    .hasMessageContaining(
                                            "plus " + allowance + " that take no bytes");
                        });
        assertThat(counting.items()).isLessThanOrEqualTo(budget);
        return counting.items();
    }

    private static Object decode(Schema writer, Schema reader, byte[] body, int allowance) {
        BoundedBinaryDecoder bounded = new BoundedBinaryDecoder(allowance);
        bounded.reset(body, 0, body.length);
        try {
            return new GenericDatumReader<>(writer, reader).read(null, bounded);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
