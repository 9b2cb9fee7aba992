package io.github.flinkconfluent.connector.format.avro;

import org.apache.flink.annotation.Internal;

import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An Avro binary {@link Decoder} over one byte array that never trusts a length it reads.
 *
 * <p>Avro's own {@code BinaryDecoder} allocates what a length prefix asks for before it checks that
 * the bytes exist, so one corrupt record can ask for gigabytes. Here every string, bytes and fixed
 * length must fit in the bytes that remain, and every array or map block count must be plausible
 * for them, so a corrupt record fails fast with {@link BadAvroDataException} and costs no more
 * memory than its own size. Reusable: {@link #reset} points it at the next record.
 */
@Internal
public final class BoundedBinaryDecoder extends Decoder {

    /**
     * Items that take zero bytes (nulls, empty records) may legitimately outnumber the remaining
     * bytes; allow this many beyond the remaining bytes before calling a count corrupt.
     */
    static final long MAX_ZERO_BYTE_ITEMS = 1 << 20;

    private byte[] buf;
    private int pos;
    private int limit;

    /** Thrown for bytes that do not match the schema; the caller maps it to its own error. */
    public static final class BadAvroDataException extends IOException {
        private static final long serialVersionUID = 1L;

        private final boolean truncated;

        BadAvroDataException(String message, boolean truncated) {
            super(message);
            this.truncated = truncated;
        }

        /** True when the data simply ended too early. */
        public boolean truncated() {
            return truncated;
        }
    }

    public BoundedBinaryDecoder reset(byte[] bytes, int offset, int length) {
        this.buf = bytes;
        this.pos = offset;
        this.limit = offset + length;
        return this;
    }

    /** Bytes not yet consumed. */
    public int remaining() {
        return limit - pos;
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
            if (count == Long.MIN_VALUE) {
                throw corrupt(what + " block count out of range");
            }
            count = -count;
            long size = readLong();
            if (size < 0 || size > limit - pos) {
                throw corrupt(what + " block size " + size + " exceeds the bytes left");
            }
        }
        if (count > (limit - pos) + MAX_ZERO_BYTE_ITEMS) {
            throw corrupt(what + " block count " + count + " is implausible for the bytes left");
        }
        return count;
    }

    /**
     * Skips blocks that carry their byte size; returns the count of the first one that does not.
     */
    private long skipBlocks(String what) throws IOException {
        while (true) {
            long count = readLong();
            if (count == 0) {
                return 0;
            }
            if (count > 0) {
                if (count > (limit - pos) + MAX_ZERO_BYTE_ITEMS) {
                    throw corrupt(what + " block count " + count + " is implausible");
                }
                return count;
            }
            long size = readLong();
            if (size < 0 || size > limit - pos) {
                throw corrupt(what + " block size " + size + " exceeds the bytes left");
            }
            pos += (int) size;
        }
    }

    private BadAvroDataException truncated() {
        return new BadAvroDataException("the record ends before the schema says it should", true);
    }

    private BadAvroDataException corrupt(String detail) {
        return new BadAvroDataException(detail, false);
    }
}
