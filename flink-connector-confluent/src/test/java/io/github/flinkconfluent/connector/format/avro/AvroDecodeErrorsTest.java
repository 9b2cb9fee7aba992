package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the two Avro decoding paths call a bad record: what malformed bytes make Avro raise, and
 * nothing that a bug raises, so that {@code bad_data = 'drop'} can never drop records because of a
 * bug.
 */
class AvroDecodeErrorsTest {

    private static final Schema STATUS =
            SchemaBuilder.enumeration("Status").namespace("shop").symbols("NEW", "PAID");

    /** An enum and a union: the two places where bytes pick an index into a table. */
    private static final Schema ORDER =
            SchemaBuilder.record("Order")
                    .namespace("shop")
                    .fields()
                    .name("status")
                    .type(STATUS)
                    .noDefault()
                    .optionalInt("qty")
                    .endRecord();

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    private byte[] framed(byte... body) {
        int id = registry.register("orders-value", SchemaDefinition.avro(ORDER.toString()));
        return ConfluentWireFormat.frame(id, body, 0, body.length);
    }

    private AvroRowDataDecoder rowDecoder() {
        RowType rowType =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("status", DataTypes.STRING().notNull()),
                                        DataTypes.FIELD("qty", DataTypes.INT()))
                                .getLogicalType();
        AvroRowDataDecoder decoder = new AvroRowDataDecoder(rowType, "record", () -> registry);
        decoder.open();
        return decoder;
    }

    private static void assertBadRecord(ThrowingCall call) {
        assertThatThrownBy(call::run)
                .isInstanceOf(WireFormatException.class)
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.MALFORMED_BODY));
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void aGoodRecordDecodesOnBothPaths() throws Exception {
        // status PAID (index 1 -> zig-zag 2), qty: union branch 1 (int) with value 3 (zig-zag 6).
        byte[] good = framed((byte) 2, (byte) 2, (byte) 6);

        assertThat(rowDecoder().decode(good).getString(0).toString()).isEqualTo("PAID");
        GenericRecord record =
                (GenericRecord) new AvroRegistryDeserializer(registry, ORDER).deserialize(good);
        assertThat(record.get("qty")).isEqualTo(3);
    }

    @ParameterizedTest(name = "enum index byte {0}")
    @ValueSource(bytes = {4, 10, 127, 1})
    void anEnumIndexBeyondTheSymbolsIsABadRecordOnBothPaths(byte zigZagIndex) {
        byte[] bad = framed(zigZagIndex, (byte) 0);

        assertBadRecord(() -> rowDecoder().decode(bad));
        assertBadRecord(() -> new AvroRegistryDeserializer(registry, ORDER).deserialize(bad));
        assertBadRecord(() -> new AvroRegistryDeserializer(registry, null).deserialize(bad));
    }

    @ParameterizedTest(name = "union index byte {0}")
    @ValueSource(bytes = {4, 3, 100})
    void aUnionBranchBeyondTheUnionIsABadRecordOnBothPaths(byte zigZagIndex) {
        byte[] bad = framed((byte) 0, zigZagIndex, (byte) 6);

        assertBadRecord(() -> rowDecoder().decode(bad));
        assertBadRecord(() -> new AvroRegistryDeserializer(registry, ORDER).deserialize(bad));
        assertBadRecord(() -> new AvroRegistryDeserializer(registry, null).deserialize(bad));
    }

    /** A decimal conversion with a bug: what the deserializer calls must not hide it. */
    private static final class BuggyConversion extends Conversions.DecimalConversion {
        private final Supplier<RuntimeException> bug;

        BuggyConversion(Supplier<RuntimeException> bug) {
            this.bug = bug;
        }

        @Override
        public BigDecimal fromBytes(ByteBuffer value, Schema schema, LogicalType type) {
            throw bug.get();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "NullPointerException",
                "ClassCastException",
                "IndexOutOfBoundsException",
                "IllegalArgumentException",
                "IllegalStateException"
            })
    void aBugInCodeTheDeserializerCallsFailsInsteadOfBeingABadRecord(String bug) {
        Schema amount =
                org.apache.avro.LogicalTypes.decimal(10, 2)
                        .addToSchema(Schema.create(Schema.Type.BYTES));
        Schema schema =
                SchemaBuilder.record("Payment")
                        .namespace("shop")
                        .fields()
                        .name("amount")
                        .type(amount)
                        .noDefault()
                        .endRecord();
        GenericRecord record = new GenericData.Record(schema);
        record.put("amount", ByteBuffer.wrap(new byte[] {1}));
        byte[] message =
                new AvroRegistrySerializer(registry, "payments-value", schema, true)
                        .serialize(record);
        RuntimeException thrown =
                switch (bug) {
                    case "NullPointerException" -> new NullPointerException("a bug");
                    case "ClassCastException" -> new ClassCastException("a bug");
                    case "IndexOutOfBoundsException" -> new IndexOutOfBoundsException("a bug");
                    case "IllegalArgumentException" -> new IllegalArgumentException("a bug");
                    default -> new IllegalStateException("a bug");
                };
        GenericData data = new GenericData();
        data.addLogicalTypeConversion(new BuggyConversion(() -> thrown));

        assertThatThrownBy(
                        () ->
                                new AvroRegistryDeserializer(registry, schema, data)
                                        .deserialize(message))
                // Thrown as it is, or wrapped by Avro (which wraps a conversion's
                // ClassCastException), but never a bad record.
                .isNotInstanceOf(WireFormatException.class)
                .satisfies(
                        e ->
                                assertThat(
                                                org.apache.flink.util.ExceptionUtils.findThrowable(
                                                        e, t -> t == thrown))
                                        .isPresent());
    }

    @Test
    void onlyWhatAvroRaisesOnBadBytesIsABadRecord() {
        // Raised by our own code (this test's frames): a bug, thrown as it is.
        for (RuntimeException bug :
                new RuntimeException[] {
                    new NullPointerException(),
                    new ClassCastException(),
                    new ArrayIndexOutOfBoundsException(3),
                    new ArithmeticException(),
                    new NumberFormatException()
                }) {
            assertThatThrownBy(() -> AvroDecodeErrors.badRecord(bug, 7)).isSameAs(bug);
        }
        // Avro's decoders signal bad bytes with IOExceptions and AvroRuntimeExceptions.
        assertThat(AvroDecodeErrors.badRecord(new java.io.EOFException(), 7).reason())
                .isEqualTo(Reason.MALFORMED_BODY);
        assertThat(
                        AvroDecodeErrors.badRecord(
                                        new org.apache.avro.AvroTypeException("Found x"), 7)
                                .schemaId())
                .isEqualTo(7);
        // A JIT-compiled throw site raises a preallocated exception without a stack trace; it
        // can only be told from a bug by where it happened, which is gone: such an index error
        // counts as bad bytes (a bug's first occurrences, with their traces, still fail the job).
        ArrayIndexOutOfBoundsException fastThrown = new ArrayIndexOutOfBoundsException();
        fastThrown.setStackTrace(new StackTraceElement[0]);
        assertThat(AvroDecodeErrors.badRecord(fastThrown, 7).reason())
                .isEqualTo(Reason.MALFORMED_BODY);
        NullPointerException fastThrownNull = new NullPointerException();
        fastThrownNull.setStackTrace(new StackTraceElement[0]);
        assertThatThrownBy(() -> AvroDecodeErrors.badRecord(fastThrownNull, 7))
                .isSameAs(fastThrownNull);
    }
}
