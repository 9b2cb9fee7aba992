package io.github.flinkconfluent.benchmarks;

import io.github.flinkconfluent.connector.format.RowDecoder;
import io.github.flinkconfluent.connector.format.RowEncoder;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The bounds of {@link EndToEndThroughput}: a plain kafka-clients consumer loop that decodes every
 * value with this connector's decoder into {@code RowData} (the floor a source can approach), and a
 * plain producer loop that encodes the rows with this connector's encoder (the ceiling of a sink).
 * One thread per unit of parallelism; client settings are the client's defaults, as the jobs' are.
 */
final class RawClientLoops {

    private RawClientLoops() {}

    /** Rows decoded and the milliseconds from the first client's creation to the last row. */
    record Timed(long rows, long millis) {}

    /**
     * Reads {@code topic} from its beginning to its current end with {@code threads} consumers
     * (partition i to consumer i mod threads), decoding each value.
     */
    static Timed consume(
            String bootstrapServers, String topic, int threads, Supplier<RowDecoder> decoders)
            throws Exception {
        List<TopicPartition> partitions;
        try (KafkaConsumer<byte[], byte[]> probe = consumer(bootstrapServers, false)) {
            partitions = new ArrayList<>();
            for (PartitionInfo info : probe.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
        }
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<TopicPartition> mine = new ArrayList<>();
            for (int i = t; i < partitions.size(); i += threads) {
                mine.add(partitions.get(i));
            }
            tasks.add(() -> consumeAll(bootstrapServers, mine, decoders.get()));
        }
        return runAll(tasks);
    }

    private static long consumeAll(
            String bootstrapServers, List<TopicPartition> partitions, RowDecoder decoder)
            throws Exception {
        if (partitions.isEmpty()) {
            return 0;
        }
        decoder.open();
        long rows = 0;
        long checksum = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, false)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            ends.entrySet().removeIf(end -> end.getValue() == 0);
            while (!ends.isEmpty()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    checksum += decoder.decode(record.value()).getArity();
                    rows++;
                }
                ends.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
            }
        } finally {
            decoder.close();
        }
        if (checksum == 0 && rows > 0) {
            throw new IllegalStateException("decoded rows without columns");
        }
        return rows;
    }

    /**
     * Writes rows 1 to {@code rows} ({@link OrderRows#row}) to {@code topic} with {@code threads}
     * producers (thread t writes the ids congruent to t mod threads), then flushes and closes.
     */
    static Timed produce(
            String bootstrapServers,
            String topic,
            long rows,
            int threads,
            Supplier<RowEncoder> encoders)
            throws Exception {
        List<Callable<Long>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t + 1;
            tasks.add(
                    () -> {
                        RowEncoder encoder = encoders.get();
                        encoder.open();
                        long written = 0;
                        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrapServers)) {
                            for (long id = first; id <= rows; id += threads) {
                                byte[] value = encoder.encode(OrderRows.row(id));
                                producer.send(new ProducerRecord<>(topic, value));
                                written++;
                            }
                            producer.flush();
                        }
                        return written;
                    });
        }
        return runAll(tasks);
    }

    /** Records in {@code topic} that a {@code read_committed} consumer sees (aborted ones not). */
    static long countCommitted(String bootstrapServers, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers, true)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = new HashMap<>(consumer.endOffsets(partitions));
            long count = 0;
            while (true) {
                ends.entrySet().removeIf(end -> consumer.position(end.getKey()) >= end.getValue());
                if (ends.isEmpty()) {
                    return count;
                }
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
    }

    private static Timed runAll(List<Callable<Long>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            long start = System.nanoTime();
            List<Future<Long>> futures = new ArrayList<>();
            for (Callable<Long> task : tasks) {
                futures.add(pool.submit(task));
            }
            long rows = 0;
            for (Future<Long> future : futures) {
                rows += future.get();
            }
            return new Timed(rows, (System.nanoTime() - start) / 1_000_000);
        } finally {
            pool.shutdownNow();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(
            String bootstrapServers, boolean readCommitted) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                readCommitted ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }
}
