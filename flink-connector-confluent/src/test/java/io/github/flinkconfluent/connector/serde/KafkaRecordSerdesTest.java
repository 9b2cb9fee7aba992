package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.examples.avro.Order;

import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Whole records: keys of other formats, headers, timestamps, positions and tombstones. */
class KafkaRecordSerdesTest {

    private final InMemorySchemaRegistry registry = GoldenVectors.registryWithAll();
    private final RegistryClientFactory factory = () -> registry;

    private static <T> List<T> read(
            io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer<T> deserializer,
            ConsumerRecord<byte[], byte[]> record)
            throws WireFormatException {
        List<T> out = new ArrayList<>();
        deserializer.deserialize(
                record,
                new Collector<>() {
                    @Override
                    public void collect(T value) {
                        out.add(value);
                    }

                    @Override
                    public void close() {}
                });
        return out;
    }

    private static ConsumerRecord<byte[], byte[]> consumed(
            ProducerRecord<byte[], byte[]> written, int partition, long offset) {
        return new ConsumerRecord<>(
                written.topic(),
                partition,
                offset,
                written.timestamp() == null ? -1L : written.timestamp(),
                TimestampType.CREATE_TIME,
                -1,
                -1,
                written.key(),
                written.value(),
                new RecordHeaders(written.headers().toArray()),
                Optional.empty());
    }

    @Test
    void aStringKeyAnAvroValueHeadersAndTimestampRoundTrip() throws Exception {
        KafkaRecordSerializer<String, Order> writer =
                KafkaRecordSerializer.of(
                        new SimpleStringSchema(),
                        ConfluentAvroSerializer.forSpecific(Order.class, factory));
        KafkaRecordDeserializer<String, Order> reader =
                KafkaRecordDeserializer.of(
                        new SimpleStringSchema(),
                        ConfluentAvroDeserializer.forSpecific(Order.class, factory));
        writer.open(null);
        reader.open(null);
        KafkaRecord<String, Order> record =
                KafkaRecord.of("k-1", new Order(1, 2))
                        .withHeader("trace", "abc".getBytes(StandardCharsets.UTF_8))
                        .withHeader("trace", null)
                        .withTimestamp(1_700_000_000_000L);

        ProducerRecord<byte[], byte[]> written = writer.serialize(record, "orders");
        List<KafkaRecord<String, Order>> read = read(reader, consumed(written, 3, 42L));

        assertThat(written.partition()).as("Kafka's partitioner decides").isNull();
        assertThat(new String(written.key(), StandardCharsets.UTF_8)).isEqualTo("k-1");
        assertThat(read).hasSize(1);
        KafkaRecord<String, Order> back = read.get(0);
        assertThat(back.key()).isEqualTo("k-1");
        assertThat(back.value()).isEqualTo(new Order(1, 2));
        assertThat(back.headers()).isEqualTo(record.headers());
        assertThat(back.lastHeader("trace")).isNull();
        assertThat(back.timestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(back.topic()).isEqualTo("orders");
        assertThat(back.partition()).isEqualTo(3);
        assertThat(back.offset()).isEqualTo(42L);
        assertThat(registry.getSubjects()).contains("orders-value").doesNotContain("orders-key");
    }

    @Test
    void tombstonesAndMissingKeysAreKeptAsNulls() throws Exception {
        KafkaRecordSerializer<Order, Order> writer =
                KafkaRecordSerializer.of(
                        ConfluentAvroSerializer.forSpecific(Order.class, factory),
                        ConfluentAvroSerializer.forSpecific(Order.class, factory));
        KafkaRecordDeserializer<byte[], Order> reader =
                KafkaRecordDeserializer.withRawKey(
                        ConfluentAvroDeserializer.forSpecific(Order.class, factory));
        writer.open(null);
        reader.open(null);

        ProducerRecord<byte[], byte[]> tombstone =
                writer.serialize(KafkaRecord.of(new Order(1, 1), null), "t");
        ProducerRecord<byte[], byte[]> keyless =
                writer.serialize(KafkaRecord.of(null, new Order(2, 2)), "t");

        assertThat(tombstone.value()).isNull();
        assertThat(registry.getSubjects()).contains("t-key");
        KafkaRecord<byte[], Order> deleted = read(reader, consumed(tombstone, 0, 0)).get(0);
        assertThat(deleted.value()).isNull();
        assertThat(deleted.key()).isEqualTo(tombstone.key());
        assertThat(keyless.key()).isNull();
        assertThat(read(reader, consumed(keyless, 0, 1)).get(0).key()).isNull();
    }

    @Test
    void aKeyThatCannotBeDecodedIsBadData() throws Exception {
        KafkaRecordDeserializer<Order, Order> reader =
                KafkaRecordDeserializer.of(
                        ConfluentAvroDeserializer.forSpecific(Order.class, factory),
                        ConfluentAvroDeserializer.forSpecific(Order.class, factory));
        reader.open(null);
        ConsumerRecord<byte[], byte[]> record =
                new ConsumerRecord<>(
                        "t",
                        0,
                        0L,
                        "not framed".getBytes(StandardCharsets.UTF_8),
                        GoldenVectors.load("avro-simple").payload());

        assertThatThrownBy(() -> read(reader, record)).isInstanceOf(WireFormatException.class);
    }
}
