package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.OAuthTokenServer;
import io.github.flinkconfluent.testing.SecuredListeners;
import io.github.flinkconfluent.testing.SecuredListeners.Listener;
import io.github.flinkconfluent.testing.TestCertificates;
import io.github.flinkconfluent.testing.TestNames;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's DDL in the SQL client on a real standalone cluster, with the shaded jar in {@code
 * lib/}, against brokers that authenticate as Confluent Cloud does: SASL_SSL with an API key
 * (PLAIN) and with OAuth (OAUTHBEARER, client-credentials tokens). The credentials reach every
 * process only as {@code {{VAR}}} templates; the token endpoint is allowed in each JVM with {@code
 * -Dorg.apache.kafka.sasl.oauthbearer.allowed.urls}, as an operator would. What the shaded jar
 * changes (relocated login modules, the bundled jose4j, Kafka's system property names) is what this
 * checks beyond the MiniCluster tests.
 */
@ExtendWith(ConfluentServicesExtension.class)
class SecuredClusterEndToEndITCase {

    @TempDir static Path directory;

    private static TestCertificates certificates;
    private static OAuthTokenServer tokens;
    private static KafkaBroker kafka;
    private static FlinkCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(directory.resolve("tls"), "e2e-store-password");
        tokens = new OAuthTokenServer();
        kafka =
                new KafkaBroker(
                        Map.of(),
                        SecuredListeners.with(certificates)
                                .plain(
                                        System.getenv("FLINK_CONFLUENT_IT_API_KEY"),
                                        System.getenv("FLINK_CONFLUENT_IT_API_SECRET"))
                                .oauth(
                                        tokens,
                                        System.getenv("FLINK_CONFLUENT_IT_OAUTH_CLIENT"),
                                        System.getenv("FLINK_CONFLUENT_IT_OAUTH_SECRET")));
        String allow = "-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=" + tokens.tokenEndpoint();
        cluster =
                new FlinkCluster(
                        true,
                        Map.of(
                                "env.java.opts.jobmanager", allow,
                                "env.java.opts.taskmanager", allow,
                                "env.java.opts.client", allow));
        CompletableFuture<Void> broker = CompletableFuture.runAsync(kafka::start);
        cluster.start();
        broker.join();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    @Test
    void theSeedDdlRunsOverSaslSslWithAnApiKey(
            ApicurioRegistry registry, TestNames names, @TempDir Path dir) throws Exception {
        runSeed(
                registry,
                names,
                dir,
                List.of(
                        set("bootstrap.servers", kafka.bootstrapServers(Listener.SASL_PLAIN)),
                        set("key", "{{FLINK_CONFLUENT_IT_API_KEY}}"),
                        set("secret", "{{FLINK_CONFLUENT_IT_API_SECRET}}")));
    }

    @Test
    void theSeedDdlRunsOverSaslSslWithOAuth(
            ApicurioRegistry registry, TestNames names, @TempDir Path dir) throws Exception {
        runSeed(
                registry,
                names,
                dir,
                List.of(
                        set("bootstrap.servers", kafka.bootstrapServers(Listener.SASL_OAUTH)),
                        set("auth.type", "sasl"),
                        set("auth.mechanism", "OAUTHBEARER"),
                        set("auth.oauth.token-endpoint", tokens.tokenEndpoint()),
                        set("auth.oauth.client-id", "{{FLINK_CONFLUENT_IT_OAUTH_CLIENT}}"),
                        set("auth.oauth.client-secret", "{{FLINK_CONFLUENT_IT_OAUTH_SECRET}}"),
                        set(
                                "auth.oauth.extensions",
                                "logicalCluster=lkc-e2e,identityPoolId=pool-e2e")));
    }

    private static void runSeed(
            ApicurioRegistry registry, TestNames names, Path dir, List<String> kafkaProfile)
            throws Exception {
        SeedOrders seed = new SeedOrders(kafka, registry, names, 200);
        List<String> lines = new ArrayList<>(kafkaProfile);
        lines.add(set("ssl.truststore.location", certificates.caPem().toString()));
        lines.add(set("ssl.truststore.type", "PEM"));
        lines.add(set("schema-registry.endpoint", registry.url()));
        lines.add("SET 'execution.checkpointing.interval' = '1 s';");
        lines.add("SET 'parallelism.default' = '2';");
        lines.add("SET 'table.dml-sync' = 'true';");
        lines.addAll(seed.pipelineStatements());
        Path script = Files.writeString(dir.resolve("orders.sql"), String.join("\n", lines) + "\n");

        FlinkCluster.ProcessResult session =
                cluster.runClient(
                        List.of(
                                "org.apache.flink.table.client.SqlClient",
                                "embedded",
                                "-f",
                                script.toString()),
                        Duration.ofMinutes(5));

        assertThat(session.exitCode()).as(session.output()).isZero();
        assertThat(session.output()).as(session.output()).doesNotContain("[ERROR]");
        assertThat(session.output())
                .doesNotContain(System.getenv("FLINK_CONFLUENT_IT_API_SECRET"))
                .doesNotContain(System.getenv("FLINK_CONFLUENT_IT_OAUTH_SECRET"));
        seed.assertCopied();
    }

    private static String set(String field, String value) {
        return "SET 'confluent.profiles.my_cluster." + field + "' = '" + value + "';";
    }
}
