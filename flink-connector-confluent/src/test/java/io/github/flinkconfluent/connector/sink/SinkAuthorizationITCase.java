package io.github.flinkconfluent.connector.sink;

import io.github.flinkconfluent.connector.UnrecoverableException;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.testing.KafkaBroker;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exactly-once sink whose principal may not use the consumer group of its commit markers (the
 * group named after each transactional id, see {@code CommitMarker}) fails at once, naming the
 * group and what to grant, instead of restarting for ever: on a real broker with Kafka's {@code
 * StandardAuthorizer}, where everything is allowed but the ACLs set here.
 */
class SinkAuthorizationITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static KafkaBroker kafka;

    @BeforeAll
    static void startBroker() {
        kafka =
                new KafkaBroker(
                        Map.of(
                                "authorizer.class.name",
                                "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                                "allow.everyone.if.no.acl.found",
                                "true"));
        kafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Reading the markers (DESCRIBE) is allowed, writing them (READ) is not. */
    @Test
    void aMarkerThatMayNotBeWrittenFailsTheJobNamingTheGroup() throws Exception {
        String prefix = "no-marker-write-" + System.nanoTime();
        acls(
                acl(prefix, AclOperation.DESCRIBE, AclPermissionType.ALLOW),
                acl(prefix, AclOperation.READ, AclPermissionType.DENY));

        Throwable failure = runSink(prefix);

        assertThat(failure)
                .hasStackTraceContaining(UnrecoverableException.class.getName())
                .hasStackTraceContaining("denied access to consumer group '" + prefix)
                .hasStackTraceContaining("while trying to write the commit marker")
                .hasStackTraceContaining("grant the principal access");
    }

    /** Neither reading nor writing the markers is allowed. */
    @Test
    void aMarkerThatMayNotBeReadFailsTheJobNamingTheGroup() throws Exception {
        String prefix = "no-marker-read-" + System.nanoTime();
        acls(acl(prefix, AclOperation.ALL, AclPermissionType.DENY));

        Throwable failure = runSink(prefix);

        assertThat(failure)
                .hasStackTraceContaining(UnrecoverableException.class.getName())
                .hasStackTraceContaining("denied access to consumer group '" + prefix)
                .hasStackTraceContaining("while trying to read the commit marker")
                .hasStackTraceContaining("grant the principal access");
    }

    private static AclBinding acl(
            String groupPrefix, AclOperation operation, AclPermissionType permission) {
        return new AclBinding(
                new ResourcePattern(ResourceType.GROUP, groupPrefix, PatternType.PREFIXED),
                new AccessControlEntry("User:ANONYMOUS", "*", operation, permission));
    }

    private static void acls(AclBinding... bindings) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.createAcls(List.of(bindings)).all().get(1, TimeUnit.MINUTES);
        }
    }

    /** Runs a bounded copy of 100 records into an exactly-once sink; returns how it failed. */
    private static Throwable runSink(String prefix) throws Exception {
        String input = prefix + "-in";
        String output = prefix + "-out";
        kafka.createTopic(input, 1);
        kafka.createTopic(output, 1);
        List<String> produced = new ArrayList<>(ConfluentSinkITCase.produce(kafka, input, 0, 100));
        assertThat(produced).hasSize(100);
        ConnectionProfile profile = ConfluentSinkITCase.profile(kafka);
        // Restarts without end: only an unrecoverable failure ends the job.
        StreamExecutionEnvironment env = SinkFaultsITCase.environment(Integer.MAX_VALUE);
        env.setParallelism(1);
        SinkFaultsITCase.read(env, profile, input, true)
                .sinkTo(
                        SinkFaultsITCase.exactlyOnce(profile, output)
                                .setTransactionalIdPrefix(prefix)
                                .build());
        Throwable failure = SinkFaultsITCase.awaitFailure(env.executeAsync());
        assertThat(kafka.readCommittedValues(output)).as("nothing committed").isEmpty();
        return failure;
    }
}
