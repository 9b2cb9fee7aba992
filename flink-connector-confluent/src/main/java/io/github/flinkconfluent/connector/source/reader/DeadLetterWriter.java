package io.github.flinkconfluent.connector.source.reader;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.util.ConnectorClassLoader;

import org.apache.flink.annotation.Internal;
import org.apache.flink.util.FlinkRuntimeException;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Writes undecodable records to the dead-letter topic of {@code bad_data = 'dlq'}, at least once.
 *
 * <p>The original key, value, headers and timestamp are written unchanged, followed by provenance
 * headers ({@link #SOURCE_TOPIC} and the others below). Sends are asynchronous; {@link #flush}
 * waits for all of them and is called before the reader's checkpoint state is taken and at the end
 * of a bounded read, so a checkpoint covering a bad record's offset only completes once the record
 * is in the dead-letter topic. Any failed send fails the job (the next route, flush or the
 * checkpoint) with the dead-letter topic and the source position, rather than losing the record
 * silently.
 *
 * <p>The producer is idempotent, created on the first bad record (a job without bad data opens no
 * extra connection), and closed with the reader.
 */
@Internal
public final class DeadLetterWriter implements AutoCloseable {

    /** Header: the topic the record was read from. */
    public static final String SOURCE_TOPIC = "dlq.source.topic";

    /** Header: its partition, as decimal text. */
    public static final String SOURCE_PARTITION = "dlq.source.partition";

    /** Header: its offset, as decimal text. */
    public static final String SOURCE_OFFSET = "dlq.source.offset";

    /** Header: the schema id from the record's header, as decimal text; absent if unknown. */
    public static final String SCHEMA_ID = "dlq.schema.id";

    /** Header: the {@link WireFormatException.Reason}, e.g. {@code BAD_MAGIC_BYTE}. */
    public static final String ERROR_KIND = "dlq.error.kind";

    /** Header: the error message, at most {@link #MAX_MESSAGE_CHARS} characters. */
    public static final String ERROR_MESSAGE = "dlq.error.message";

    /** Longer messages are cut to this many characters, so a header stays small. */
    public static final int MAX_MESSAGE_CHARS = 1000;

    private final String topic;
    private final Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory;
    private final Map<String, Object> producerConfig;
    private final AtomicReference<FlinkRuntimeException> failure = new AtomicReference<>();
    private Producer<byte[], byte[]> producer;

    /**
     * @param kafkaProperties the connection profile's Kafka properties (resolved on the task)
     * @param clientId the producer's {@code client.id} unless the profile sets one
     */
    public DeadLetterWriter(String topic, Map<String, String> kafkaProperties, String clientId) {
        this(topic, kafkaProperties, clientId, KafkaProducer::new);
    }

    DeadLetterWriter(
            String topic,
            Map<String, String> kafkaProperties,
            String clientId,
            Function<Map<String, Object>, Producer<byte[], byte[]>> producerFactory) {
        this.topic = topic;
        this.producerFactory = producerFactory;
        Map<String, Object> config = new HashMap<>(kafkaProperties);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        this.producerConfig = config;
    }

    public String topic() {
        return topic;
    }

    /** Sends {@code record} to the dead-letter topic; fails if an earlier send failed. */
    public void route(ConsumerRecord<byte[], byte[]> record, WireFormatException error) {
        checkFailure();
        String where = position(record);
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(SOURCE_TOPIC, utf8(record.topic()));
        headers.add(SOURCE_PARTITION, utf8(String.valueOf(record.partition())));
        headers.add(SOURCE_OFFSET, utf8(String.valueOf(record.offset())));
        if (error.schemaId() >= 0) {
            headers.add(SCHEMA_ID, utf8(String.valueOf(error.schemaId())));
        }
        headers.add(ERROR_KIND, utf8(error.reason().name()));
        headers.add(ERROR_MESSAGE, utf8(truncate(String.valueOf(error.getMessage()))));
        ProducerRecord<byte[], byte[]> letter =
                new ProducerRecord<>(
                        topic,
                        null,
                        record.timestamp() >= 0 ? record.timestamp() : null,
                        record.key(),
                        record.value(),
                        headers);
        try {
            producer()
                    .send(
                            letter,
                            (metadata, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, failed(where, e));
                                }
                            });
        } catch (RuntimeException e) {
            // e.g. the topic's metadata did not arrive within max.block.ms
            throw failed(where, e);
        }
    }

    /** Waits until every record routed so far is written; fails if any write failed. */
    public void flush() {
        if (producer != null) {
            try {
                producer.flush();
            } catch (RuntimeException e) {
                throw new FlinkRuntimeException(
                        "Could not flush the dead-letter topic '"
                                + topic
                                + "'; the job fails rather than lose undecodable records.",
                        e);
            }
        }
        checkFailure();
    }

    /**
     * Closes the producer without waiting: records not yet flushed belong to no completed
     * checkpoint and are read, and routed, again after a restore.
     */
    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ZERO);
            producer = null;
        }
    }

    private Producer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = ConnectorClassLoader.call(() -> producerFactory.apply(producerConfig));
        }
        return producer;
    }

    private void checkFailure() {
        FlinkRuntimeException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    private FlinkRuntimeException failed(String where, Exception cause) {
        return new FlinkRuntimeException(
                "Could not write the undecodable record at "
                        + where
                        + " to the dead-letter topic '"
                        + topic
                        + "' ('bad_data.topic'): "
                        + cause
                        + ". Check that the topic exists and that the connection may write to"
                        + " it; the job fails rather than lose the record.",
                cause);
    }

    static String position(ConsumerRecord<?, ?> record) {
        return "topic '"
                + record.topic()
                + "', partition "
                + record.partition()
                + ", offset "
                + record.offset();
    }

    static String truncate(String message) {
        if (message.length() <= MAX_MESSAGE_CHARS) {
            return message;
        }
        int end = MAX_MESSAGE_CHARS;
        if (Character.isHighSurrogate(message.charAt(end - 1))) {
            end--; // never half a character
        }
        return message.substring(0, end);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
