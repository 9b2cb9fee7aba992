package io.github.flinkconfluent.connector.sink.internal;

import io.github.flinkconfluent.connector.UnrecoverableException;
import io.github.flinkconfluent.connector.options.LostTransactionPolicy;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one way a committed transaction still loses records without the job noticing, reproduced on
 * real brokers and caught by the sink ({@link HangingTransactions}): the coordinator commits while
 * a partition the transaction wrote to has no leader, skips that partition's marker, and reports
 * the transaction committed; the partition keeps it open for ever and {@code read_committed}
 * readers stop there.
 *
 * <p>Two brokers: node 1 (controller, and the transaction and group coordinators, whose internal
 * topics are created before node 2 joins) and node 2, the only replica of the output partition.
 * Stopping node 2 leaves the partition without leader, as a single broker restarting does.
 */
class HangingTransactionITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static KafkaBroker coordinators;
    private static KafkaBroker replica;

    @BeforeAll
    static void startBrokers() throws Exception {
        coordinators =
                new KafkaBroker(
                        Map.of(
                                "transaction.state.log.num.partitions", "1",
                                "offsets.topic.num.partitions", "1"));
        coordinators.start();
        createInternalTopicsOnNode1();
        replica = new KafkaBroker(coordinators, 2, Map.of());
        replica.start();
        try (Admin admin = Admin.create(coordinators.clientProperties())) {
            Poll.until(
                    "node 2 to join the cluster",
                    Duration.ofSeconds(120),
                    asked(() -> admin.describeCluster().nodes().get().size() == 2));
        }
    }

    @AfterAll
    static void stopBrokers() {
        if (replica != null) {
            replica.close();
        }
        if (coordinators != null) {
            coordinators.close();
        }
    }

    /**
     * One committed transaction with offsets creates both internal topics while node 1 is alone.
     */
    private static void createInternalTopicsOnNode1() {
        coordinators.createTopic("warm-up", 1);
        Map<String, String> properties = TransactionalProducerITCase.properties(coordinators);
        TransactionalProducer producer = new TransactionalProducer(properties, "warm-up-tx");
        try {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("warm-up", 0, null, new byte[] {1}));
            producer.sendOffsetsToTransaction(
                    Map.of(new TopicPartition("warm-up", 0), new OffsetAndMetadata(0)),
                    new ConsumerGroupMetadata("warm-up-group"));
            producer.commitTransaction();
        } finally {
            producer.closeQuietly();
        }
    }

    /** A topic whose only partition lives on node 2 alone. */
    private static void createTopicOnNode2(Admin admin, String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(2))))).all().get();
        awaitLeader(admin, topic, Optional.of(2));
    }

    private static void awaitLeader(Admin admin, String topic, Optional<Integer> leader) {
        Poll.until(
                "partition " + topic + "-0 to have leader " + leader.orElse(-1),
                Duration.ofSeconds(120),
                asked(
                        () -> {
                            TopicDescription description;
                            try {
                                description =
                                        admin.describeTopics(List.of(topic))
                                                .allTopicNames()
                                                .get()
                                                .get(topic);
                            } catch (ExecutionException e) {
                                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                                    // Just created: the broker asked has no metadata for it yet.
                                    return false;
                                }
                                throw e;
                            }
                            Node current = description.partitions().get(0).leader();
                            Optional<Integer> id =
                                    current == null || current.isEmpty()
                                            ? Optional.empty()
                                            : Optional.of(current.id());
                            return id.equals(leader);
                        }));
    }

    /** A condition for {@link Poll} from a question to the brokers that may throw. */
    private static BooleanSupplier asked(Callable<Boolean> question) {
        return () -> {
            try {
                return question.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static OptionalLong openTransactionOn(Admin admin, TopicPartition partition, long pid)
            throws Exception {
        List<ProducerState> active =
                admin.describeProducers(List.of(partition))
                        .partitionResult(partition)
                        .get(30, TimeUnit.SECONDS)
                        .activeProducers();
        return HangingTransactions.openTransactionStart(active, pid);
    }

    @Test
    void aCommitWhoseMarkerTheBrokerSkippedFailsTheJobNamingPartitionAndOffset() throws Exception {
        String topic = "hanging-" + System.nanoTime();
        TopicPartition partition = new TopicPartition(topic, 0);
        Map<String, String> properties = TransactionalProducerITCase.properties(coordinators);
        try (Admin admin = Admin.create(coordinators.clientProperties())) {
            createTopicOnNode2(admin, topic);
            ConfluentCommittable committable =
                    TransactionalProducerITCase.writeAndCrash(
                            properties, topic, topic + "-tx-0", 0, "a", "b");
            long first = committable.firstOffsets().get(partition);

            // The partition loses its only replica; a committer commits meanwhile and crashes.
            replica.stop();
            awaitLeader(admin, topic, Optional.empty());
            TransactionalProducer committer =
                    new TransactionalProducer(properties, committable.transactionalId());
            committer.resume(
                    committable.producerId(), committable.epoch(), committable.transactionV2());
            committer.commitTransaction();
            committer.closeQuietly();
            Poll.until(
                    "the coordinator to complete the commit without the partition's marker",
                    Duration.ofSeconds(120),
                    asked(
                            () ->
                                    admin.describeTransactions(
                                                            List.of(committable.transactionalId()))
                                                    .description(committable.transactionalId())
                                                    .get()
                                                    .state()
                                            == TransactionState.COMPLETE_COMMIT));
            replica.start();
            awaitLeader(admin, topic, Optional.of(2));
            assertThat(openTransactionOn(admin, partition, committable.producerId()))
                    .as("the broker defect: the partition still holds the committed transaction")
                    .hasValue(first);
            assertThat(coordinators.readCommittedValues(topic)).isEmpty();

            // The restored job re-commits the checkpoint's transaction: the coordinator says
            // committed, the partition says open.
            Throwable failure =
                    CommitRecoveryITCase.awaitFailure(
                            CommitRecoveryITCase.replay(
                                    coordinators, topic, LostTransactionPolicy.FAIL, committable));

            assertThat(failure)
                    .hasStackTraceContaining(UnrecoverableException.class.getName())
                    .hasStackTraceContaining("Data loss: partition '" + partition + "'")
                    .hasStackTraceContaining(committable.transactionalId())
                    .hasStackTraceContaining("still holds open, from offset " + first)
                    .hasStackTraceContaining("CompleteCommit")
                    .hasStackTraceContaining(
                            "abort --topic " + topic + " --partition 0 --start-offset " + first);
        }
    }

    @Test
    void aCommitWhoseMarkersAllArrivedPassesTheCheckOnTheSameCluster() throws Exception {
        String topic = "closed-" + System.nanoTime();
        try (Admin admin = Admin.create(coordinators.clientProperties())) {
            createTopicOnNode2(admin, topic);
        }
        ConfluentCommittable committable =
                TransactionalProducerITCase.writeAndCrash(
                        TransactionalProducerITCase.properties(coordinators),
                        topic,
                        topic + "-tx-0",
                        0,
                        "c",
                        "d");
        assertThat(committable.firstOffsets()).containsKey(new TopicPartition(topic, 0));

        CommitRecoveryITCase.awaitFinished(
                CommitRecoveryITCase.replay(
                        coordinators, topic, LostTransactionPolicy.FAIL, committable));

        assertThat(coordinators.readCommittedValues(topic)).containsExactly("c", "d");
    }

    @Test
    void anAbortWhoseMarkerTheBrokerSkippedBlocksTheNextCommitAndFailsTheJob() throws Exception {
        String topic = "blocked-" + System.nanoTime();
        TopicPartition partition = new TopicPartition(topic, 0);
        TransactionIds ids = new TransactionIds(topic + "-sink", 0, 0);
        Map<String, String> properties = TransactionalProducerITCase.properties(coordinators);
        try (Admin admin = Admin.create(coordinators.clientProperties())) {
            createTopicOnNode2(admin, topic);
            // A transaction left open by a crash; the restarted sink takes its id over (aborting
            // it) while the partition has no leader.
            ConfluentCommittable crashed =
                    TransactionalProducerITCase.writeAndCrash(
                            properties, topic, ids.id(0), 0, "aborted");
            replica.stop();
            awaitLeader(admin, topic, Optional.empty());
            TransactionalProducer takeover = new TransactionalProducer(properties, ids.id(0));
            takeover.initTransactions();
            takeover.closeQuietly();
            replica.start();
            awaitLeader(admin, topic, Optional.of(2));
            assertThat(openTransactionOn(admin, partition, crashed.producerId()))
                    .as("the broker defect: the aborted transaction is still open there")
                    .hasValue(crashed.firstOffsets().get(partition));

            // The next transaction of the sink, on its other id, commits behind it.
            ConfluentCommittable next =
                    TransactionalProducerITCase.writeAndCrash(
                            properties, topic, ids.id(1), 0, "committed");
            Throwable failure =
                    CommitRecoveryITCase.awaitFailure(
                            CommitRecoveryITCase.replay(
                                    coordinators, topic, LostTransactionPolicy.FAIL, next));

            assertThat(failure)
                    .hasStackTraceContaining(UnrecoverableException.class.getName())
                    .hasStackTraceContaining("Data invisible: partition '" + partition + "'")
                    .hasStackTraceContaining("'" + ids.id(0) + "'")
                    .hasStackTraceContaining(
                            "--start-offset " + crashed.firstOffsets().get(partition));
        }
    }
}
