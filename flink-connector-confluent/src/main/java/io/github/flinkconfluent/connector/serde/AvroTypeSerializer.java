package io.github.flinkconfluent.connector.serde;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;

import javax.annotation.Nullable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Serializes Avro records as length-prefixed Avro binary (see {@link AvroTypeInfo}).
 *
 * <p>State written with one schema is read with the current one by Avro's schema resolution: the
 * snapshot keeps the schema the bytes were written with, and a restore with a compatible newer
 * schema (a generated class with an added field that has a default) migrates the state. Not
 * thread-safe; Flink gets one instance per thread through {@link #duplicate}.
 */
@Internal
public final class AvroTypeSerializer<T> extends TypeSerializer<T> {

    private static final long serialVersionUID = 1L;

    /** Schemas of records of any schema, parsed once per text; a few per job in practice. */
    private static final int MAX_SCHEMAS = 100;

    @Nullable private final Class<T> specificClass;

    /** The schema records are written with; null: each record's own, written along. */
    @Nullable private final String schemaText;

    /** The schema the bytes being read were written with (differs from the above on migration). */
    @Nullable private final String writtenSchemaText;

    private transient GenericData data;
    private transient Schema schema;
    private transient GenericDatumWriter<Object> writer;
    private transient GenericDatumReader<Object> reader;
    private transient ByteArrayOutputStream buffer;
    private transient BinaryEncoder encoder;
    private transient BinaryDecoder decoder;
    private transient Map<String, Schema> anySchemas;

    /** The last record schema object found equal to {@link #schema}. */
    private transient Schema sameSchema;

    AvroTypeSerializer(
            @Nullable Class<T> specificClass,
            @Nullable String schemaText,
            @Nullable String writtenSchemaText) {
        this.specificClass = specificClass;
        this.schemaText = schemaText;
        this.writtenSchemaText = writtenSchemaText;
    }

    private void init() {
        if (buffer != null) {
            return;
        }
        data = specificClass == null ? GenericData.get() : SpecificData.getForClass(specificClass);
        buffer = new ByteArrayOutputStream(256);
        if (schemaText != null) {
            schema = new Schema.Parser().parse(schemaText);
            writer = new GenericDatumWriter<>(schema, data);
            Schema written =
                    writtenSchemaText == null || writtenSchemaText.equals(schemaText)
                            ? schema
                            : new Schema.Parser().parse(writtenSchemaText);
            reader = new GenericDatumReader<>(written, schema, data);
        } else {
            anySchemas = new HashMap<>();
        }
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public TypeSerializer<T> duplicate() {
        return new AvroTypeSerializer<>(specificClass, schemaText, writtenSchemaText);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T createInstance() {
        init();
        return specificClass == null ? null : (T) data.newRecord(null, schema);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T copy(T from) {
        init();
        Schema of = schema != null ? schema : ((GenericContainer) from).getSchema();
        return (T) data.deepCopy(of, from);
    }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(T record, DataOutputView target) throws IOException {
        init();
        GenericDatumWriter<Object> recordWriter = writer;
        if (schema != null) {
            Schema own = ((GenericContainer) record).getSchema();
            if (own != schema && own != sameSchema) {
                if (own.equals(schema)) {
                    sameSchema = own; // records of a decoder's equal schema object: compare once
                } else {
                    record = resolved(record, own);
                }
            }
        }
        if (schema == null) {
            Schema own = ((GenericContainer) record).getSchema();
            writeBytes(own.toString().getBytes(StandardCharsets.UTF_8), target);
            recordWriter = new GenericDatumWriter<>(own, data);
        }
        buffer.reset();
        encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
        recordWriter.write(record, encoder);
        encoder.flush();
        target.writeInt(buffer.size());
        buffer.writeTo(new DataOutputViewStream(target));
    }

    /**
     * {@code record}, of another schema than this serializer's, as a record of this serializer's
     * schema by Avro's resolution: what state migration hands over (records the restored serializer
     * read with the old schema), which a writer of the new schema would otherwise write field by
     * position.
     */
    @SuppressWarnings("unchecked")
    private T resolved(T record, Schema own) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
        new GenericDatumWriter<>(own, data).write(record, out);
        out.flush();
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null);
        try {
            return (T) new GenericDatumReader<>(own, schema, data).read(null, in);
        } catch (RuntimeException e) {
            throw new IOException(
                    "Cannot convert a record of schema "
                            + own.getFullName()
                            + " to the state's schema "
                            + schema.getFullName()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(DataInputView source) throws IOException {
        init();
        GenericDatumReader<Object> recordReader = reader;
        if (schema == null) {
            String text = new String(readBytes(source), StandardCharsets.UTF_8);
            Schema own = anySchemas.get(text);
            if (own == null) {
                own = new Schema.Parser().parse(text);
                if (anySchemas.size() >= MAX_SCHEMAS) {
                    anySchemas.clear();
                }
                anySchemas.put(text, own);
            }
            recordReader = new GenericDatumReader<>(own, own, data);
        }
        byte[] body = readBytes(source);
        decoder = DecoderFactory.get().binaryDecoder(body, decoder);
        return (T) recordReader.read(null, decoder);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        if (schemaText == null) {
            writeBytes(readBytes(source), target);
        }
        writeBytes(readBytes(source), target);
    }

    private static byte[] readBytes(DataInputView source) throws IOException {
        int length = source.readInt();
        if (length < 0) {
            throw new IOException("Corrupt Avro state: a negative length " + length);
        }
        byte[] bytes = new byte[length];
        source.readFully(bytes);
        return bytes;
    }

    private static void writeBytes(byte[] bytes, DataOutputView target) throws IOException {
        target.writeInt(bytes.length);
        target.write(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AvroTypeSerializer<?> other
                && Objects.equals(specificClass, other.specificClass)
                && Objects.equals(schemaText, other.schemaText)
                && Objects.equals(writtenSchemaText, other.writtenSchemaText);
    }

    @Override
    public int hashCode() {
        return Objects.hash(specificClass, schemaText, writtenSchemaText);
    }

    @Override
    public TypeSerializerSnapshot<T> snapshotConfiguration() {
        return new Snapshot<>(specificClass, schemaText);
    }

    /** A {@link java.io.OutputStream} view of a {@link DataOutputView}. */
    private static final class DataOutputViewStream extends java.io.OutputStream {
        private final DataOutputView out;

        DataOutputViewStream(DataOutputView out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }

    /**
     * Version 1: the generated class's name (or none) and the schema text the state was written
     * with (or none, for records of any schema).
     */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {

        private static final int VERSION = 1;

        @Nullable private Class<T> specificClass;
        @Nullable private String schemaText;

        /** For reading a snapshot back (Flink instantiates it by reflection). */
        public Snapshot() {}

        Snapshot(@Nullable Class<T> specificClass, @Nullable String schemaText) {
            this.specificClass = specificClass;
            this.schemaText = schemaText;
        }

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeBoolean(specificClass != null);
            if (specificClass != null) {
                out.writeUTF(specificClass.getName());
            }
            out.writeBoolean(schemaText != null);
            if (schemaText != null) {
                writeBytes(schemaText.getBytes(StandardCharsets.UTF_8), out);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readSnapshot(int version, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (version != VERSION) {
                throw new IOException(
                        "Unknown version "
                                + version
                                + " of the Avro state serializer snapshot (this connector writes "
                                + VERSION
                                + "); was the state written by a newer connector?");
            }
            if (in.readBoolean()) {
                String name = in.readUTF();
                try {
                    specificClass = (Class<T>) Class.forName(name, false, classLoader);
                } catch (ClassNotFoundException e) {
                    throw new IOException(
                            "The state holds Avro records of class "
                                    + name
                                    + ", which the job's class path does not have",
                            e);
                }
            }
            schemaText =
                    in.readBoolean() ? new String(readBytes(in), StandardCharsets.UTF_8) : null;
        }

        /**
         * Reads state written with the snapshot's schema, as the current class when there is one.
         */
        @Override
        public TypeSerializer<T> restoreSerializer() {
            String current = schemaText;
            if (specificClass != null) {
                current =
                        SpecificData.getForClass(specificClass).getSchema(specificClass).toString();
            }
            return new AvroTypeSerializer<>(specificClass, current, schemaText);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
                TypeSerializerSnapshot<T> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot<T> old)
                    || !Objects.equals(specificClass == null, old.specificClass == null)
                    || (schemaText == null) != (old.schemaText == null)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            if (schemaText == null || schemaText.equals(old.schemaText)) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            Schema reader = new Schema.Parser().parse(schemaText);
            Schema writer = new Schema.Parser().parse(old.schemaText);
            if (reader.equals(writer)) {
                return TypeSerializerSchemaCompatibility.compatibleAsIs();
            }
            return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                            == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE
                    ? TypeSerializerSchemaCompatibility.compatibleAfterMigration()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
