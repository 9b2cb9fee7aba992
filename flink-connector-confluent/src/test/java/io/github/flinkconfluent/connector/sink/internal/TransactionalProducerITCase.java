package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transaction machinery on the real 4.4 broker: a transaction resumed from its checkpointed
 * producer id and epoch by another producer commits (this fails loudly if a kafka-clients upgrade
 * changes the internals {@link TransactionalProducer} relies on). What the committer makes of
 * committed, aborted and unknown transactions is tested through Flink's own committer operator in
 * {@code CommitRecoveryITCase}.
 */
@ExtendWith(ConfluentServicesExtension.class)
public class TransactionalProducerITCase {

    public static Map<String, String> properties(KafkaBroker kafka) {
        Map<String, String> properties = new HashMap<>();
        kafka.clientProperties().forEach((k, v) -> properties.put(k, String.valueOf(v)));
        return properties;
    }

    /**
     * Begins transaction number {@code sequence} on {@code id}, writes {@code values} and the
     * commit marker, flushes, and "crashes" without committing.
     */
    public static ConfluentCommittable writeAndCrash(
            Map<String, String> properties,
            String topic,
            String id,
            long sequence,
            String... values) {
        TransactionalProducer producer = new TransactionalProducer(properties, id);
        producer.initTransactions();
        producer.beginTransaction();
        Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        for (String value : values) {
            try {
                RecordMetadata written =
                        producer.send(
                                        new ProducerRecord<>(
                                                topic,
                                                0,
                                                null,
                                                value.getBytes(StandardCharsets.UTF_8)))
                                .get();
                firstOffsets.merge(
                        new TopicPartition(topic, written.partition()),
                        written.offset(),
                        Math::min);
            } catch (Exception e) {
                throw new IllegalStateException("Could not write " + value + " to " + topic, e);
            }
        }
        CommitMarker.write(producer, topic, sequence);
        producer.flush();
        ConfluentCommittable committable =
                new ConfluentCommittable(
                        id,
                        producer.producerId(),
                        producer.epoch(),
                        producer.transactionV2(),
                        7,
                        sequence,
                        System.currentTimeMillis(),
                        firstOffsets);
        producer.closeQuietly();
        return committable;
    }

    @Test
    void anotherProducerResumesAndCommitsTheTransaction(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("resume");
        kafka.createTopic(topic, 1);
        Map<String, String> properties = properties(kafka);
        ConfluentCommittable committable =
                writeAndCrash(properties, topic, topic + "-tx-0", 0, "a", "b", "c");
        assertThat(committable.transactionV2())
                .as("the 4.4 broker runs transactions version 2")
                .isTrue();

        TransactionalProducer resumed =
                new TransactionalProducer(properties, committable.transactionalId());
        resumed.resume(committable.producerId(), committable.epoch(), committable.transactionV2());
        resumed.commitTransaction();
        resumed.closeQuietly();

        assertThat(kafka.readCommittedValues(topic)).containsExactly("a", "b", "c");
        try (TransactionInspector inspector = new TransactionInspector(properties)) {
            assertThat(inspector.outcome(committable).outcome())
                    .isEqualTo(TransactionInspector.Outcome.COMMITTED);
        }
    }
}
