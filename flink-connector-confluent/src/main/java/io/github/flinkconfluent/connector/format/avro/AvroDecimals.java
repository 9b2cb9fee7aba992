package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.flink.annotation.Internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The one rule for reading an Avro decimal at a scale other than the one it was written with.
 *
 * <p>Avro's schema resolution ignores logical types, so a reader with {@code decimal(10, 2)} would
 * take the unscaled bytes of a writer's {@code decimal(10, 4)} at its own scale: 12.3456 read as
 * 1234.56. A registry accepts such a change under BACKWARD compatibility, so the readers take the
 * writer's scale from the writer's schema and rescale here: rounding half up (away from zero, as
 * Flink's own {@code CAST} and {@code DecimalData} do), and a value with more digits than the
 * reader's precision is a bad record (Flink's avro format would turn it into NULL, which a NOT NULL
 * column cannot hold and which hides a lost number).
 */
@Internal
final class AvroDecimals {

    private static final double BITS_PER_DIGIT = Math.log(10) / Math.log(2);

    private AvroDecimals() {}

    /**
     * The decimal whose two's-complement unscaled value is {@code unscaled} at {@code writerScale},
     * at {@code scale} and within {@code precision} digits.
     *
     * @param where the column or field, for the message (e.g. {@code column 'amount'})
     * @throws BadAvroValueException for no bytes, or a value that does not fit
     */
    static BigDecimal rescale(
            byte[] unscaled, int writerScale, int precision, int scale, String where)
            throws BadAvroValueException {
        if (unscaled.length == 0) {
            throw new BadAvroValueException(
                    Reason.MALFORMED_BODY, where + ": an Avro decimal with no bytes");
        }
        // A value with more significant bytes than the largest one that can fit is rejected
        // before any arithmetic, so that a hostile length cannot make the rounding expensive.
        int significant = significantBytes(unscaled);
        if (significant > maxBytes(precision + Math.max(0, writerScale - scale))) {
            throw new BadAvroValueException(
                    Reason.SCHEMA_VIOLATION,
                    where
                            + ": an Avro decimal of "
                            + significant
                            + " bytes (scale "
                            + writerScale
                            + ") does not fit "
                            + sqlType(precision, scale));
        }
        BigDecimal written = new BigDecimal(new BigInteger(unscaled), writerScale);
        BigDecimal value =
                writerScale == scale ? written : written.setScale(scale, RoundingMode.HALF_UP);
        if (value.precision() > precision) {
            throw new BadAvroValueException(
                    Reason.SCHEMA_VIOLATION,
                    where
                            + ": "
                            + written.toPlainString()
                            + " (an Avro decimal of scale "
                            + writerScale
                            + ") does not fit "
                            + sqlType(precision, scale));
        }
        return value;
    }

    /** {@code unscaled} sign-extended to {@code size} bytes (an Avro fixed). */
    static byte[] toFixed(BigInteger unscaled, int size, String where)
            throws BadAvroValueException {
        byte[] bytes = unscaled.toByteArray();
        if (bytes.length > size) {
            throw new BadAvroValueException(
                    Reason.SCHEMA_VIOLATION,
                    where + ": " + unscaled + " does not fit an Avro fixed of " + size + " bytes");
        }
        byte[] fixed = new byte[size];
        byte fill = unscaled.signum() < 0 ? (byte) 0xff : 0;
        java.util.Arrays.fill(fixed, 0, size - bytes.length, fill);
        System.arraycopy(bytes, 0, fixed, size - bytes.length, bytes.length);
        return fixed;
    }

    /**
     * The bytes of a two's-complement value without the leading bytes that only extend its sign.
     */
    private static int significantBytes(byte[] value) {
        int start = 0;
        while (start < value.length - 1
                && ((value[start] == 0 && value[start + 1] >= 0)
                        || (value[start] == -1 && value[start + 1] < 0))) {
            start++;
        }
        return value.length - start;
    }

    /** Bytes of the two's complement of the largest magnitude with {@code digits} digits. */
    private static int maxBytes(int digits) {
        return (int) Math.ceil((digits * BITS_PER_DIGIT + 1) / 8) + 1;
    }

    private static String sqlType(int precision, int scale) {
        return "DECIMAL(" + precision + ", " + scale + ")";
    }
}
