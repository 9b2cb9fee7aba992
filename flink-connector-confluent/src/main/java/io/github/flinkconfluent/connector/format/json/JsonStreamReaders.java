package io.github.flinkconfluent.connector.format.json;

import org.apache.flink.annotation.Internal;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonParser;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonToken;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.BigIntegerNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.BooleanNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.DoubleNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.IntNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.LongNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.TextNode;
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

import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fast path of the {@code json} source format: a SQL row type compiled once into readers that
 * take values straight from Jackson's streaming {@link JsonParser} into Flink's internal data,
 * without the tree of {@link JsonNode}s per record that {@link JsonRowConverters} reads.
 *
 * <p>{@link JsonRowConverters} stays the definition of what a record means. A reader gives up on a
 * record (with {@link #TREE_NEEDED}) whenever it is not certain to produce exactly the row the tree
 * converters would: a value of the wrong JSON type, out of range, null in a NOT NULL column, a
 * field that appears twice (the tree keeps the last one), text that is not one of the common
 * timestamp layouts, a decimal with more digits than a double keeps. The caller then decodes the
 * record again through the tree, which produces the row or the bad-data error with its usual
 * message; only records that fail (or are unusual) pay twice. Values the fast path does not model
 * (a STRING column over an object, a map, a date, bytes) are read as a tree of just that value and
 * handed to the tree converter.
 *
 * <p>A string value that is plain ASCII without escapes (most keys, codes and names) is copied
 * straight from the record's bytes, which are then already its UTF-8: no Java {@code String} is
 * built for it, and Flink does not have to encode one back to UTF-8 when it copies or serializes
 * the row. Any other string goes through the parser's text.
 *
 * <p>Not thread-safe (a row reader keeps a scratch array, and {@link #read} keeps the record being
 * read); one instance per decoder.
 */
@Internal
final class JsonStreamReaders {

    /** The record must be decoded through the tree; no stack trace, thrown on bad data only. */
    static final TreeNeeded TREE_NEEDED = new TreeNeeded();

    /** See {@link #TREE_NEEDED}. */
    static final class TreeNeeded extends Exception {
        private static final long serialVersionUID = 1L;

        private TreeNeeded() {
            super("decode this record through the JSON tree", null, false, false);
        }
    }

    /**
     * Reads one value whose first token is the parser's current token, and leaves the parser on its
     * last token.
     */
    @FunctionalInterface
    interface Reader {
        Object read(JsonParser parser) throws IOException, TreeNeeded;
    }

    private final ObjectMapper mapper;
    private final Reader record;

    /** The bytes the parser reads, and where its input starts in them: see {@link #text}. */
    @Nullable private byte[] input;

    private int inputOffset;

    private JsonStreamReaders(RowType rowType, ObjectMapper mapper) {
        this.mapper = mapper;
        this.record = row(rowType);
    }

    /**
     * The readers of records of {@code rowType}.
     *
     * @param mapper the mapper the tree path parses with (same parser features and limits), used
     *     here for the values read as trees
     */
    static JsonStreamReaders forRow(RowType rowType, ObjectMapper mapper) {
        return new JsonStreamReaders(rowType, mapper);
    }

    /**
     * Reads a whole record: an object, to its closing brace; anything after it is ignored, as the
     * tree parse ignores it.
     *
     * @param parser a parser over {@code input} from {@code offset}, on the record's first token
     */
    GenericRowData read(JsonParser parser, byte[] input, int offset)
            throws IOException, TreeNeeded {
        this.input = input;
        this.inputOffset = offset;
        try {
            return (GenericRowData) record.read(parser);
        } finally {
            this.input = null;
        }
    }

    private Reader create(LogicalType type, String path) {
        Reader reader = nonNull(type, path);
        boolean nullable = type.isNullable();
        return parser -> {
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                if (nullable) {
                    return null;
                }
                throw TREE_NEEDED;
            }
            return reader.read(parser);
        };
    }

    private Reader nonNull(LogicalType type, String path) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return parser ->
                        parser.currentToken() == JsonToken.VALUE_STRING
                                ? text(parser)
                                // The JSON-column fallback: any other value as its JSON text.
                                : StringData.fromString(tree(parser).toString());
            case BOOLEAN:
                return parser -> {
                    JsonToken token = parser.currentToken();
                    if (token == JsonToken.VALUE_TRUE) {
                        return Boolean.TRUE;
                    } else if (token == JsonToken.VALUE_FALSE) {
                        return Boolean.FALSE;
                    }
                    throw TREE_NEEDED;
                };
            case TINYINT:
                return parser -> (byte) integral(parser, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SMALLINT:
                return parser -> (short) integral(parser, Short.MIN_VALUE, Short.MAX_VALUE);
            case INTEGER:
                return parser -> (int) integral(parser, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT:
                return parser -> integral(parser, Long.MIN_VALUE, Long.MAX_VALUE);
            case FLOAT:
                return JsonStreamReaders::floatValue;
            case DOUBLE:
                return JsonStreamReaders::doubleValue;
            case DECIMAL:
                DecimalType decimal = (DecimalType) type;
                return parser -> decimal(parser, decimal);
            case TIMESTAMP_WITHOUT_TIME_ZONE:
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return parser -> timestamp(parser, path);
            case ARRAY:
                Reader element = create(((ArrayType) type).getElementType(), path + "[]");
                return parser -> {
                    if (parser.currentToken() != JsonToken.START_ARRAY) {
                        throw TREE_NEEDED;
                    }
                    if (parser.nextToken() == JsonToken.END_ARRAY) {
                        return new GenericArrayData(new Object[0]);
                    }
                    List<Object> values = new ArrayList<>();
                    do {
                        values.add(element.read(parser));
                    } while (parser.nextToken() != JsonToken.END_ARRAY);
                    return new GenericArrayData(values.toArray());
                };
            case ROW:
                return row((RowType) type);
            default:
                // Dates, times, bytes, maps: the tree of the value, through the tree converter.
                JsonRowConverters.Converter converter = JsonRowConverters.nonNull(type, path);
                return parser -> {
                    try {
                        return converter.convert(node(parser));
                    } catch (JsonRowConverters.BadJsonException e) {
                        throw TREE_NEEDED;
                    }
                };
        }
    }

    /** Fields by name, in any order; unknown fields skipped; absent ones SQL NULL. */
    private Reader row(RowType rowType) {
        List<String> names = rowType.getFieldNames();
        int arity = names.size();
        // Interned, as the parser's field names are (JsonFactory.Feature.INTERN_FIELD_NAMES):
        // a field in the expected place is then found by one comparison of references.
        String[] keys = new String[arity];
        Reader[] fields = new Reader[arity];
        boolean[] nullable = new boolean[arity];
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < arity; i++) {
            keys[i] = names.get(i).intern();
            fields[i] = create(rowType.getTypeAt(i), "$." + names.get(i));
            nullable[i] = rowType.getTypeAt(i).isNullable();
            positions.put(keys[i], i);
        }
        boolean[] seen = new boolean[arity];
        return parser -> {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw TREE_NEEDED;
            }
            Arrays.fill(seen, false);
            GenericRowData row = new GenericRowData(arity);
            int expected = 0;
            String name;
            while ((name = parser.nextFieldName()) != null) {
                int position;
                if (expected < arity && (keys[expected] == name || keys[expected].equals(name))) {
                    position = expected;
                } else {
                    Integer found = positions.get(name);
                    position = found == null ? -1 : found;
                }
                parser.nextToken();
                if (position < 0) {
                    parser.skipChildren();
                    continue;
                }
                if (seen[position]) {
                    throw TREE_NEEDED; // a duplicate: the tree keeps the last value
                }
                seen[position] = true;
                row.setField(position, fields[position].read(parser));
                expected = position + 1;
            }
            for (int i = 0; i < arity; i++) {
                if (!seen[i] && !nullable[i]) {
                    throw TREE_NEEDED;
                }
            }
            return row;
        };
    }

    /**
     * The string value at the parser. Jackson reads a string's characters only when asked for them;
     * the token's location is its opening quote in the input, so an ASCII string without escapes is
     * the input's bytes up to the next quote. Anything else in it (a backslash, a control
     * character, a byte of a multi-byte character; or no closing quote) leaves the string to the
     * parser, which decodes and checks it.
     */
    private StringData text(JsonParser parser) throws IOException {
        byte[] bytes = input;
        long quote = parser.currentTokenLocation().getByteOffset();
        if (bytes != null && quote >= 0 && quote < bytes.length - inputOffset) {
            int start = inputOffset + (int) quote + 1;
            if (bytes[start - 1] == '"') {
                for (int i = start; i < bytes.length; i++) {
                    byte b = bytes[i];
                    if (b == '"') {
                        return StringData.fromBytes(Arrays.copyOfRange(bytes, start, i));
                    }
                    if (b < 0x20 || b == '\\') { // bytes of non-ASCII characters are negative
                        break;
                    }
                }
            }
        }
        return StringData.fromString(parser.getText());
    }

    /** The value at the parser as the tree parse builds it (same node types for numbers). */
    private JsonNode node(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case VALUE_STRING:
                return TextNode.valueOf(parser.getText());
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case VALUE_NUMBER_INT:
                switch (parser.getNumberType()) {
                    case INT:
                        return IntNode.valueOf(parser.getIntValue());
                    case LONG:
                        return LongNode.valueOf(parser.getLongValue());
                    default:
                        return BigIntegerNode.valueOf(parser.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return DoubleNode.valueOf(parser.getDoubleValue());
            default:
                return tree(parser);
        }
    }

    private JsonNode tree(JsonParser parser) throws IOException {
        return mapper.readTree(parser);
    }

    private static long integral(JsonParser parser, long min, long max)
            throws IOException, TreeNeeded {
        if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw TREE_NEEDED;
        }
        long value = parser.getLongValue();
        if (value < min || value > max) {
            throw TREE_NEEDED;
        }
        return value;
    }

    /** As the tree's number nodes convert: a double rounded to float, integers directly. */
    private static Object floatValue(JsonParser parser) throws IOException, TreeNeeded {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return (float) parser.getDoubleValue();
        } else if (token != JsonToken.VALUE_NUMBER_INT) {
            throw TREE_NEEDED;
        }
        switch (parser.getNumberType()) {
            case INT:
                return (float) parser.getIntValue();
            case LONG:
                return (float) parser.getLongValue();
            default:
                return parser.getBigIntegerValue().floatValue();
        }
    }

    private static Object doubleValue(JsonParser parser) throws IOException, TreeNeeded {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return parser.getDoubleValue();
        } else if (token != JsonToken.VALUE_NUMBER_INT) {
            throw TREE_NEEDED;
        }
        switch (parser.getNumberType()) {
            case INT:
                return (double) parser.getIntValue();
            case LONG:
                return (double) parser.getLongValue();
            default:
                return parser.getBigIntegerValue().doubleValue();
        }
    }

    /**
     * A decimal as the tree reads it: integers and numeric text exactly, a JSON number with a
     * fraction as the text of the double the tree holds it as ({@link DoubleNode#asText}).
     */
    private static DecimalData decimal(JsonParser parser, DecimalType type)
            throws IOException, TreeNeeded {
        String text;
        switch (parser.currentToken()) {
            case VALUE_NUMBER_INT:
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw TREE_NEEDED;
                }
                return fitted(BigDecimal.valueOf(parser.getLongValue()), type);
            case VALUE_NUMBER_FLOAT:
                double number = parser.getDoubleValue();
                BigDecimal onGrid = literalOnTheColumnsGrid(parser, number, type);
                if (onGrid != null) {
                    return fitted(onGrid, type);
                }
                text = DoubleNode.valueOf(number).asText();
                break;
            case VALUE_STRING:
                text = parser.getText();
                if (text.length() > 100) {
                    throw TREE_NEEDED; // the tree checks the length limit and names it
                }
                break;
            default:
                throw TREE_NEEDED;
        }
        try {
            return fitted(new BigDecimal(text), type);
        } catch (NumberFormatException e) { // also "Infinity"
            throw TREE_NEEDED;
        }
    }

    /**
     * The number literal itself, when it gives the same decimal as the text of its double: a
     * literal without exponent and with no more decimals than the column's scale lies on the
     * column's grid; the double's text lies within one ulp of it (both parse to that double); so
     * when an ulp is below half a unit of the last decimal, rounding the text to the column's scale
     * gives the literal, and the two also agree on whether it fits. Null otherwise (the text is
     * then printed, as the tree does).
     */
    @Nullable
    private static BigDecimal literalOnTheColumnsGrid(
            JsonParser parser, double number, DecimalType type) throws IOException {
        if (Math.ulp(number) * 2 >= unit(type.getScale())) {
            return null;
        }
        char[] chars = parser.getTextCharacters();
        int start = parser.getTextOffset();
        int end = start + parser.getTextLength();
        int decimals = -1;
        for (int i = start; i < end; i++) {
            char c = chars[i];
            if (c == '.') {
                decimals = 0;
            } else if (c >= '0' && c <= '9') {
                if (decimals >= 0) {
                    decimals++;
                }
            } else if (c != '-') {
                return null; // an exponent
            }
        }
        return decimals <= type.getScale() ? new BigDecimal(chars, start, end - start) : null;
    }

    /** 10^-scale, the unit of the last decimal of a column of that scale (0 beyond scale 20). */
    static double unit(int scale) {
        return UNITS[Math.min(scale, UNITS.length - 1)];
    }

    /** 10^-scale, the unit of a column's last decimal, by scale (0 for scales beyond 20). */
    private static final double[] UNITS = new double[22];

    static {
        for (int scale = 0; scale < UNITS.length - 1; scale++) {
            UNITS[scale] = Math.pow(10, -scale);
        }
    }

    private static DecimalData fitted(BigDecimal value, DecimalType type) throws TreeNeeded {
        DecimalData result = JsonRowConverters.fitted(value, type);
        if (result == null) {
            throw TREE_NEEDED;
        }
        return result;
    }

    private static TimestampData timestamp(JsonParser parser, String path)
            throws IOException, TreeNeeded {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_NUMBER_INT
                && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return TimestampData.fromEpochMillis(parser.getLongValue());
        } else if (token != JsonToken.VALUE_STRING) {
            throw TREE_NEEDED;
        }
        TimestampData value =
                IsoTimestamps.parse(
                        parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
        if (value != null) {
            return value;
        }
        try {
            return JsonRowConverters.timestamp(TextNode.valueOf(parser.getText()), path);
        } catch (JsonRowConverters.BadJsonException e) {
            throw TREE_NEEDED;
        }
    }

    /**
     * The common ISO-8601 layouts, read without {@link java.time.format.DateTimeFormatter} (whose
     * parse of a timestamp without offset first fails as an {@link java.time.OffsetDateTime},
     * throwing): {@code yyyy-MM-ddTHH:mm:ss[.f]} with {@code Z} or {@code ±HH:MM}, and {@code
     * yyyy-MM-dd[T| ]HH:mm:ss[.f]} without offset, with 1 to 9 fraction digits. The same values as
     * {@link JsonRowConverters}' parse; anything else is null, for that parse to decide.
     */
    static final class IsoTimestamps {

        private IsoTimestamps() {}

        @Nullable
        static TimestampData parse(char[] chars, int offset, int length) {
            if (length < 19) {
                return null;
            }
            int year = digits(chars, offset, 4);
            int month = digits(chars, offset + 5, 2);
            int day = digits(chars, offset + 8, 2);
            int hour = digits(chars, offset + 11, 2);
            int minute = digits(chars, offset + 14, 2);
            int second = digits(chars, offset + 17, 2);
            char separator = chars[offset + 10];
            if ((year | month | day | hour | minute | second) < 0
                    || chars[offset + 4] != '-'
                    || chars[offset + 7] != '-'
                    || (separator != 'T' && separator != ' ')
                    || chars[offset + 13] != ':'
                    || chars[offset + 16] != ':') {
                return null;
            }
            int i = offset + 19;
            int end = offset + length;
            int nanos = 0;
            if (i < end && chars[i] == '.') {
                int fractionStart = ++i;
                while (i < end && chars[i] >= '0' && chars[i] <= '9') {
                    nanos = nanos * 10 + (chars[i] - '0');
                    i++;
                }
                int fractionDigits = i - fractionStart;
                if (fractionDigits == 0 || fractionDigits > 9) {
                    return null;
                }
                for (int d = fractionDigits; d < 9; d++) {
                    nanos *= 10;
                }
            }
            ZoneOffset zone = null;
            if (i < end) {
                if (separator != 'T') {
                    return null;
                }
                if (chars[i] == 'Z' && i + 1 == end) {
                    zone = ZoneOffset.UTC;
                } else if ((chars[i] == '+' || chars[i] == '-')
                        && i + 6 == end
                        && chars[i + 3] == ':') {
                    int hours = digits(chars, i + 1, 2);
                    int minutes = digits(chars, i + 4, 2);
                    if ((hours | minutes) < 0 || hours > 17 || minutes > 59) {
                        return null;
                    }
                    int sign = chars[i] == '-' ? -1 : 1;
                    zone = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
                } else {
                    return null;
                }
            }
            LocalDateTime local;
            try {
                local = LocalDateTime.of(year, month, day, hour, minute, second, nanos);
            } catch (DateTimeException e) {
                return null;
            }
            return zone == null
                    ? TimestampData.fromLocalDateTime(local)
                    : TimestampData.fromInstant(local.toInstant(zone));
        }

        /** The decimal number of {@code count} ASCII digits, or -1. */
        private static int digits(char[] chars, int offset, int count) {
            int value = 0;
            for (int i = offset; i < offset + count; i++) {
                char c = chars[i];
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }
    }
}
