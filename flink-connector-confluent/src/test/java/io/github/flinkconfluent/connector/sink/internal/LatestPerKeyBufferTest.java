package io.github.flinkconfluent.connector.sink.internal;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the upsert sink's buffer keeps between flushes, with a list as the fake producer. */
class LatestPerKeyBufferTest {

    private static ProducerRecord<byte[], byte[]> record(String key, String value) {
        return record(null, key, value);
    }

    private static ProducerRecord<byte[], byte[]> record(
            Integer partition, String key, String value) {
        return new ProducerRecord<>(
                "t",
                partition,
                key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> drain(LatestPerKeyBuffer buffer) {
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        buffer.drainTo(sent::add);
        return sent.stream()
                .map(
                        r ->
                                new String(r.key(), StandardCharsets.UTF_8)
                                        + "="
                                        + (r.value() == null
                                                ? "<tombstone>"
                                                : new String(r.value(), StandardCharsets.UTF_8))
                                        + (r.partition() == null ? "" : "@" + r.partition()))
                .toList();
    }

    @Test
    void keepsOnlyTheLastChangeOfEachKeyInTheOrderOfLastChanges() {
        LatestPerKeyBuffer buffer = new LatestPerKeyBuffer(100);
        buffer.add(record("a", "1"));
        buffer.add(record("b", "1"));
        buffer.add(record("a", "2"));
        buffer.add(record("c", "1"));
        buffer.add(record("b", null));

        assertThat(buffer.size()).isEqualTo(3);
        assertThat(drain(buffer)).containsExactly("a=2", "c=1", "b=<tombstone>");
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(drain(buffer)).isEmpty();
    }

    @Test
    void theSameKeyInTwoTopicsIsTwoKeys() {
        LatestPerKeyBuffer buffer = new LatestPerKeyBuffer(100);
        byte[] key = "a".getBytes(StandardCharsets.UTF_8);
        buffer.add(new ProducerRecord<>("eu", key, "1".getBytes(StandardCharsets.UTF_8)));
        buffer.add(new ProducerRecord<>("us", key, "2".getBytes(StandardCharsets.UTF_8)));
        buffer.add(new ProducerRecord<>("eu", key, "3".getBytes(StandardCharsets.UTF_8)));

        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        buffer.drainTo(sent::add);
        assertThat(sent)
                .extracting(r -> r.topic() + ":" + new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("us:2", "eu:3");
    }

    @Test
    void aTombstoneFollowedByAValueKeepsTheValue() {
        LatestPerKeyBuffer buffer = new LatestPerKeyBuffer(100);
        buffer.add(record("a", null));
        buffer.add(record("a", "back"));

        assertThat(drain(buffer)).containsExactly("a=back");
    }

    @Test
    void isFullCountsDistinctKeysNotChanges() {
        LatestPerKeyBuffer buffer = new LatestPerKeyBuffer(2);
        for (int i = 0; i < 10; i++) {
            buffer.add(record("hot", String.valueOf(i)));
        }
        assertThat(buffer.isFull()).isFalse();
        buffer.add(record("cold", "x"));
        assertThat(buffer.isFull()).isTrue();
        assertThat(drain(buffer)).containsExactly("hot=9", "cold=x");
        assertThat(buffer.isFull()).isFalse();
    }

    @Test
    void theSameKeyForTwoChosenPartitionsIsTwoEntries() {
        LatestPerKeyBuffer buffer = new LatestPerKeyBuffer(100);
        buffer.add(record(0, "a", "1"));
        buffer.add(record(1, "a", "2"));
        buffer.add(record(0, "a", "3"));

        assertThat(drain(buffer)).containsExactly("a=2@1", "a=3@0");
    }

    @Test
    void aRecordWithoutKeyIsRefused() {
        LatestPerKeyBuffer buffer = new LatestPerKeyBuffer(1);
        assertThatThrownBy(
                        () ->
                                buffer.add(
                                        new ProducerRecord<>(
                                                "t", "v".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without a key");
        assertThatThrownBy(() -> new LatestPerKeyBuffer(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailingSendLeavesTheBufferEmptyNotHalfDrained() {
        LatestPerKeyBuffer buffer = new LatestPerKeyBuffer(100);
        buffer.add(record("a", "1"));
        buffer.add(record("b", "1"));
        assertThatThrownBy(
                        () ->
                                buffer.drainTo(
                                        r -> {
                                            throw new IllegalStateException("producer closed");
                                        }))
                .hasMessage("producer closed");
        assertThat(buffer.isEmpty()).isTrue();
    }
}
