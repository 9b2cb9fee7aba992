package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The records of an upsert sink waiting to be sent, holding only the last one of each key.
 *
 * <p>On a compacted topic only a key's latest record counts, so a key that changes many times
 * between two flushes (a hot aggregate) needs to be written once. Keys are compared as the encoded
 * key bytes in their topic (rows may name their topic) and partition (when the serializer chose
 * one): the encoders are deterministic, so the same key columns always give the same bytes. A later
 * record of a key replaces the earlier one and moves to the end, so {@link #drainTo} sends the keys
 * in the order of their last change.
 *
 * <p>The buffer only decides what to keep; when to drain it (full, timer, before each checkpoint)
 * is the writer's business, which must drain it before a checkpoint so that no change acknowledged
 * by a checkpoint is still in memory.
 */
@Internal
public final class LatestPerKeyBuffer {

    private record Slot(String topic, Integer partition, ByteBuffer key) {}

    private final int maxKeys;
    private final Map<Slot, ProducerRecord<byte[], byte[]>> records = new LinkedHashMap<>();

    /**
     * @param maxKeys how many distinct keys make the buffer {@link #isFull() full}; at least 1
     */
    public LatestPerKeyBuffer(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be at least 1, not " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    /**
     * Keeps {@code record} as the latest of its key, replacing an earlier one.
     *
     * @throws IllegalArgumentException for a record without a key, which has no "latest": the
     *     caller sends it directly
     */
    public void add(ProducerRecord<byte[], byte[]> record) {
        Objects.requireNonNull(record, "record");
        if (record.key() == null) {
            throw new IllegalArgumentException(
                    "A record without a key cannot be buffered per key; send it directly");
        }
        Slot slot = new Slot(record.topic(), record.partition(), ByteBuffer.wrap(record.key()));
        records.remove(slot);
        records.put(slot, record);
    }

    /** Whether as many distinct keys as allowed are buffered: time to drain. */
    public boolean isFull() {
        return records.size() >= maxKeys;
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    /** The number of distinct keys buffered. */
    public int size() {
        return records.size();
    }

    /** Hands every buffered record to {@code send}, oldest last change first, and empties. */
    public void drainTo(Consumer<ProducerRecord<byte[], byte[]>> send) {
        if (records.isEmpty()) {
            return;
        }
        // Copy first: a failing send leaves nothing half-drained behind a live iterator.
        List<ProducerRecord<byte[], byte[]>> drained = new ArrayList<>(records.values());
        records.clear();
        drained.forEach(send);
    }
}
