package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;

import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Produces the input one batch per completed checkpoint while faults are injected, then two more
 * batches, so every fault lands while data flows. Order ids are unique sequence numbers; only
 * records the broker acknowledged count as input.
 *
 * <p>A thread of its own because the {@link FaultCampaign} injects faults while it feeds: the
 * producer waits out every fault (it must never give up and retry, which would duplicate), and the
 * trial reads the acknowledged ids once it ended.
 */
final class CampaignFeeder extends Thread {

    private final KafkaBroker kafka;
    private final String topic;
    private final JobProbe job;
    private final Supplier<SchemaRegistryClient> registryClient;
    private final int maxBatches;
    private final int batchSize;
    private final Set<Integer> produced = ConcurrentHashMap.newKeySet();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean stopped;
    private volatile boolean faultsDone;

    CampaignFeeder(
            KafkaBroker kafka,
            String topic,
            JobProbe job,
            Supplier<SchemaRegistryClient> registryClient,
            int maxBatches,
            int batchSize) {
        super("campaign-feeder");
        setDaemon(true);
        this.kafka = kafka;
        this.topic = topic;
        this.job = job;
        this.registryClient = registryClient;
        this.maxBatches = maxBatches;
        this.batchSize = batchSize;
    }

    Set<Integer> produced() {
        return produced;
    }

    /** Why feeding stopped early, or null. */
    String failure() {
        return failure.get();
    }

    void stopFeeding() {
        stopped = true;
    }

    /** After the last fault, two more batches, then the input is complete. */
    void faultsDone() {
        faultsDone = true;
    }

    @Override
    public void run() {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        // Outlive every fault of the schedule instead of failing (a retry would duplicate).
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 600_000);
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(
                        registryClient.get(), topic + "-value", SeedOrders.ORDER, true);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            int next = 0;
            int afterFaults = 0;
            long checkpoint = -1;
            for (int batch = 0; batch < maxBatches && afterFaults < 2 && !stopped; batch++) {
                if (batch > 0) {
                    long previous = checkpoint;
                    Poll.until(
                            "a checkpoint after " + previous + " before input batch " + batch,
                            FaultCampaign.STEP_BOUND,
                            () ->
                                    stopped
                                            || job.completedCheckpoints() > previous
                                            || JobProbe.TERMINAL.contains(job.state()));
                }
                checkpoint = job.completedCheckpoints();
                if (stopped || JobProbe.TERMINAL.contains(job.state())) {
                    return;
                }
                if (faultsDone) {
                    afterFaults++;
                }
                Map<Integer, Future<RecordMetadata>> sent = new HashMap<>();
                for (int i = 0; i < batchSize; i++, next++) {
                    GenericRecord order = new GenericData.Record(SeedOrders.ORDER);
                    order.put("customer_id", next % 7);
                    order.put("order_id", next);
                    sent.put(
                            next,
                            producer.send(
                                    new ProducerRecord<>(
                                            topic, null, serializer.serialize(order))));
                }
                producer.flush();
                for (Map.Entry<Integer, Future<RecordMetadata>> e : sent.entrySet()) {
                    e.getValue().get();
                    produced.add(e.getKey());
                }
            }
        } catch (Exception | AssertionError e) {
            failure.set(e.toString());
        }
    }
}
