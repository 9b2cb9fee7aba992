package io.github.flinkconfluent.connector.format.avro;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Avro records as an attacker writes them (issue 15): small on the wire, claiming a billion array
 * items that take no bytes. Shared by the unit tests, the small-heap check and the source IT.
 */
public final class HostileAvro {

    /** Blocks in the hostile array, as measured in the issue: 1000 blocks ... */
    public static final int BLOCKS = 1000;

    /** ... of a million items each: 10^9 items in about 3 KiB. */
    public static final long ITEMS_PER_BLOCK = 1_000_000;

    /** An order: the fields every test record starts with. */
    public static final Schema ORDER =
            SchemaBuilder.record("Order")
                    .namespace("shop")
                    .fields()
                    .requiredInt("customer_id")
                    .requiredInt("order_id")
                    .endRecord();

    /** An item type that takes no bytes: a record without fields. */
    public static final Schema EMPTY_RECORD = SchemaBuilder.record("Nothing").fields().endRecord();

    /** An item type that takes no bytes: {@code fixed(0)}. */
    public static final Schema FIXED_0 = Schema.createFixed("Zero", null, "shop", 0);

    /** An item type that takes no bytes: {@code null}. */
    public static final Schema NULL = Schema.create(Schema.Type.NULL);

    private HostileAvro() {}

    /** {@link #ORDER} with one more field, {@code junk}, of type {@code junkType}. */
    public static Schema orderWith(Schema junkType) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : ORDER.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        fields.add(new Schema.Field("junk", junkType, null, defaultOf(junkType)));
        return Schema.createRecord("Order", null, "shop", false, fields);
    }

    /** {@code array<item>}. */
    public static Schema arrayOf(Schema item) {
        return Schema.createArray(item);
    }

    /** {@code map<value>}. */
    public static Schema mapOf(Schema value) {
        return Schema.createMap(value);
    }

    /**
     * The body (no framing) of an order whose {@code junk} is an array of {@link #BLOCKS} blocks of
     * {@link #ITEMS_PER_BLOCK} zero-byte items.
     */
    public static byte[] orderWithZeroByteItems(int customer, int order) {
        return concat(order(customer, order), zeroByteBlocks(BLOCKS, ITEMS_PER_BLOCK));
    }

    /**
     * An array of zero-byte items: {@code blocks} block counts of {@code itemsPerBlock} each, then
     * the end marker. (A map cannot do the same: each key takes at least a byte.)
     */
    public static byte[] zeroByteBlocks(int blocks, long itemsPerBlock) {
        return encode(
                out -> {
                    for (int i = 0; i < blocks; i++) {
                        out.writeLong(itemsPerBlock);
                    }
                    out.writeLong(0);
                });
    }

    /**
     * A {@code map<array<zero-byte item>>} of {@code entries} entries (empty keys, one byte each),
     * each value an array of one block of {@code itemsPerEntry} items.
     */
    public static byte[] mapOfZeroByteArrays(int entries, long itemsPerEntry) {
        return encode(
                out -> {
                    out.writeLong(entries);
                    for (int i = 0; i < entries; i++) {
                        out.writeString("");
                        out.writeLong(itemsPerEntry);
                        out.writeLong(0);
                    }
                    out.writeLong(0);
                });
    }

    /** A {@code map<null>} of {@code entries} distinct keys in one block. */
    public static byte[] mapOfNulls(int entries) {
        return encode(
                out -> {
                    out.writeLong(entries);
                    for (int i = 0; i < entries; i++) {
                        out.writeString(Integer.toString(i));
                    }
                    out.writeLong(0);
                });
    }

    /** The body of an {@link #ORDER}. */
    public static byte[] order(int customer, int order) {
        GenericRecord record = new GenericData.Record(ORDER);
        record.put("customer_id", customer);
        record.put("order_id", order);
        return encode(out -> new GenericDatumWriter<>(ORDER).write(record, out));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Writes binary Avro by hand. */
    public interface Writing {
        void write(BinaryEncoder out) throws IOException;
    }

    /** The bytes {@code writing} writes with Avro's binary encoder. */
    public static byte[] encode(Writing writing) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        try {
            writing.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Object defaultOf(Schema type) {
        switch (type.getType()) {
            case ARRAY:
                return List.of();
            case MAP:
                return java.util.Map.of();
            default:
                return null;
        }
    }
}
