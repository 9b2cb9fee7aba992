package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.connector.sink2.Committer;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transaction machinery on the real 4.4 broker: a transaction resumed from its checkpointed
 * producer id and epoch by another producer commits (this fails loudly if a kafka-clients upgrade
 * changes the internals {@link TransactionalProducer} relies on); a recommit is recognised as done;
 * an aborted or timed-out transaction is reported as lost data.
 */
@ExtendWith(ConfluentServicesExtension.class)
class TransactionalProducerITCase {

    private static Map<String, String> properties(KafkaBroker kafka) {
        Map<String, String> properties = new HashMap<>();
        kafka.clientProperties().forEach((k, v) -> properties.put(k, String.valueOf(v)));
        return properties;
    }

    /** Begins a transaction, writes {@code values}, flushes, and "crashes" without committing. */
    private static ConfluentCommittable writeAndCrash(
            Map<String, String> properties, String topic, String id, String... values) {
        TransactionalProducer producer = new TransactionalProducer(properties, id);
        producer.initTransactions();
        producer.beginTransaction();
        for (String value : values) {
            producer.send(
                    new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8)));
        }
        CommitMarker.write(producer, topic);
        producer.flush();
        ConfluentCommittable committable =
                new ConfluentCommittable(
                        id, producer.producerId(), producer.epoch(), producer.transactionV2(), 7);
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
                writeAndCrash(properties, topic, topic + "-tx-0", "a", "b", "c");
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
            assertThat(inspector.outcome(committable))
                    .isEqualTo(TransactionInspector.Outcome.COMMITTED);
        }
    }

    @Test
    void theCommitterCommitsOnceAndRecognisesARecommit(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("recommit");
        kafka.createTopic(topic, 1);
        Map<String, String> properties = properties(kafka);
        ConfluentCommittable committable =
                writeAndCrash(properties, topic, topic + "-tx-0", "x", "y");

        try (Committing committer = new Committing(properties, topic)) {
            RecordingRequest first = new RecordingRequest(committable);
            committer.commit(List.of(first));
            RecordingRequest again = new RecordingRequest(committable);
            committer.commit(List.of(again));

            assertThat(first.outcome).isEqualTo("committed");
            assertThat(again.outcome).isEqualTo("already committed");
        }
        assertThat(kafka.readCommittedValues(topic)).containsExactly("x", "y");
    }

    @Test
    void anAbortedTransactionIsReportedAsLostData(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("aborted");
        kafka.createTopic(topic, 1);
        Map<String, String> properties = properties(kafka);
        ConfluentCommittable committable =
                writeAndCrash(properties, topic, topic + "-tx-0", "lost");
        TransactionalProducer fencer =
                new TransactionalProducer(properties, committable.transactionalId());
        fencer.initTransactions(); // aborts the open transaction
        fencer.closeQuietly();

        try (Committing committer = new Committing(properties, topic)) {
            RecordingRequest request = new RecordingRequest(committable);
            committer.commit(List.of(request));

            assertThat(request.outcome).isEqualTo("failed (known reason)");
            assertThat(request.failure)
                    .hasMessageContaining("Data loss")
                    .hasMessageContaining(committable.transactionalId())
                    .hasMessageContaining("after checkpoint 7")
                    .hasMessageContaining("'sink.transaction.timeout'");
        }
        assertThat(kafka.readCommittedValues(topic)).isEmpty();
    }

    @Test
    void aTransactionTheBrokerTimedOutIsReportedAsLostData(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("timeout");
        kafka.createTopic(topic, 1);
        Map<String, String> properties = properties(kafka);
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "1000");
        ConfluentCommittable committable =
                writeAndCrash(properties, topic, topic + "-tx-0", "late");

        try (TransactionInspector inspector = new TransactionInspector(properties);
                Committing committer = new Committing(properties, topic)) {
            Poll.until(
                    "the broker to abort the timed-out transaction",
                    Duration.ofSeconds(60),
                    () -> outcome(inspector, committable) == TransactionInspector.Outcome.ABORTED);
            RecordingRequest request = new RecordingRequest(committable);
            committer.commit(List.of(request));

            assertThat(request.outcome).isEqualTo("failed (known reason)");
            assertThat(request.failure)
                    .hasMessageContaining("Data loss")
                    .hasMessageContaining("transaction.timeout.ms (1000 ms)");
        }
    }

    private static TransactionInspector.Outcome outcome(
            TransactionInspector inspector, ConfluentCommittable committable) {
        try {
            return inspector.outcome(committable);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A commit request that records what the committer decided. */
    static final class RecordingRequest implements Committer.CommitRequest<ConfluentCommittable> {
        final ConfluentCommittable committable;
        String outcome = "committed";
        Throwable failure;

        RecordingRequest(ConfluentCommittable committable) {
            this.committable = committable;
        }

        @Override
        public ConfluentCommittable getCommittable() {
            return committable;
        }

        @Override
        public int getNumberOfRetries() {
            return 0;
        }

        @Override
        public void signalFailedWithKnownReason(Throwable t) {
            outcome = "failed (known reason)";
            failure = t;
        }

        @Override
        public void signalFailedWithUnknownReason(Throwable t) {
            outcome = "failed (unknown reason)";
            failure = t;
        }

        @Override
        public void retryLater() {
            outcome = "retry later";
        }

        @Override
        public void updateAndRetryLater(ConfluentCommittable committable) {
            outcome = "retry later";
        }

        @Override
        public void signalAlreadyCommitted() {
            outcome = "already committed";
        }
    }
}
