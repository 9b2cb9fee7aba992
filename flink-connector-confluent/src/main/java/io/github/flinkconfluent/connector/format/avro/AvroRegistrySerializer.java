package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes Avro values in the Confluent framing with a registered schema id.
 *
 * <p>The id is obtained once, when the serializer is created: by registering the schema under the
 * subject (as Confluent's serializer does with auto-registration) or by looking it up among the
 * subject's versions. Not thread-safe: one instance per parallel task.
 */
@PublicEvolving
public final class AvroRegistrySerializer {

    private final Schema schema;
    private final int schemaId;
    private final GenericDatumWriter<Object> writer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;

    /**
     * @param register true to register {@code schema} under {@code subject} (a no-op when the
     *     subject has it), false to require that it is already registered there
     */
    public AvroRegistrySerializer(
            SchemaRegistryClient registry, String subject, Schema schema, boolean register) {
        this(schema, schemaId(registry, subject, schema, register), GenericData.get());
    }

    /** A serializer for a schema whose id is already known. */
    public AvroRegistrySerializer(Schema schema, int schemaId, GenericData data) {
        this.schema = schema;
        this.schemaId = schemaId;
        this.writer = new GenericDatumWriter<>(schema, data);
    }

    public int schemaId() {
        return schemaId;
    }

    public Schema schema() {
        return schema;
    }

    /** Frames and encodes {@code value} (a GenericRecord or any value of the schema). */
    public byte[] serialize(Object value) {
        buffer.reset();
        for (int i = 0; i < ConfluentWireFormat.HEADER_LENGTH; i++) {
            buffer.write(0);
        }
        try {
            encoder = EncoderFactory.get().directBinaryEncoder(buffer, encoder);
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode an Avro value", e);
        }
        byte[] bytes = buffer.toByteArray();
        ConfluentWireFormat.writeHeader(schemaId, bytes, 0);
        return bytes;
    }

    private static int schemaId(
            SchemaRegistryClient registry, String subject, Schema schema, boolean register) {
        SchemaDefinition definition = SchemaDefinition.avro(schema.toString());
        return register
                ? registry.register(subject, definition)
                : registry.lookup(subject, definition).id();
    }
}
