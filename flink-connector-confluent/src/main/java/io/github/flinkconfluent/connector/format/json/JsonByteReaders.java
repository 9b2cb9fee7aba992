package io.github.flinkconfluent.connector.format.json;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fastest path of the {@code json} source format: a record of the most common shape read
 * straight from its bytes, without Jackson.
 *
 * <p>Why: with {@link JsonStreamReaders} both this connector and Flink's own {@code json} format
 * spend most of a record in the same Jackson tokenizer (decoding field names into its symbol table,
 * a parser per record, number parsing through text). A row's field names are known in advance, so
 * here a name is compared byte for byte with the column's, and numbers are read in place.
 *
 * <p>It takes only what it can read exactly as {@link JsonStreamReaders} (and so the tree) would:
 * objects whose field names are the columns' own (ASCII), ASCII strings without escapes, integers
 * of up to 18 digits, decimal fractions of up to 15 digits without exponent (a double from those is
 * one correctly rounded division), the timestamp layouts {@link JsonStreamReaders.IsoTimestamps}
 * reads, {@code true}, {@code false}, {@code null}, nested rows and arrays of those. Anything else
 * in a record — an unknown or repeated field, an escape, a non-ASCII character, an exponent, a
 * column type it does not read, a value of another JSON type, null in a NOT NULL column, a syntax
 * error — returns null before any row is produced, and the record goes to {@link JsonStreamReaders}
 * (and, from there, to the tree), which produces the row or the error. So this path never decides
 * an error, and for what it accepts the row is the one the other paths give ({@code
 * JsonStreamReadersTest} compares the paths on random records, right and wrong).
 *
 * <p>Not thread-safe (it keeps the record being read and scratch space); one per decoder.
 */
@Internal
final class JsonByteReaders {

    /** The record is not of the simple shape; no stack trace, as it is control flow. */
    private static final class NotSimple extends Exception {
        private static final long serialVersionUID = 1L;

        private NotSimple() {
            super("not a simple record", null, false, false);
        }
    }

    private static final NotSimple NOT_SIMPLE = new NotSimple();

    /** Reads one value starting at {@link #pos}, and leaves {@link #pos} just after it. */
    @FunctionalInterface
    private interface Reader {
        Object read() throws NotSimple;
    }

    /** 10^n as doubles, exact for n ≤ 22. */
    private static final double[] POWERS = new double[23];

    /** 10^n as longs, n ≤ 18. */
    private static final long[] LONG_POWERS = new long[19];

    static {
        double d = 1;
        for (int n = 0; n < POWERS.length; n++) {
            POWERS[n] = d;
            d *= 10;
        }
        long l = 1;
        for (int n = 0; n < LONG_POWERS.length; n++) {
            LONG_POWERS[n] = l;
            l *= 10;
        }
    }

    /** The reader of the whole record, or null when a column has a type this path skips. */
    @Nullable private final Reader record;

    private final char[] timestampChars = new char[40];

    private byte[] in;
    private int pos;
    private int end;

    // The number just scanned (see number()).
    private boolean negative;
    private long digits;
    private int digitCount;
    private int decimals;

    private JsonByteReaders(RowType rowType) {
        this.record = row(rowType);
    }

    static JsonByteReaders forRow(RowType rowType) {
        return new JsonByteReaders(rowType);
    }

    /**
     * The row of the record in {@code input} from {@code offset} to its end, or null when the
     * record is not of the shape this path reads (then nothing has been decided about it).
     */
    @Nullable
    GenericRowData read(byte[] input, int offset) {
        if (record == null) {
            return null;
        }
        in = input;
        pos = offset;
        end = input.length;
        try {
            skipWhitespace();
            return peek() == '{' ? (GenericRowData) record.read() : null;
        } catch (NotSimple e) {
            return null;
        } finally {
            in = null;
        }
    }

    // ---- readers, compiled once per row type; null where a type is not read here ----

    @Nullable
    private Reader create(LogicalType type) {
        Reader reader = nonNull(type);
        if (reader == null) {
            return null;
        }
        boolean nullable = type.isNullable();
        return () -> {
            if (peek() == 'n') {
                literal(NULL);
                if (!nullable) {
                    throw NOT_SIMPLE;
                }
                return null;
            }
            return reader.read();
        };
    }

    @Nullable
    private Reader nonNull(LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return this::string;
            case BOOLEAN:
                return () -> {
                    byte b = peek();
                    if (b == 't') {
                        literal(TRUE);
                        return Boolean.TRUE;
                    } else if (b == 'f') {
                        literal(FALSE);
                        return Boolean.FALSE;
                    }
                    throw NOT_SIMPLE;
                };
            case TINYINT:
                return () -> (byte) integral(Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SMALLINT:
                return () -> (short) integral(Short.MIN_VALUE, Short.MAX_VALUE);
            case INTEGER:
                return () -> (int) integral(Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT:
                return () -> integral(Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT:
                return this::floatValue;
            case DOUBLE:
                return this::doubleValue;
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return () -> decimal(decimal);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return this::timestamp;
            case ARRAY:
                Reader element = create(((ArrayType) type).getElementType());
                return element == null ? null : () -> array(element);
            case ROW:
                return row((RowType) type);
            default:
                return null; // dates, times, bytes, maps: the streaming path reads them
        }
    }

    @Nullable
    private Reader row(RowType rowType) {
        List<String> names = rowType.getFieldNames();
        int arity = names.size();
        byte[][] keys = new byte[arity][];
        Reader[] fields = new Reader[arity];
        boolean[] nullable = new boolean[arity];
        for (int i = 0; i < arity; i++) {
            keys[i] = names.get(i).getBytes(StandardCharsets.UTF_8);
            fields[i] = create(rowType.getTypeAt(i));
            nullable[i] = rowType.getTypeAt(i).isNullable();
            if (fields[i] == null || !plainAscii(keys[i])) {
                return null;
            }
        }
        boolean[] seen = new boolean[arity];
        return () -> {
            if (peek() != '{') {
                throw NOT_SIMPLE;
            }
            pos++;
            skipWhitespace();
            Arrays.fill(seen, false);
            GenericRowData row = new GenericRowData(arity);
            int expected = 0;
            if (peek() == '}') {
                pos++;
            } else {
                while (true) {
                    if (peek() != '"') {
                        throw NOT_SIMPLE;
                    }
                    int position = field(keys, expected);
                    if (seen[position]) {
                        throw NOT_SIMPLE; // repeated: the other paths keep the last value
                    }
                    seen[position] = true;
                    skipWhitespace();
                    if (peek() != ':') {
                        throw NOT_SIMPLE;
                    }
                    pos++;
                    skipWhitespace();
                    row.setField(position, fields[position].read());
                    expected = position + 1;
                    skipWhitespace();
                    byte b = peek();
                    pos++;
                    if (b == '}') {
                        break;
                    } else if (b != ',') {
                        throw NOT_SIMPLE;
                    }
                    skipWhitespace();
                }
            }
            for (int i = 0; i < arity; i++) {
                if (!seen[i] && !nullable[i]) {
                    throw NOT_SIMPLE;
                }
            }
            return row;
        };
    }

    /**
     * The column of the field name at {@link #pos} (its opening quote), the expected one tried
     * first; leaves {@link #pos} after the closing quote.
     */
    private int field(byte[][] keys, int expected) throws NotSimple {
        int start = pos + 1;
        int close = plainStringEnd(start);
        int length = close - start;
        pos = close + 1;
        if (expected < keys.length && matches(keys[expected], start, length)) {
            return expected;
        }
        for (int i = 0; i < keys.length; i++) {
            if (matches(keys[i], start, length)) {
                return i;
            }
        }
        throw NOT_SIMPLE; // an unknown field
    }

    private boolean matches(byte[] key, int start, int length) {
        return key.length == length && Arrays.equals(key, 0, length, in, start, start + length);
    }

    private Object array(Reader element) throws NotSimple {
        if (peek() != '[') {
            throw NOT_SIMPLE;
        }
        pos++;
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return new GenericArrayData(new Object[0]);
        }
        List<Object> values = new ArrayList<>();
        while (true) {
            values.add(element.read());
            skipWhitespace();
            byte b = peek();
            pos++;
            if (b == ']') {
                return new GenericArrayData(values.toArray());
            } else if (b != ',') {
                throw NOT_SIMPLE;
            }
            skipWhitespace();
        }
    }

    private StringData string() throws NotSimple {
        if (peek() != '"') {
            throw NOT_SIMPLE; // the JSON-column fallback (another value as text) is not read here
        }
        int start = pos + 1;
        int close = plainStringEnd(start);
        pos = close + 1;
        return StringData.fromBytes(Arrays.copyOfRange(in, start, close));
    }

    /**
     * The closing quote of a string whose characters start at {@code start}, if they are all
     * printable ASCII without escapes.
     */
    private int plainStringEnd(int start) throws NotSimple {
        for (int i = start; i < end; i++) {
            byte b = in[i];
            if (b == '"') {
                return i;
            }
            if (b < 0x20 || b == '\\') { // bytes of non-ASCII characters are negative
                throw NOT_SIMPLE;
            }
        }
        throw NOT_SIMPLE;
    }

    private static boolean plainAscii(byte[] name) {
        for (byte b : name) {
            if (b < 0x20 || b == '\\' || b == '"') {
                return false;
            }
        }
        return true;
    }

    private long integral(long min, long max) throws NotSimple {
        number();
        if (decimals >= 0) {
            throw NOT_SIMPLE; // a fraction: the streaming path decides
        }
        long value = negative ? -digits : digits;
        if (value < min || value > max) {
            throw NOT_SIMPLE;
        }
        return value;
    }

    /** As the streaming path: an integer converted directly, a fraction through its double. */
    private float floatValue() throws NotSimple {
        number();
        if (decimals < 0) {
            return negative ? -digits : digits;
        }
        return (float) fraction();
    }

    /** As Jackson's double of the literal: exact inputs, one correctly rounded division. */
    private double doubleValue() throws NotSimple {
        number();
        if (decimals < 0) {
            return negative ? -digits : digits;
        }
        return fraction();
    }

    /**
     * The double of the number just scanned, which has a fraction: up to 15 digits are exact as a
     * double, 10^n is exact up to n = 22, so one division rounds correctly, as Jackson's parse
     * does.
     */
    private double fraction() throws NotSimple {
        if (digitCount > 15 || decimals >= POWERS.length) {
            throw NOT_SIMPLE;
        }
        double value = digits / POWERS[decimals];
        return negative ? -value : value;
    }

    /**
     * A decimal from a JSON number, as {@link JsonStreamReaders} reads it: an integer exactly; a
     * fraction exactly when its double is fine enough to stand for the literal on the column's grid
     * (see there); anything else, and numeric text, by the streaming path.
     */
    private DecimalData decimal(DecimalType type) throws NotSimple {
        number();
        int scale = type.getScale();
        int precision = type.getPrecision();
        if (decimals >= 0
                && (Math.ulp(fraction()) * 2 >= JsonStreamReaders.unit(scale)
                        || decimals > scale)) {
            throw NOT_SIMPLE;
        }
        if (digits == 0) {
            return DecimalData.zero(precision, scale);
        }
        int shift = scale - Math.max(decimals, 0);
        if (shift >= LONG_POWERS.length || digits > Long.MAX_VALUE / LONG_POWERS[shift]) {
            throw NOT_SIMPLE;
        }
        long unscaled = digits * LONG_POWERS[shift];
        if (precision < LONG_POWERS.length && unscaled >= LONG_POWERS[precision]) {
            throw NOT_SIMPLE; // too many integer digits for the column
        }
        if (negative) {
            unscaled = -unscaled;
        }
        DecimalData result =
                precision <= 18
                        ? DecimalData.fromUnscaledLong(unscaled, precision, scale)
                        : DecimalData.fromBigDecimal(
                                BigDecimal.valueOf(unscaled, scale), precision, scale);
        if (result == null) {
            throw NOT_SIMPLE;
        }
        return result;
    }

    private TimestampData timestamp() throws NotSimple {
        if (peek() != '"') {
            number();
            if (decimals >= 0) {
                throw NOT_SIMPLE;
            }
            return TimestampData.fromEpochMillis(negative ? -digits : digits);
        }
        int start = pos + 1;
        int close = plainStringEnd(start);
        int length = close - start;
        if (length > timestampChars.length) {
            throw NOT_SIMPLE;
        }
        for (int i = 0; i < length; i++) {
            timestampChars[i] = (char) in[start + i];
        }
        TimestampData value = JsonStreamReaders.IsoTimestamps.parse(timestampChars, 0, length);
        if (value == null) {
            throw NOT_SIMPLE;
        }
        pos = close + 1;
        return value;
    }

    /**
     * Scans a JSON number without exponent at {@link #pos} into {@link #negative}, {@link #digits}
     * (all its digits, the point left out), {@link #digitCount} and {@link #decimals} (the digits
     * after the point, -1 without one). At most 18 digits; the grammar is JSON's (no leading zeros,
     * no {@code +}, a digit on both sides of the point).
     */
    private void number() throws NotSimple {
        negative = peek() == '-';
        if (negative) {
            pos++;
        }
        int first = pos;
        long value = 0;
        int count = 0;
        int fraction = -1;
        while (pos < end) {
            byte b = in[pos];
            if (b >= '0' && b <= '9') {
                value = value * 10 + (b - '0');
                count++;
                if (fraction >= 0) {
                    fraction++;
                }
            } else if (b == '.' && fraction < 0) {
                if (pos == first) {
                    throw NOT_SIMPLE;
                }
                fraction = 0;
            } else {
                break;
            }
            pos++;
        }
        int intDigits = fraction < 0 ? count : count - fraction;
        if (count == 0
                || count > 18
                || fraction == 0
                || intDigits == 0
                || (intDigits > 1 && in[first] == '0')) {
            throw NOT_SIMPLE;
        }
        if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
            throw NOT_SIMPLE;
        }
        digits = value;
        digitCount = count;
        decimals = fraction;
    }

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};

    private void literal(byte[] word) throws NotSimple {
        if (end - pos < word.length
                || !Arrays.equals(word, 0, word.length, in, pos, pos + word.length)) {
            throw NOT_SIMPLE;
        }
        pos += word.length;
    }

    private byte peek() throws NotSimple {
        if (pos >= end) {
            throw NOT_SIMPLE;
        }
        return in[pos];
    }

    private void skipWhitespace() {
        while (pos < end) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }
}
