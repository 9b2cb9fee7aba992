package io.github.flinkconfluent.connector.serde;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A decoded Kafka record: key and value as objects, with the headers, timestamp and position the
 * record had in its topic.
 *
 * <p>Jobs that need more than the value (the key to route by, a header to trace with, the offset
 * for idempotent writes elsewhere) read into this type with {@link KafkaRecordDeserializer} and
 * write it with {@link KafkaRecordSerializer}. Position fields of a record built with {@link #of}
 * are unset ({@code null} topic, partition and offset {@code -1}); a sink ignores them. Immutable;
 * {@link #withHeader} and {@link #withTimestamp} return copies.
 *
 * @param <K> the key type; the key is null for records without one
 * @param <V> the value type; the value is null for tombstones
 */
@PublicEvolving
public final class KafkaRecord<K, V> {

    /** No timestamp: a sink lets the producer assign one. */
    public static final long NO_TIMESTAMP = -1L;

    @Nullable private final K key;
    @Nullable private final V value;
    private final List<Header> headers;
    private final long timestamp;
    @Nullable private final String topic;
    private final int partition;
    private final long offset;

    KafkaRecord(
            @Nullable K key,
            @Nullable V value,
            List<Header> headers,
            long timestamp,
            @Nullable String topic,
            int partition,
            long offset) {
        this.key = key;
        this.value = value;
        this.headers = Collections.unmodifiableList(new ArrayList<>(headers));
        this.timestamp = timestamp;
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    /** A record to write: no headers, no timestamp, no position. */
    public static <K, V> KafkaRecord<K, V> of(@Nullable K key, @Nullable V value) {
        return new KafkaRecord<>(key, value, List.of(), NO_TIMESTAMP, null, -1, -1L);
    }

    /** This record with one more header (headers may repeat a key, as in Kafka). */
    public KafkaRecord<K, V> withHeader(String key, @Nullable byte[] value) {
        List<Header> more = new ArrayList<>(headers);
        more.add(new Header(key, value));
        return new KafkaRecord<>(this.key, this.value, more, timestamp, topic, partition, offset);
    }

    /** This record with {@code epochMillis} as its timestamp. */
    public KafkaRecord<K, V> withTimestamp(long epochMillis) {
        return new KafkaRecord<>(key, value, headers, epochMillis, topic, partition, offset);
    }

    @Nullable
    public K key() {
        return key;
    }

    @Nullable
    public V value() {
        return value;
    }

    /** The headers in the order the record carries them; unmodifiable. */
    public List<Header> headers() {
        return headers;
    }

    /** The last value of header {@code key}, or null when there is none (or it is null). */
    @Nullable
    public byte[] lastHeader(String key) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).key().equals(key)) {
                return headers.get(i).value();
            }
        }
        return null;
    }

    /** Epoch milliseconds, or {@link #NO_TIMESTAMP}. */
    public long timestamp() {
        return timestamp;
    }

    /** The topic the record was read from; null for a record built with {@link #of}. */
    @Nullable
    public String topic() {
        return topic;
    }

    /** The partition the record was read from, or -1. */
    public int partition() {
        return partition;
    }

    /** The offset the record was read at, or -1. */
    public long offset() {
        return offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaRecord<?, ?> other
                && Objects.equals(key, other.key)
                && Objects.equals(value, other.value)
                && headers.equals(other.headers)
                && timestamp == other.timestamp
                && Objects.equals(topic, other.topic)
                && partition == other.partition
                && offset == other.offset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value, headers, timestamp, topic, partition, offset);
    }

    @Override
    public String toString() {
        return "KafkaRecord{topic="
                + topic
                + ", partition="
                + partition
                + ", offset="
                + offset
                + ", timestamp="
                + timestamp
                + ", key="
                + key
                + ", value="
                + value
                + ", headers="
                + headers
                + "}";
    }

    /** A Kafka record header: a key and bytes (or null). */
    @PublicEvolving
    public static final class Header {
        private final String key;
        @Nullable private final byte[] value;

        public Header(String key, @Nullable byte[] value) {
            this.key = Objects.requireNonNull(key, "key");
            this.value = value == null ? null : value.clone();
        }

        public String key() {
            return key;
        }

        /** A copy of the value, or null. */
        @Nullable
        public byte[] value() {
            return value == null ? null : value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Header other
                    && key.equals(other.key)
                    && Arrays.equals(value, other.value);
        }

        @Override
        public int hashCode() {
            return 31 * key.hashCode() + Arrays.hashCode(value);
        }

        /** Names the header and its size, not its bytes (a header may carry a secret). */
        @Override
        public String toString() {
            return key + (value == null ? "=null" : "=<" + value.length + " bytes>");
        }
    }
}
