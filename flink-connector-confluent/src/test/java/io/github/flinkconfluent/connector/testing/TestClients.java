package io.github.flinkconfluent.connector.testing;

import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.KafkaBroker;

import org.apache.flink.configuration.Configuration;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Map;

/**
 * Clients the ITs write their input with: a byte-array producer on the test broker, a registry
 * client on the test registry, and a connection profile of both (one copy instead of one per test
 * class).
 */
public final class TestClients {

    private TestClients() {}

    /** A producer of already-serialized keys and values. */
    public static KafkaProducer<byte[], byte[]> producer(KafkaBroker kafka) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    /** A connection profile of the test broker and registry, as a DataStream job builds one. */
    public static ConnectionProfile profile(KafkaBroker kafka, ApicurioRegistry registry) {
        return ConnectionProfiles.resolve(
                null,
                new Configuration(),
                Map.of(
                        "bootstrap.servers",
                        kafka.bootstrapServers(),
                        "schema-registry.endpoint",
                        registry.url()));
    }

    /** A registry client on the test registry, without credentials. */
    public static SchemaRegistryClient registryClient(ApicurioRegistry registry) {
        return SchemaRegistryClients.create(SchemaRegistryConfig.builder(registry.url()).build());
    }
}
