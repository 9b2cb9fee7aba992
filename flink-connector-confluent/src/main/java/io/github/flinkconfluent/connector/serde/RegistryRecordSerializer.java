package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.record.ConfluentRecordSerializer;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializationSchema;

import org.apache.kafka.clients.producer.ProducerRecord;

import javax.annotation.Nullable;

import java.util.Objects;

/**
 * Base of the registry-aware serializers of this package: each writes a value in the Confluent wire
 * format with the id of a schema registered under the subject that a {@link SubjectNameStrategy}
 * (or a fixed subject) names.
 *
 * <p>The object travels in the job graph with a {@link RegistryClientFactory} and connects in
 * {@link #open}, on the task; schema ids are obtained once per subject and schema, so nothing
 * remote happens per record after the first. To write keys as well, wrap two of these in a {@link
 * KafkaRecordSerializer}. Not thread-safe: one instance per parallel task.
 */
@PublicEvolving
public abstract class RegistryRecordSerializer<T> implements ConfluentRecordSerializer<T> {

    private static final long serialVersionUID = 1L;

    private final RegistryClientFactory registryFactory;
    private transient SchemaRegistryClient registry;

    protected RegistryRecordSerializer(RegistryClientFactory registryFactory) {
        this.registryFactory = Objects.requireNonNull(registryFactory, "registryFactory");
    }

    /** The factory the task's registry client comes from. */
    protected final RegistryClientFactory registryFactory() {
        return registryFactory;
    }

    @Override
    public final void open(SerializationSchema.InitializationContext context) throws Exception {
        open();
    }

    /** Connects to the registry; called once per task. */
    public final void open() throws Exception {
        if (registry == null) {
            registry = registryFactory.create();
            open(registry);
        }
    }

    /** Prepares encoding with the task's registry client (owned by this base class). */
    protected abstract void open(SchemaRegistryClient registry) throws Exception;

    /**
     * Encodes {@code value} as the key ({@code isKey}) or value of a record for {@code topic}; null
     * for null (a tombstone, or no key).
     */
    @Nullable
    public abstract byte[] encode(@Nullable T value, String topic, boolean isKey);

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, String topic) {
        return new ProducerRecord<>(topic, encode(element, topic, false));
    }

    @Override
    public void close() throws Exception {
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }
}
