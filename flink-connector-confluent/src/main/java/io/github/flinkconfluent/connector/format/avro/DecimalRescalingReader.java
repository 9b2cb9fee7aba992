package io.github.flinkconfluent.connector.format.avro;

import org.apache.flink.annotation.Internal;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.ResolvingDecoder;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link GenericDatumReader} that rescales decimals written at another scale than the reader
 * schema's, so that a record holds the writer's value (see {@link AvroDecimals}), whether {@code
 * GenericData} converts decimals to {@code BigDecimal} or leaves them as bytes.
 *
 * <p>Avro's resolution hands each value to the reader with the <em>reader's</em> schema only. Which
 * writer decimal a reader decimal stands for is therefore worked out once, when the reader is
 * created, by walking the two schemas as Avro's resolution matches them (record fields by name and
 * alias, union branches by type and name); the reader's decimal schemas are then looked up by
 * identity per value. Readers whose decimals all have the writer's scale are plain {@code
 * GenericDatumReader}s.
 */
@Internal
final class DecimalRescalingReader extends GenericDatumReader<Object> {

    /** A reader decimal and the scale its writer wrote it with. */
    private record Rescale(int writerScale, int precision, int scale, String where) {}

    private final Map<Schema, Rescale> rescales;

    private DecimalRescalingReader(
            Schema writer, Schema reader, GenericData data, Map<Schema, Rescale> rescales) {
        super(writer, reader, data);
        this.rescales = rescales;
    }

    /**
     * A reader of {@code writer} data as {@code reader}.
     *
     * @throws IllegalArgumentException when one reader decimal stands for writer decimals of
     *     different scales (a schema object shared by several fields), which no rescaling can serve
     */
    static GenericDatumReader<Object> create(Schema writer, Schema reader, GenericData data) {
        Map<Schema, Rescale> scales = new IdentityHashMap<>();
        walk(writer, reader, "", scales, new HashSet<>());
        Map<Schema, Rescale> rescales = new IdentityHashMap<>();
        scales.forEach(
                (schema, rescale) -> {
                    if (rescale.writerScale() != rescale.scale()) {
                        rescales.put(schema, rescale);
                    }
                });
        return rescales.isEmpty()
                ? new GenericDatumReader<>(writer, reader, data)
                : new DecimalRescalingReader(writer, reader, data, rescales);
    }

    /**
     * Reads through Avro's resolving path even where {@code GenericData} enables its fast reader,
     * which would not call {@link #readBytes} and {@link #readFixed}.
     */
    @Override
    public Object read(Object reuse, Decoder in) throws IOException {
        ResolvingDecoder resolver = getResolver(getSchema(), getExpected());
        resolver.configure(in);
        Object result = read(reuse, getExpected(), resolver);
        resolver.drain();
        return result;
    }

    @Override
    protected Object readBytes(Object old, Schema schema, Decoder in) throws IOException {
        Object value = super.readBytes(old, schema, in);
        Rescale rescale = rescales.get(schema);
        if (rescale == null) {
            return value;
        }
        ByteBuffer buffer = (ByteBuffer) value;
        byte[] unscaled = new byte[buffer.remaining()];
        buffer.get(unscaled);
        return ByteBuffer.wrap(rescaled(unscaled, rescale).unscaledValue().toByteArray());
    }

    @Override
    protected Object readFixed(Object old, Schema schema, Decoder in) throws IOException {
        Object value = super.readFixed(old, schema, in);
        Rescale rescale = rescales.get(schema);
        if (rescale == null) {
            return value;
        }
        byte[] bytes = ((GenericFixed) value).bytes();
        byte[] fixed =
                AvroDecimals.toFixed(
                        rescaled(bytes, rescale).unscaledValue(), bytes.length, rescale.where());
        System.arraycopy(fixed, 0, bytes, 0, bytes.length);
        return value;
    }

    private static BigDecimal rescaled(byte[] unscaled, Rescale rescale)
            throws BadAvroValueException {
        return AvroDecimals.rescale(
                unscaled,
                rescale.writerScale(),
                rescale.precision(),
                rescale.scale(),
                rescale.where());
    }

    // ----------------------------------------------------------- matching as resolution does

    private record Pair(Schema writer, Schema reader) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Pair p && p.writer == writer && p.reader == reader;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(writer) * 31 + System.identityHashCode(reader);
        }
    }

    private static void walk(
            Schema writer,
            Schema reader,
            String path,
            Map<Schema, Rescale> scales,
            Set<Pair> seen) {
        if (!seen.add(new Pair(writer, reader))) {
            return; // a recursive type, already matched
        }
        if (writer.getType() == Schema.Type.UNION) {
            for (Schema branch : writer.getTypes()) {
                walk(branch, reader, path, scales, seen);
            }
            return;
        }
        if (reader.getType() == Schema.Type.UNION) {
            Schema branch = readerBranch(writer, reader.getTypes());
            if (branch != null) {
                walk(writer, branch, path, scales, seen);
            }
            return;
        }
        if (writer.getType() != reader.getType()) {
            return; // a promotion (int to long, string to bytes...): no decimal on both sides
        }
        switch (reader.getType()) {
            case RECORD:
                for (Schema.Field field : reader.getFields()) {
                    Schema.Field written = writerField(writer, field);
                    if (written != null) {
                        String name = path.isEmpty() ? field.name() : path + "." + field.name();
                        walk(written.schema(), field.schema(), name, scales, seen);
                    }
                }
                return;
            case ARRAY:
                walk(writer.getElementType(), reader.getElementType(), path + "[]", scales, seen);
                return;
            case MAP:
                walk(writer.getValueType(), reader.getValueType(), path + "{}", scales, seen);
                return;
            case BYTES:
            case FIXED:
                if (writer.getLogicalType() instanceof LogicalTypes.Decimal written
                        && reader.getLogicalType() instanceof LogicalTypes.Decimal read) {
                    Rescale rescale =
                            new Rescale(
                                    written.getScale(),
                                    read.getPrecision(),
                                    read.getScale(),
                                    path.isEmpty() ? "the value" : "field '" + path + "'");
                    Rescale before = scales.putIfAbsent(reader, rescale);
                    if (before != null && before.writerScale() != rescale.writerScale()) {
                        throw new IllegalArgumentException(
                                "the reader's decimal at "
                                        + before.where()
                                        + " and "
                                        + rescale.where()
                                        + " is one schema object, but the writer's scales differ ("
                                        + before.writerScale()
                                        + " and "
                                        + rescale.writerScale()
                                        + ")");
                    }
                }
                return;
            default:
        }
    }

    /** The writer field a reader field reads: by name, then by the reader field's aliases. */
    private static Schema.Field writerField(Schema writer, Schema.Field readerField) {
        Schema.Field field = writer.getField(readerField.name());
        if (field != null) {
            return field;
        }
        for (String alias : readerField.aliases()) {
            field = writer.getField(alias);
            if (field != null) {
                return field;
            }
        }
        return null;
    }

    /**
     * The branch of a reader union that a writer type resolves to, as far as decimals care: the one
     * of the same type (a union holds one {@code bytes} at most) and, for named types, of the same
     * full name, an alias of it, or the same simple name; else the only branch of the type.
     */
    private static Schema readerBranch(Schema writer, List<Schema> branches) {
        Schema onlyOfType = null;
        int ofType = 0;
        for (Schema branch : branches) {
            if (branch.getType() != writer.getType()) {
                continue;
            }
            ofType++;
            onlyOfType = branch;
            if (!isNamed(branch)
                    || branch.getFullName().equals(writer.getFullName())
                    || branch.getAliases().contains(writer.getFullName())) {
                return branch;
            }
        }
        for (Schema branch : branches) {
            if (branch.getType() == writer.getType() && branch.getName().equals(writer.getName())) {
                return branch;
            }
        }
        return ofType == 1 ? onlyOfType : null;
    }

    private static boolean isNamed(Schema schema) {
        return schema.getType() == Schema.Type.RECORD
                || schema.getType() == Schema.Type.ENUM
                || schema.getType() == Schema.Type.FIXED;
    }
}
