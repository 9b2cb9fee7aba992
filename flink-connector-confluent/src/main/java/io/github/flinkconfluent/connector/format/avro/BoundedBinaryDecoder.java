package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.flink.annotation.Internal;

import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An Avro binary {@link Decoder} over one byte array that never trusts a length or a count it
 * reads.
 *
 * <p>Avro's own {@code BinaryDecoder} allocates what a length prefix asks for before it checks that
 * the bytes exist, so one corrupt record can ask for gigabytes. Here every string, bytes and fixed
 * length must fit in the bytes that remain, so a corrupt record fails fast with {@link
 * BadAvroDataException} and costs no more memory than its own size.
 *
 * <p>Array and map items are different: an item of {@code null}, of an empty record or of {@code
 * fixed(0)} takes no bytes at all, so a 3 KiB record can claim a billion of them in a thousand
 * blocks, and whoever reads or skips them loops a billion times. The decoder therefore keeps one
 * item budget per record: the record's size in bytes (every other item takes at least one) plus
 * {@link RecordLimits#AVRO_ZERO_BYTE_ITEMS_OPTION}. Every block count it hands out, to a reader or
 * to a skipping {@code ResolvingDecoder}, at any depth, is charged against it, and the block that
 * would exceed it fails before any of its items is read. So no record costs more item work than an
 * ordinary record of its size plus the allowance. Reusable: {@link #reset} points it at the next
 * record and refills the budget.
 */
@Internal
public final class BoundedBinaryDecoder extends Decoder {

    private final int zeroByteItems;

    private byte[] buf;
    private int pos;
    private int limit;
    private long items;
    private long budget;

    /** Thrown for bytes that do not match the schema; the caller maps it to its own error. */
    public static final class BadAvroDataException extends IOException {
        private static final long serialVersionUID = 1L;

        private final Reason reason;

        BadAvroDataException(String message, Reason reason) {
            super(message);
            this.reason = reason;
        }

        /** True when the data simply ended too early. */
        public boolean truncated() {
            return reason == Reason.TRUNCATED_BODY;
        }

        /**
         * {@link Reason#TRUNCATED_BODY}, {@link Reason#MALFORMED_BODY}, or {@link
         * Reason#LIMIT_EXCEEDED} for a record that claims more items than its budget.
         */
        public Reason reason() {
            return reason;
        }
    }

    /** A decoder with the default allowance, {@link RecordLimits#DEFAULT_AVRO_ZERO_BYTE_ITEMS}. */
    public BoundedBinaryDecoder() {
        this(RecordLimits.DEFAULT_AVRO_ZERO_BYTE_ITEMS);
    }

    /**
     * @param maxZeroByteItemsPerRecord array items and map entries allowed in one record beyond one
     *     per byte of the record
     */
    public BoundedBinaryDecoder(int maxZeroByteItemsPerRecord) {
        this.zeroByteItems =
                RecordLimits.requireAtLeast(
                        RecordLimits.AVRO_ZERO_BYTE_ITEMS_OPTION, maxZeroByteItemsPerRecord, 0);
    }

    public BoundedBinaryDecoder reset(byte[] bytes, int offset, int length) {
        this.buf = bytes;
        this.pos = offset;
        this.limit = offset + length;
        this.items = 0;
        this.budget = (long) length + zeroByteItems;
        return this;
    }

    /** Bytes not yet consumed. */
    public int remaining() {
        return limit - pos;
    }

    /** Array items and map entries handed out since the last {@link #reset}. */
    long itemsClaimed() {
        return items;
    }

    @Override
    public void readNull() {}

    @Override
    public boolean readBoolean() throws IOException {
        int b = readByte();
        if (b > 1) {
            throw corrupt("boolean byte " + b + " is neither 0 nor 1");
        }
        return b == 1;
    }

    @Override
    public int readInt() throws IOException {
        int result = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            int b = readByte();
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (result >>> 1) ^ -(result & 1);
            }
        }
        throw corrupt("int varint longer than 5 bytes");
    }

    @Override
    public long readLong() throws IOException {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (result >>> 1) ^ -(result & 1);
            }
        }
        throw corrupt("long varint longer than 10 bytes");
    }

    @Override
    public float readFloat() throws IOException {
        require(4);
        int bits =
                (buf[pos] & 0xff)
                        | (buf[pos + 1] & 0xff) << 8
                        | (buf[pos + 2] & 0xff) << 16
                        | (buf[pos + 3] & 0xff) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    @Override
    public double readDouble() throws IOException {
        require(8);
        long bits = 0;
        for (int i = 7; i >= 0; i--) {
            bits = (bits << 8) | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return Double.longBitsToDouble(bits);
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = readLength("string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        System.arraycopy(buf, pos, result.getBytes(), 0, length);
        pos += length;
        return result;
    }

    @Override
    public String readString() throws IOException {
        int length = readLength("string");
        String result = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return result;
    }

    @Override
    public void skipString() throws IOException {
        int length = readLength("string"); // before reading pos: readLength moves it
        pos += length;
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = readLength("bytes");
        ByteBuffer result =
                old != null && old.capacity() >= length ? old : ByteBuffer.allocate(length);
        result.clear();
        result.put(buf, pos, length);
        result.flip();
        pos += length;
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        int length = readLength("bytes"); // before reading pos: readLength moves it
        pos += length;
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        require(length);
        System.arraycopy(buf, pos, bytes, start, length);
        pos += length;
    }

    @Override
    public void skipFixed(int length) throws IOException {
        require(length);
        pos += length;
    }

    @Override
    public int readEnum() throws IOException {
        return readInt();
    }

    @Override
    public long readArrayStart() throws IOException {
        return readBlockCount("array");
    }

    @Override
    public long arrayNext() throws IOException {
        return readBlockCount("array");
    }

    @Override
    public long skipArray() throws IOException {
        return skipBlocks("array");
    }

    @Override
    public long readMapStart() throws IOException {
        return readBlockCount("map");
    }

    @Override
    public long mapNext() throws IOException {
        return readBlockCount("map");
    }

    @Override
    public long skipMap() throws IOException {
        return skipBlocks("map");
    }

    @Override
    public int readIndex() throws IOException {
        return readInt();
    }

    private int readByte() throws IOException {
        if (pos >= limit) {
            throw truncated();
        }
        return buf[pos++] & 0xff;
    }

    private void require(int length) throws IOException {
        if (length < 0) {
            throw corrupt("negative length " + length);
        }
        if (length > limit - pos) {
            throw truncated();
        }
    }

    private int readLength(String what) throws IOException {
        long length = readLong();
        if (length < 0) {
            throw corrupt("negative " + what + " length " + length);
        }
        if (length > limit - pos) {
            throw corrupt(
                    what + " length " + length + " exceeds the " + (limit - pos) + " bytes left");
        }
        return (int) length;
    }

    /** A block count; a negative count is followed by the block's size in bytes. */
    private long readBlockCount(String what) throws IOException {
        long count = readLong();
        if (count < 0) {
            count = negated(count, what);
            long size = readLong();
            if (size < 0 || size > limit - pos) {
                throw corrupt(what + " block size " + size + " exceeds the bytes left");
            }
        }
        return claim(count, what);
    }

    /**
     * Skips blocks that carry their byte size; returns the count of the first one that does not,
     * whose items the caller skips one by one. Sized blocks are charged too, so that a record's
     * budget does not depend on which of its fields the table reads.
     */
    private long skipBlocks(String what) throws IOException {
        while (true) {
            long count = readLong();
            if (count == 0) {
                return 0;
            }
            if (count > 0) {
                return claim(count, what);
            }
            claim(negated(count, what), what);
            long size = readLong();
            if (size < 0 || size > limit - pos) {
                throw corrupt(what + " block size " + size + " exceeds the bytes left");
            }
            pos += (int) size;
        }
    }

    private long negated(long count, String what) throws BadAvroDataException {
        if (count == Long.MIN_VALUE) {
            throw corrupt(what + " block count out of range");
        }
        return -count;
    }

    /** Charges {@code count} items to this record's budget before any of them is read. */
    private long claim(long count, String what) throws BadAvroDataException {
        if (count > budget - items) {
            throw new BadAvroDataException(
                    "the record claims more than "
                            + budget
                            + " array items and map entries (a "
                            + what
                            + " block of "
                            + count
                            + " after "
                            + items
                            + "): one per byte of the record plus "
                            + zeroByteItems
                            + " that take no bytes, the per-record limit '"
                            + RecordLimits.AVRO_ZERO_BYTE_ITEMS_OPTION
                            + "'; raise it if such records are legitimate",
                    Reason.LIMIT_EXCEEDED);
        }
        items += count;
        return count;
    }

    private BadAvroDataException truncated() {
        return new BadAvroDataException(
                "the record ends before the schema says it should", Reason.TRUNCATED_BODY);
    }

    private BadAvroDataException corrupt(String detail) {
        return new BadAvroDataException(detail, Reason.MALFORMED_BODY);
    }
}
