package io.github.flinkconfluent.connector.format;

import org.apache.flink.annotation.Internal;

/**
 * The most work one record may cost a decoder, and the table options that change it.
 *
 * <p>Anyone who can produce to a topic can write a record that is small on the wire but claims
 * enormous work: an Avro array of a billion {@code null}s (zero bytes each), a JSON Schema whose
 * nested {@code anyOf}/{@code oneOf} branches multiply, a decimal with an exponent of a billion.
 * Each limit here turns such a record into bad data ({@link
 * io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason#LIMIT_EXCEEDED}),
 * handled by the table's {@code bad_data} policy after bounded time and memory, so the records
 * behind it are not held up.
 */
@Internal
public final class RecordLimits {

    /**
     * Table option: array items and map entries one Avro record may hold beyond one per byte of the
     * record. An item of any type but {@code null}, an empty record or {@code fixed(0)} takes at
     * least a byte, so a record's own size pays for its items; only items that take no bytes draw
     * on this allowance. A record of {@code n} bytes may hold {@code n} plus this many items in
     * total, across all its arrays and maps at any depth, read or skipped.
     */
    public static final String AVRO_ZERO_BYTE_ITEMS_OPTION = "avro.max_zero_byte_items_per_record";

    /**
     * Default of {@link #AVRO_ZERO_BYTE_ITEMS_OPTION}: far more items without bytes than real
     * schemas use, and few enough that a small record claiming a billion costs milliseconds.
     */
    public static final int DEFAULT_AVRO_ZERO_BYTE_ITEMS = 100_000;

    /**
     * Table option: steps allowed to validate one JSON record against its JSON Schema ({@code
     * json.validate}); a step is one schema checked against one value.
     */
    public static final String JSON_VALIDATE_MAX_STEPS_OPTION =
            "json.validate.max_steps_per_record";

    /**
     * Default of {@link #JSON_VALIDATE_MAX_STEPS_OPTION}. An ordinary record takes about as many
     * steps as it has values, times the {@code anyOf}/{@code oneOf} branches above them: a few
     * thousand for records of tens of kilobytes. A step costs a fraction of a microsecond, so a
     * record whose schema would take a billion costs tens of milliseconds.
     */
    public static final int DEFAULT_JSON_VALIDATE_MAX_STEPS = 100_000;

    /**
     * Longest JSON number or numeric text a {@code DECIMAL} column accepts (Jackson's own limit for
     * number literals). A {@code DECIMAL} holds at most 38 digits, so longer text is either padding
     * or an attempt to make the conversion expensive.
     */
    public static final int JSON_DECIMAL_MAX_CHARS = 1000;

    private RecordLimits() {}

    /** Checks a configured limit; the message names the option. */
    public static int requireAtLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(
                    "'" + option + "' must be at least " + min + ", but is " + value + ".");
        }
        return value;
    }
}
