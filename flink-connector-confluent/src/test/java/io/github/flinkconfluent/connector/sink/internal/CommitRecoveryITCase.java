package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.connector.UnrecoverableException;
import io.github.flinkconfluent.connector.options.CommitMode;
import io.github.flinkconfluent.connector.options.LostTransactionPolicy;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordSerializer;
import io.github.flinkconfluent.connector.sink.ConfluentSink;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the committer makes of the transactions a restore finds — open, already committed, aborted
 * by the broker, or with an outcome nobody can prove any more — driven by Flink's own committer
 * operator in a MiniCluster job ({@link ReplayingSink}), on transactions prepared on a real broker.
 *
 * <p>The jobs restart without limit, so a job that ends FAILED was failed on purpose, at once,
 * rather than after a restart loop: a lost transaction must stop the job with its reason, never let
 * it finish or run on without the data.
 */
@ExtendWith(ConfluentServicesExtension.class)
class CommitRecoveryITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    /**
     * A broker that forgets idle transactional ids within seconds, so that producer ids change and
     * coordinators lose transactions as they do after days of downtime in production.
     */
    private static KafkaBroker forgetful;

    @AfterAll
    static void stopForgetful() {
        if (forgetful != null) {
            forgetful.close();
        }
    }

    private static synchronized KafkaBroker forgetful() {
        if (forgetful == null) {
            forgetful =
                    new KafkaBroker(
                            Map.of(
                                    "transactional.id.expiration.ms", "5000",
                                    "transaction.remove.expired.transaction.cleanup.interval.ms",
                                            "500"));
            forgetful.start();
        }
        return forgetful;
    }

    static JobClient replay(
            KafkaBroker kafka,
            String topic,
            LostTransactionPolicy policy,
            ConfluentCommittable... committables)
            throws Exception {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        config.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, Integer.MAX_VALUE);
        config.set(
                RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.enableCheckpointing(200);
        env.setParallelism(1);
        ConfluentSink<String> sink =
                ConfluentSink.<String>builder()
                        .setConnectionProfile(
                                ConnectionProfiles.resolve(
                                        null,
                                        new Configuration(),
                                        Map.of("bootstrap.servers", kafka.bootstrapServers())))
                        .setTopic(topic)
                        .setCommitMode(CommitMode.EXACTLY_ONCE)
                        .setTransactionTimeout(Duration.ofSeconds(60))
                        .setOnLostTransaction(policy)
                        .setRecordSerializer(
                                ConfluentRecordSerializer.valueOnly(new SimpleStringSchema()))
                        .build();
        env.fromData("one").sinkTo(new ReplayingSink<>(sink, List.of(committables)));
        return env.executeAsync();
    }

    static void awaitFinished(JobClient job) throws Exception {
        job.getJobExecutionResult().get(3, TimeUnit.MINUTES);
    }

    static Throwable awaitFailure(JobClient job) {
        ExecutionException failure =
                org.junit.jupiter.api.Assertions.assertThrows(
                        ExecutionException.class,
                        () -> job.getJobExecutionResult().get(3, TimeUnit.MINUTES),
                        "the job must fail");
        return failure;
    }

    private static TransactionInspector.Outcome outcome(
            TransactionInspector inspector, ConfluentCommittable committable) {
        try {
            return inspector.outcome(committable).outcome();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> properties(KafkaBroker kafka) {
        return TransactionalProducerITCase.properties(kafka);
    }

    private static void fence(Map<String, String> properties, String transactionalId) {
        TransactionalProducer fencer = new TransactionalProducer(properties, transactionalId);
        fencer.initTransactions(); // aborts the open transaction
        fencer.closeQuietly();
    }

    private static void awaitExpired(KafkaBroker kafka, String transactionalId) {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            Poll.until(
                    "the broker to expire transactional id " + transactionalId,
                    Duration.ofSeconds(120),
                    () -> {
                        try {
                            admin.describeTransactions(List.of(transactionalId))
                                    .description(transactionalId)
                                    .get(30, TimeUnit.SECONDS);
                            return false;
                        } catch (ExecutionException e) {
                            if (e.getCause() instanceof TransactionalIdNotFoundException) {
                                return true;
                            }
                            throw new IllegalStateException(e);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
        }
    }

    @Test
    void anOpenTransactionIsCommittedOnceAndARecommitIsRecognised(
            KafkaBroker kafka, TestNames names) throws Exception {
        String topic = names.topic("recommit");
        kafka.createTopic(topic, 1);
        ConfluentCommittable committable =
                TransactionalProducerITCase.writeAndCrash(
                        properties(kafka), topic, topic + "-tx-0", 0, "x", "y");

        awaitFinished(replay(kafka, topic, LostTransactionPolicy.FAIL, committable));
        assertThat(kafka.readCommittedValues(topic)).containsExactly("x", "y");

        awaitFinished(replay(kafka, topic, LostTransactionPolicy.FAIL, committable));
        assertThat(kafka.readCommittedValues(topic)).containsExactly("x", "y");
    }

    @Test
    void anAbortedTransactionFailsTheJobAtOnceNamingItsCheckpointAndTimeout(
            KafkaBroker kafka, TestNames names) throws Exception {
        String topic = names.topic("aborted");
        kafka.createTopic(topic, 1);
        Map<String, String> properties = properties(kafka);
        ConfluentCommittable committable =
                TransactionalProducerITCase.writeAndCrash(
                        properties, topic, topic + "-tx-0", 0, "lost");
        fence(properties, committable.transactionalId());

        Throwable failure =
                awaitFailure(replay(kafka, topic, LostTransactionPolicy.FAIL, committable));

        assertThat(failure)
                .hasStackTraceContaining(UnrecoverableException.class.getName())
                .hasStackTraceContaining("Data loss")
                .hasStackTraceContaining(committable.transactionalId())
                .hasStackTraceContaining("after checkpoint 7")
                .hasStackTraceContaining("transaction.timeout.ms (60000 ms")
                .hasStackTraceContaining("'sink.on_lost_transaction' = 'continue'");
        assertThat(kafka.readCommittedValues(topic)).isEmpty();
    }

    @Test
    void aTransactionTheBrokerTimedOutFailsTheJob(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("timeout");
        kafka.createTopic(topic, 1);
        Map<String, String> properties = properties(kafka);
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "1000");
        ConfluentCommittable committable =
                TransactionalProducerITCase.writeAndCrash(
                        properties, topic, topic + "-tx-0", 0, "late");
        try (TransactionInspector inspector = new TransactionInspector(properties)) {
            Poll.until(
                    "the broker to abort the timed-out transaction",
                    Duration.ofSeconds(120),
                    () -> outcome(inspector, committable) == TransactionInspector.Outcome.ABORTED);
        }

        Throwable failure =
                awaitFailure(replay(kafka, topic, LostTransactionPolicy.FAIL, committable));

        assertThat(failure)
                .hasStackTraceContaining("Data loss")
                .hasStackTraceContaining("the coordinator aborted it (CompleteAbort)");
    }

    @Test
    void withContinueALostTransactionIsLoggedAndTheJobGoesOn(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("continue");
        kafka.createTopic(topic, 1);
        Map<String, String> properties = properties(kafka);
        ConfluentCommittable lost =
                TransactionalProducerITCase.writeAndCrash(
                        properties, topic, topic + "-tx-0", 0, "lost");
        fence(properties, lost.transactionalId());
        ConfluentCommittable kept =
                TransactionalProducerITCase.writeAndCrash(
                        properties, topic, topic + "-tx-1", 0, "kept");

        awaitFinished(replay(kafka, topic, LostTransactionPolicy.CONTINUE, lost, kept));

        assertThat(kafka.readCommittedValues(topic)).containsExactly("kept");
    }

    @Test
    void aStaleMarkerUnderAnEarlierProducerIdDoesNotHideAnAbort(TestNames names) throws Exception {
        KafkaBroker kafka = forgetful();
        String topic = names.topic("new-pid");
        kafka.createTopic(topic, 1);
        Map<String, String> properties = properties(kafka);
        String id = topic + "-tx-0";
        TransactionalProducer first = new TransactionalProducer(properties, id);
        first.initTransactions();
        first.beginTransaction();
        first.send(new ProducerRecord<>(topic, 0, null, "kept".getBytes(StandardCharsets.UTF_8)));
        CommitMarker.write(first, topic, 0);
        first.commitTransaction();
        long firstProducerId = first.producerId();
        first.closeQuietly();
        awaitExpired(kafka, id);

        ConfluentCommittable second =
                TransactionalProducerITCase.writeAndCrash(properties, topic, id, 1, "lost");
        assertThat(second.producerId())
                .as("the broker handed out a new producer id")
                .isNotEqualTo(firstProducerId);
        fence(properties, id);

        Throwable failure = awaitFailure(replay(kafka, topic, LostTransactionPolicy.FAIL, second));

        assertThat(failure).hasStackTraceContaining("Data loss").hasStackTraceContaining(id);
        assertThat(kafka.readCommittedValues(topic)).containsExactly("kept");
    }

    @Test
    void anOutcomeNobodyCanProveFailsTheJobAndSaysHowToGoOn(TestNames names) throws Exception {
        KafkaBroker kafka = forgetful();
        String topic = names.topic("unknown");
        kafka.createTopic(topic, 1);
        Map<String, String> properties = properties(kafka);
        ConfluentCommittable written =
                TransactionalProducerITCase.writeAndCrash(
                        properties, topic, topic + "-tx-0", 0, "?");
        fence(properties, written.transactionalId());
        awaitExpired(kafka, written.transactionalId());
        // As if written a month ago: its commit marker, had it committed, may have expired too.
        ConfluentCommittable monthOld =
                new ConfluentCommittable(
                        written.transactionalId(),
                        written.producerId(),
                        written.epoch(),
                        written.transactionV2(),
                        written.afterCheckpoint(),
                        written.sequence(),
                        System.currentTimeMillis() - Duration.ofDays(30).toMillis());

        Throwable unknown =
                awaitFailure(replay(kafka, topic, LostTransactionPolicy.FAIL, monthOld));
        assertThat(unknown)
                .hasStackTraceContaining("Cannot tell whether")
                .hasStackTraceContaining("no longer knows the id")
                .hasStackTraceContaining("'sink.on_lost_transaction' = 'continue'");

        Throwable recent = awaitFailure(replay(kafka, topic, LostTransactionPolicy.FAIL, written));
        assertThat(recent)
                .as("without a marker that could have expired, the abort is proven")
                .hasStackTraceContaining("Data loss");
    }
}
