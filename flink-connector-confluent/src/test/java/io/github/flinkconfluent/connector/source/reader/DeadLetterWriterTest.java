package io.github.flinkconfluent.connector.source.reader;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@code bad_data = 'dlq'} writes and when it fails, against Kafka's in-memory producer; the
 * real broker is in ConfluentSourceDeadLetterITCase.
 */
class DeadLetterWriterTest {

    private final List<Map<String, Object>> created = new ArrayList<>();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());

    private DeadLetterWriter writer() {
        return new DeadLetterWriter(
                "dead",
                Map.of("bootstrap.servers", "127.0.0.1:1", "transactional.id", "x"),
                "group-dlq-0",
                config -> {
                    created.add(config);
                    return producer;
                });
    }

    private static ConsumerRecord<byte[], byte[]> record(long offset, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(
                "orders",
                2,
                offset,
                1234L,
                TimestampType.CREATE_TIME,
                3,
                value.length(),
                "k".getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8),
                headers,
                Optional.empty());
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String key) {
        Header header = record.headers().lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void writesTheOriginalRecordWithProvenanceHeaders() {
        DeadLetterWriter writer = writer();
        assertThat(created).as("no producer before the first bad record").isEmpty();

        writer.route(
                record(7, "garbage"),
                new WireFormatException(Reason.UNKNOWN_SCHEMA_ID, 42, "no such id"));

        assertThat(created).hasSize(1);
        assertThat(created.get(0))
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "group-dlq-0")
                .doesNotContainKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertThat(sent.topic()).isEqualTo("dead");
        assertThat(sent.key()).asString(StandardCharsets.UTF_8).isEqualTo("k");
        assertThat(sent.value()).asString(StandardCharsets.UTF_8).isEqualTo("garbage");
        assertThat(sent.timestamp()).isEqualTo(1234L);
        assertThat(header(sent, "trace")).isEqualTo("t-1");
        assertThat(header(sent, DeadLetterWriter.SOURCE_TOPIC)).isEqualTo("orders");
        assertThat(header(sent, DeadLetterWriter.SOURCE_PARTITION)).isEqualTo("2");
        assertThat(header(sent, DeadLetterWriter.SOURCE_OFFSET)).isEqualTo("7");
        assertThat(header(sent, DeadLetterWriter.SCHEMA_ID)).isEqualTo("42");
        assertThat(header(sent, DeadLetterWriter.ERROR_KIND)).isEqualTo("UNKNOWN_SCHEMA_ID");
        assertThat(header(sent, DeadLetterWriter.ERROR_MESSAGE))
                .isEqualTo("UNKNOWN_SCHEMA_ID (schema id 42): no such id");
    }

    @Test
    void longMessagesAreCutAndAnUnknownSchemaIdHasNoHeader() {
        DeadLetterWriter writer = writer();
        writer.route(
                record(0, "x"),
                new WireFormatException(Reason.BAD_MAGIC_BYTE, -1, "y".repeat(5000)));

        ProducerRecord<byte[], byte[]> sent = producer.history().get(0);
        assertThat(header(sent, DeadLetterWriter.ERROR_MESSAGE))
                .hasSize(DeadLetterWriter.MAX_MESSAGE_CHARS)
                .startsWith("BAD_MAGIC_BYTE: yyy");
        assertThat(header(sent, DeadLetterWriter.SCHEMA_ID)).isNull();
    }

    @Test
    void aFailedWriteFailsTheFlushAndEveryLaterRouteNamingTopicAndPosition() {
        DeadLetterWriter writer = writer();
        writer.route(record(9, "bad"), new WireFormatException(Reason.MALFORMED_BODY, -1, "b"));
        producer.errorNext(new TimeoutException("Topic dead not present in metadata"));

        assertThatThrownBy(writer::flush)
                .hasMessageContaining("dead-letter topic 'dead'")
                .hasMessageContaining("topic 'orders', partition 2, offset 9")
                .hasMessageContaining("not present in metadata");
        assertThatThrownBy(
                        () ->
                                writer.route(
                                        record(10, "bad"),
                                        new WireFormatException(Reason.MALFORMED_BODY, -1, "b")))
                .hasMessageContaining("offset 9");
    }

    @Test
    void aSendThatThrowsFailsTheRoute() {
        producer.sendException = new TimeoutException("max.block.ms");
        DeadLetterWriter writer = writer();

        assertThatThrownBy(
                        () ->
                                writer.route(
                                        record(3, "bad"),
                                        new WireFormatException(Reason.MALFORMED_BODY, -1, "b")))
                .hasMessageContaining("dead-letter topic 'dead'")
                .hasMessageContaining("topic 'orders', partition 2, offset 3");
    }

    @Test
    void flushWithoutBadRecordsCreatesNoProducer() {
        DeadLetterWriter writer = writer();
        writer.flush();
        writer.close();
        assertThat(created).isEmpty();
    }
}
