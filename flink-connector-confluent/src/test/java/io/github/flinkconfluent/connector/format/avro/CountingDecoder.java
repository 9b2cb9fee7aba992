package io.github.flinkconfluent.connector.format.avro;

import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link Decoder} that forwards to another and counts the array items and map entries it hands to
 * Avro's readers and skippers: the number of times they will loop. It is the measure of work the
 * item budget must bound, taken outside the decoder that enforces it. Past {@code ceiling} it fails
 * the test at once, so that a decoder without a budget fails fast instead of looping a billion
 * times.
 */
final class CountingDecoder extends Decoder {

    private final Decoder in;
    private final long ceiling;
    private long items;

    CountingDecoder(Decoder in, long ceiling) {
        this.in = in;
        this.ceiling = ceiling;
    }

    /** Items and entries handed out so far. */
    long items() {
        return items;
    }

    private long counted(long count) {
        items += count;
        if (items > ceiling) {
            throw new AssertionError(
                    "the decoder handed out " + items + " items, more than " + ceiling);
        }
        return count;
    }

    @Override
    public long readArrayStart() throws IOException {
        return counted(in.readArrayStart());
    }

    @Override
    public long arrayNext() throws IOException {
        return counted(in.arrayNext());
    }

    @Override
    public long skipArray() throws IOException {
        return counted(in.skipArray());
    }

    @Override
    public long readMapStart() throws IOException {
        return counted(in.readMapStart());
    }

    @Override
    public long mapNext() throws IOException {
        return counted(in.mapNext());
    }

    @Override
    public long skipMap() throws IOException {
        return counted(in.skipMap());
    }

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        return in.readString(old);
    }

    @Override
    public String readString() throws IOException {
        return in.readString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipString();
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        return in.readBytes(old);
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipBytes();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
