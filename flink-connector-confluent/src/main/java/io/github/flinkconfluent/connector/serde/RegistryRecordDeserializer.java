package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Objects;

/**
 * Base of the registry-aware deserializers of this package: each reads the value of a record in the
 * Confluent wire format (magic byte, schema id, body) with the writer schema the id names.
 *
 * <p>The object travels in the job graph with a {@link RegistryClientFactory} (the profile's
 * registry settings as written, {@code {{VAR}}} templates unresolved) and connects in {@link
 * #open}, on the task. Records without a value (tombstones) are skipped. Bad bytes end in a {@link
 * WireFormatException}, to which the source applies its bad-data policy; a registry that cannot be
 * reached fails the task. To read keys as well, wrap two of these in a {@link
 * KafkaRecordDeserializer}. Not thread-safe: one instance per parallel task.
 */
@PublicEvolving
public abstract class RegistryRecordDeserializer<T> implements ConfluentRecordDeserializer<T> {

    private static final long serialVersionUID = 1L;

    private final RegistryClientFactory registryFactory;
    private transient SchemaRegistryClient registry;

    protected RegistryRecordDeserializer(RegistryClientFactory registryFactory) {
        this.registryFactory = Objects.requireNonNull(registryFactory, "registryFactory");
    }

    /** The factory the task's registry client comes from. */
    protected final RegistryClientFactory registryFactory() {
        return registryFactory;
    }

    @Override
    public final void open(DeserializationSchema.InitializationContext context) throws Exception {
        open();
    }

    /** Connects to the registry and prepares decoding; called once per task. */
    public final void open() throws Exception {
        if (registry == null) {
            registry = registryFactory.create();
            open(registry);
        }
    }

    /** Prepares decoding with the task's registry client (owned by this base class). */
    protected abstract void open(SchemaRegistryClient registry) throws Exception;

    /** Decodes one framed key or value; {@link #open()} must have been called. */
    public abstract T decode(byte[] message) throws WireFormatException;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out)
            throws WireFormatException {
        if (record.value() != null) {
            out.collect(decode(record.value()));
        }
    }

    @Override
    public void close() throws Exception {
        if (registry != null) {
            registry.close();
            registry = null;
        }
    }
}
