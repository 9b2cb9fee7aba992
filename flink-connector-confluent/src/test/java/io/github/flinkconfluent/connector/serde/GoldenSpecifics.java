package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.examples.avro.Address;
import io.github.flinkconfluent.examples.avro.Complex;
import io.github.flinkconfluent.examples.avro.Logical;
import io.github.flinkconfluent.examples.avro.Nullable;
import io.github.flinkconfluent.examples.avro.Order;
import io.github.flinkconfluent.examples.avro.Primitives;
import io.github.flinkconfluent.examples.avro.Status;

import org.apache.avro.specific.SpecificRecord;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The values of the Avro golden vectors ({@code src/test/resources/golden/avro-*.json}), written
 * out by hand as instances of the classes generated from {@code src/test/avro}, so that a test
 * compares what it decodes with what Confluent's serializer was given, not with our own output.
 */
final class GoldenSpecifics {

    private GoldenSpecifics() {}

    static final List<String> NAMES =
            List.of(
                    "avro-simple",
                    "avro-primitives",
                    "avro-nullable",
                    "avro-complex",
                    "avro-logical");

    static Class<? extends SpecificRecord> type(String golden) {
        return expected(golden).getClass();
    }

    static SpecificRecord expected(String golden) {
        switch (golden) {
            case "avro-simple":
                return new Order(42, 1001);
            case "avro-primitives":
                return new Primitives(
                        true,
                        -123456,
                        9876543210123L,
                        3.25f,
                        2.718281828459045,
                        "h\u00e9llo \u2713",
                        ByteBuffer.wrap(new byte[] {0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xff}));
            case "avro-nullable":
                return new Nullable(7, null, 5_000_000_000L);
            case "avro-complex":
                return new Complex(
                        Status.SHIPPED,
                        List.of(1, 2, 3, -4),
                        Map.of("clicks", 12345678901L),
                        new Address("Main St 1", 12345));
            case "avro-logical":
                return new Logical(
                        LocalDate.of(2024, 3, 15),
                        Instant.ofEpochMilli(1710506096789L),
                        new BigDecimal("12345.67"));
            default:
                throw new IllegalArgumentException("No golden vector " + golden);
        }
    }
}
