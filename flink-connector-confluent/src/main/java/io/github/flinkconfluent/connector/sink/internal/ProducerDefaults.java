package io.github.flinkconfluent.connector.sink.internal;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.Map;

/**
 * The producer settings the sink uses where neither the connection profile nor the table (its
 * {@code 'properties.*'} options) sets them.
 *
 * <p>Why not the client's defaults: a Flink sink writes a stream, not single requests, and the
 * client's defaults (batches of 16 KiB, a 5 ms linger) send many small produce requests. Batches of
 * up to 128 KiB with a 20 ms linger let the producer fill fewer, larger requests: the end-to-end
 * measurements against Flink's own Kafka connector (docs/benchmarks.md, "Producer defaults") moved
 * the write ratios from 0.97-1.52 to 1.12-1.76 with these two settings, on a broker beside the job;
 * to a remote cluster such as Confluent Cloud fewer requests matter more. The cost is latency: a
 * record waits up to 20 ms for its batch when the stream is thin (under {@code exactly_once} it
 * waits for the checkpoint anyway). Compression is left off: {@code lz4} measured no better on this
 * machine; a table sets it with {@code 'properties.compression.type'}.
 */
@Internal
final class ProducerDefaults {

    /** {@code linger.ms}: how long a batch waits for more records. */
    static final String LINGER_MS = "20";

    /** {@code batch.size}: the largest batch per partition, in bytes (128 KiB). */
    static final String BATCH_SIZE = "131072";

    private ProducerDefaults() {}

    /** Adds the defaults to {@code properties}, keeping every value already there. */
    static void addTo(Map<String, String> properties) {
        properties.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
        properties.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE);
    }
}
