package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.UnrecoverableException;
import io.github.flinkconfluent.connector.format.avro.AvroRegistryDeserializer;
import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.ConfluentTestServices;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.OAuthTokenServer;
import io.github.flinkconfluent.testing.RecordingHttpProxy;
import io.github.flinkconfluent.testing.SecuredListeners;
import io.github.flinkconfluent.testing.SecuredListeners.Listener;
import io.github.flinkconfluent.testing.ServiceProcess;
import io.github.flinkconfluent.testing.TestCertificates;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's DDL end to end against each way Confluent Cloud and private clusters authenticate:
 * brokers on SASL_SSL with an API key (PLAIN), SCRAM-SHA-512 and OAuth (OAUTHBEARER with
 * client-credentials tokens), and on SSL with client certificates; registries over HTTPS with basic
 * auth, a static bearer token, OAuth tokens from the Kafka connection's client, and client
 * certificates. Every connection is real, on 127.0.0.1, with hostname verification on, and every
 * credential comes through a {@code {{VAR}}} template (set for this JVM by the build).
 *
 * <p>One broker with all four secured listeners, one secured registry and the token server serve
 * the whole class; they start together, once.
 */
@ExtendWith(ConfluentServicesExtension.class)
class ConfluentCloudSecurityITCase {

    static final String STORE_PASSWORD = env("FLINK_CONFLUENT_IT_STORE_PASSWORD");

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    @TempDir static Path directory;

    static TestCertificates certificates;
    static OAuthTokenServer tokens;
    static KafkaBroker kafka;
    static ApicurioRegistry registry;
    static RecordingHttpProxy mtlsRegistry;

    /** How a variant's connection authenticates. */
    enum Variant {
        API_KEY,
        SCRAM,
        OAUTH,
        MUTUAL_TLS
    }

    @BeforeAll
    static void startSecuredServices() {
        certificates = TestCertificates.create(directory.resolve("tls"), STORE_PASSWORD);
        tokens = new OAuthTokenServer().allowForKafkaClients();
        kafka =
                new KafkaBroker(
                        Map.of(),
                        SecuredListeners.with(certificates)
                                .plain(
                                        env("FLINK_CONFLUENT_IT_API_KEY"),
                                        env("FLINK_CONFLUENT_IT_API_SECRET"))
                                .scram(
                                        env("FLINK_CONFLUENT_IT_SCRAM_USER"),
                                        env("FLINK_CONFLUENT_IT_SCRAM_PASSWORD"))
                                .oauth(
                                        tokens,
                                        env("FLINK_CONFLUENT_IT_OAUTH_CLIENT"),
                                        env("FLINK_CONFLUENT_IT_OAUTH_SECRET"))
                                .mutualTls());
        registry =
                ApicurioRegistry.withBasicAuth(
                                env("FLINK_CONFLUENT_IT_SR_KEY"),
                                env("FLINK_CONFLUENT_IT_SR_SECRET"))
                        .tls(certificates.serverKeystore(), STORE_PASSWORD)
                        .bearerTokens(tokens);
        ServiceProcess.startAll(kafka, registry);
        // Apicurio cannot require client certificates (fixed in its build): the shared registry
        // behind a front that does.
        mtlsRegistry =
                RecordingHttpProxy.mutualTls(ConfluentTestServices.registry().url(), certificates);
    }

    @AfterAll
    static void stopSecuredServices() {
        for (AutoCloseable service : new AutoCloseable[] {mtlsRegistry, kafka, registry, tokens}) {
            if (service != null) {
                try {
                    service.close();
                } catch (Exception e) {
                    // best effort
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void theSeedDdlReadsAndWritesExactlyOnce(Variant variant, TestNames names) throws Exception {
        String in = names.topic("order_topic");
        String out = names.topic("big_orders");
        kafka.createTopic(in, 2);
        kafka.createTopic(out, 2);
        try (SchemaRegistryClient setup = setupRegistryClient(variant)) {
            produceOrders(setup, in, 100);
            TableEnvironment env = tableEnv("cloud", profile(variant));
            env.executeSql(sourceDdl("orders", in));
            env.executeSql(sinkDdl("big_orders", out));
            TableResult insert =
                    env.executeSql(
                            "INSERT INTO big_orders SELECT customer_id, order_id FROM orders"
                                    + " WHERE order_id >= 50");
            insert.await(3, TimeUnit.MINUTES);

            List<Integer> written = new ArrayList<>();
            AvroRegistryDeserializer values = new AvroRegistryDeserializer(setup, null);
            for (ConsumerRecord<byte[], byte[]> record : kafka.readCommitted(out)) {
                written.add(
                        (Integer)
                                ((GenericRecord) values.deserialize(record.value()))
                                        .get("order_id"));
            }
            assertThat(written)
                    .containsExactlyInAnyOrderElementsOf(IntStream.range(50, 100).boxed().toList());
        }
    }

    // Failures: each a clear, final error naming the endpoint and what to check -- never a hang,
    // never a restart loop. A job that still runs after two minutes counts as a loop.

    @Test
    void wrongBrokerCredentialsFailTheJobNamingTheBrokersAndTheFields(TestNames names)
            throws Exception {
        Map<String, String> fields = profile(Variant.API_KEY);
        fields.put("secret", "{{FLINK_CONFLUENT_IT_WRONG_SECRET}}");

        Throwable failure = failedJob(names, Variant.API_KEY, fields);

        assertUnrecoverable(
                failure,
                kafka.bootstrapServers(Listener.SASL_PLAIN),
                "rejected the SASL credentials",
                "'key' and 'secret'");
    }

    @Test
    void anUntrustedBrokerCertificateFailsTheJobNamingTheTrustStore(TestNames names)
            throws Exception {
        Map<String, String> fields = profile(Variant.API_KEY);
        fields.remove("ssl.truststore.location");
        fields.remove("ssl.truststore.type");

        Throwable failure = failedJob(names, Variant.API_KEY, fields);

        assertUnrecoverable(
                failure,
                kafka.bootstrapServers(Listener.SASL_PLAIN),
                "is not trusted",
                "ssl.truststore.location");
    }

    @Test
    void aMissingClientCertificateFailsTheJobNamingTheKeyStore(TestNames names) throws Exception {
        Map<String, String> fields = profile(Variant.MUTUAL_TLS);
        fields.remove("ssl.keystore.location");
        fields.remove("ssl.keystore.password");
        fields.remove("ssl.keystore.type");

        Throwable failure = failedJob(names, Variant.MUTUAL_TLS, fields);

        assertUnrecoverable(
                failure, kafka.bootstrapServers(Listener.MTLS), "ssl.keystore.location");
    }

    @Test
    void anExpiredTokenFailsTheJobNamingTheTokenEndpoint(TestNames names) throws Exception {
        Map<String, String> fields = oauthBrokersWithBasicRegistry();
        tokens.tokenLifetime(Duration.ofMinutes(-10));
        Throwable failure;
        try {
            failure = failedJob(names, Variant.OAUTH, fields);
        } finally {
            tokens.tokenLifetime(Duration.ofHours(1));
        }

        assertUnrecoverable(
                failure,
                kafka.bootstrapServers(Listener.SASL_OAUTH),
                tokens.tokenEndpoint(),
                "expired");
    }

    @Test
    void refusedOAuthClientCredentialsFailTheJobNamingTheTokenEndpoint(TestNames names)
            throws Exception {
        Map<String, String> fields = oauthBrokersWithBasicRegistry();
        fields.put("auth.oauth.client-secret", "{{FLINK_CONFLUENT_IT_WRONG_SECRET}}");

        Throwable failure = failedJob(names, Variant.OAUTH, fields);

        assertUnrecoverable(
                failure,
                kafka.bootstrapServers(Listener.SASL_OAUTH),
                tokens.tokenEndpoint(),
                "auth.oauth.client-secret");
    }

    @Test
    void wrongRegistryCredentialsFailThePlanNamingTheRegistry(TestNames names) {
        Map<String, String> basic = profile(Variant.API_KEY);
        basic.put("schema-registry.api-secret", "{{FLINK_CONFLUENT_IT_WRONG_SECRET}}");
        assertMentions(
                failedPlan(names, basic),
                registry.url().replaceAll("/apis/.*", ""),
                "schema-registry.api-key and schema-registry.api-secret");

        Map<String, String> oauth = profile(Variant.API_KEY);
        oauth.remove("schema-registry.api-key");
        oauth.remove("schema-registry.api-secret");
        oauth.put("schema-registry.oauth.token-endpoint", tokens.tokenEndpoint());
        oauth.put("schema-registry.oauth.client-id", "{{FLINK_CONFLUENT_IT_OAUTH_CLIENT}}");
        oauth.put("schema-registry.oauth.client-secret", "{{FLINK_CONFLUENT_IT_WRONG_SECRET}}");
        assertMentions(
                failedPlan(names, oauth),
                tokens.tokenEndpoint(),
                "schema-registry.oauth.client-secret");
    }

    @Test
    void anUntrustedRegistryCertificateFailsThePlanNamingTheTrustStore(TestNames names) {
        Map<String, String> fields = profile(Variant.API_KEY);
        fields.remove("schema-registry.ssl.truststore.location");
        fields.remove("schema-registry.ssl.truststore.type");

        assertMentions(
                failedPlan(names, fields),
                "TLS handshake with the Schema Registry at",
                "schema-registry.ssl.truststore");
    }

    @Test
    void anExpiredRegistryTokenFailsThePlanSayingSo(TestNames names) {
        tokens.tokenLifetime(Duration.ofMinutes(-10));
        try {
            assertMentions(
                    failedPlan(names, profile(Variant.OAUTH)),
                    registry.url().replaceAll("/apis/.*", ""),
                    tokens.tokenEndpoint(),
                    "already expired");
        } finally {
            tokens.tokenLifetime(Duration.ofHours(1));
        }
    }

    /** Kafka over OAuth; the registry with basic auth, so that only Kafka sees the tokens. */
    private static Map<String, String> oauthBrokersWithBasicRegistry() {
        Map<String, String> fields = new LinkedHashMap<>();
        oauthKafka(fields);
        Map<String, String> apiKey = profile(Variant.API_KEY);
        apiKey.forEach(
                (k, v) -> {
                    if (k.startsWith("schema-registry.")) {
                        fields.put(k, v);
                    }
                });
        return fields;
    }

    /**
     * Runs the seed pipeline with {@code fields} and returns why it failed; fails the test if the
     * job still runs after two minutes (a hang, or restarts that hide the cause).
     */
    private static Throwable failedJob(TestNames names, Variant variant, Map<String, String> fields)
            throws Exception {
        String in = names.topic("order_topic");
        String out = names.topic("big_orders");
        kafka.createTopic(in, 1);
        kafka.createTopic(out, 1);
        try (SchemaRegistryClient setup = setupRegistryClient(variant)) {
            produceOrders(setup, in, 10);
        }
        TableEnvironment env = tableEnv("cloud", fields);
        env.executeSql(sourceDdl("orders", in));
        env.executeSql(sinkDdl("big_orders", out));
        TableResult insert =
                env.executeSql("INSERT INTO big_orders SELECT customer_id, order_id FROM orders");
        try {
            insert.await(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            return e;
        } catch (TimeoutException e) {
            insert.getJobClient().orElseThrow().cancel();
            throw new AssertionError(
                    "The job still runs after two minutes: a hang or a restart loop hides the"
                            + " cause");
        }
        throw new AssertionError("The job succeeded with " + fields.keySet());
    }

    /** Plans (and so reaches the registry for) the seed pipeline and returns why it failed. */
    private static Throwable failedPlan(TestNames names, Map<String, String> fields) {
        String in = names.topic("order_topic");
        String out = names.topic("big_orders");
        TableEnvironment env = tableEnv("cloud", fields);
        env.executeSql(sourceDdl("orders", in));
        env.executeSql(sinkDdl("big_orders", out));
        try {
            env.executeSql("INSERT INTO big_orders SELECT customer_id, order_id FROM orders");
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("Planning succeeded with " + fields.keySet());
    }

    private static void assertUnrecoverable(Throwable failure, String... mentions) {
        assertThat(ExceptionUtils.findThrowable(failure, UnrecoverableException.class))
                .as("an UnrecoverableException in the cause chain of %s", chain(failure))
                .isPresent();
        assertMentions(
                ExceptionUtils.findThrowable(failure, UnrecoverableException.class).get(),
                mentions);
    }

    private static void assertMentions(Throwable failure, String... mentions) {
        String messages = chain(failure);
        for (String mention : mentions) {
            assertThat(messages).contains(mention);
        }
        for (String secret : SECRETS) {
            assertThat(messages).doesNotContain(env(secret));
        }
    }

    /** Every message of the cause chain, one per line. */
    private static String chain(Throwable failure) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(t.getClass().getName()).append(": ").append(t.getMessage()).append('\n');
        }
        return out.toString();
    }

    private static final List<String> SECRETS =
            List.of(
                    "FLINK_CONFLUENT_IT_API_SECRET",
                    "FLINK_CONFLUENT_IT_SCRAM_PASSWORD",
                    "FLINK_CONFLUENT_IT_OAUTH_SECRET",
                    "FLINK_CONFLUENT_IT_STORE_PASSWORD",
                    "FLINK_CONFLUENT_IT_SR_SECRET",
                    "FLINK_CONFLUENT_IT_WRONG_SECRET");

    // ------------------------------------------------------------------------------------------

    /** The profile fields of a variant, credentials as templates. */
    static Map<String, String> profile(Variant variant) {
        Map<String, String> fields = new LinkedHashMap<>();
        switch (variant) {
            case API_KEY -> {
                // Confluent Cloud's API key path: key/secret imply SASL_SSL + PLAIN.
                fields.put("bootstrap.servers", kafka.bootstrapServers(Listener.SASL_PLAIN));
                fields.put("key", "{{FLINK_CONFLUENT_IT_API_KEY}}");
                fields.put("secret", "{{FLINK_CONFLUENT_IT_API_SECRET}}");
                pemTrust(fields);
                fields.put("schema-registry.endpoint", registry.url());
                fields.put("schema-registry.api-key", "{{FLINK_CONFLUENT_IT_SR_KEY}}");
                fields.put("schema-registry.api-secret", "{{FLINK_CONFLUENT_IT_SR_SECRET}}");
                pemRegistryTrust(fields);
            }
            case SCRAM -> {
                fields.put("bootstrap.servers", kafka.bootstrapServers(Listener.SASL_SCRAM));
                fields.put("auth.type", "sasl");
                fields.put("auth.mechanism", "SCRAM-SHA-512");
                fields.put("auth.username", "{{FLINK_CONFLUENT_IT_SCRAM_USER}}");
                fields.put("auth.password", "{{FLINK_CONFLUENT_IT_SCRAM_PASSWORD}}");
                pkcs12Trust(fields);
                // A static token made for this run (it cannot be an environment variable set
                // before the run), so written as a literal value.
                fields.put("schema-registry.endpoint", registry.url());
                fields.put(
                        "schema-registry.bearer.token",
                        tokens.issueToken(env("FLINK_CONFLUENT_IT_OAUTH_CLIENT"), null));
                fields.put("schema-registry.bearer.logical-cluster", "lsrc-it");
                fields.put("schema-registry.bearer.identity-pool-id", "pool-it");
                pemRegistryTrust(fields);
            }
            case OAUTH -> {
                oauthKafka(fields);
                // The registry gets its tokens from the same OAuth client.
                fields.put("schema-registry.endpoint", registry.url());
                fields.put("schema-registry.auth", "bearer");
                pemRegistryTrust(fields);
            }
            case MUTUAL_TLS -> {
                fields.put("bootstrap.servers", kafka.bootstrapServers(Listener.MTLS));
                fields.put("auth.protocol", "SSL");
                pkcs12Trust(fields);
                fields.put("ssl.keystore.location", certificates.clientKeystore().toString());
                fields.put("ssl.keystore.password", "{{FLINK_CONFLUENT_IT_STORE_PASSWORD}}");
                fields.put("ssl.keystore.type", "PKCS12");
                fields.put("schema-registry.endpoint", mtlsRegistry.url());
                pemRegistryTrust(fields);
                fields.put(
                        "schema-registry.ssl.keystore.location",
                        certificates.clientKeystore().toString());
                fields.put(
                        "schema-registry.ssl.keystore.password",
                        "{{FLINK_CONFLUENT_IT_STORE_PASSWORD}}");
            }
        }
        return fields;
    }

    static void oauthKafka(Map<String, String> fields) {
        fields.put("bootstrap.servers", kafka.bootstrapServers(Listener.SASL_OAUTH));
        fields.put("auth.type", "sasl");
        fields.put("auth.mechanism", "OAUTHBEARER");
        fields.put("auth.oauth.token-endpoint", tokens.tokenEndpoint());
        fields.put("auth.oauth.client-id", "{{FLINK_CONFLUENT_IT_OAUTH_CLIENT}}");
        fields.put("auth.oauth.client-secret", "{{FLINK_CONFLUENT_IT_OAUTH_SECRET}}");
        fields.put("auth.oauth.scope", "kafka");
        fields.put("auth.oauth.extensions", "logicalCluster=lkc-it,identityPoolId=pool-it");
        pkcs12Trust(fields);
    }

    static void pemTrust(Map<String, String> fields) {
        fields.put("ssl.truststore.location", certificates.caPem().toString());
        fields.put("ssl.truststore.type", "PEM");
    }

    static void pkcs12Trust(Map<String, String> fields) {
        fields.put("ssl.truststore.location", certificates.truststore().toString());
        fields.put("ssl.truststore.type", "PKCS12");
        fields.put("ssl.truststore.password", "{{FLINK_CONFLUENT_IT_STORE_PASSWORD}}");
    }

    static void pemRegistryTrust(Map<String, String> fields) {
        fields.put("schema-registry.ssl.truststore.location", certificates.caPem().toString());
        fields.put("schema-registry.ssl.truststore.type", "PEM");
    }

    static TableEnvironment tableEnv(String profileName, Map<String, String> fields) {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        fields.forEach(
                (k, v) -> env.getConfig().set("confluent.profiles." + profileName + "." + k, v));
        env.getConfig().set("execution.checkpointing.interval", "500 ms");
        env.getConfig().set("table.exec.resource.default-parallelism", "2");
        return env;
    }

    /** The seed's source DDL, read to the current end so that the job finishes. */
    static String sourceDdl(String table, String topic) {
        return "CREATE TABLE "
                + table
                + " (customer_id INT, order_id INT) WITH ('connector' = 'confluent',"
                + " 'connection_profile' = 'cloud', 'format' = 'avro', 'topic' = '"
                + topic
                + "', 'type' = 'source', 'source.offset' = 'earliest', 'source.read_mode' ="
                + " 'read_committed', 'source.bounded' = 'latest')";
    }

    static String sinkDdl(String table, String topic) {
        return "CREATE TABLE "
                + table
                + " (customer_id INT, order_id INT) WITH ('connector' = 'confluent',"
                + " 'connection_profile' = 'cloud', 'format' = 'avro', 'topic' = '"
                + topic
                + "', 'type' = 'sink', 'sink.commit_mode' = 'exactly_once')";
    }

    /**
     * A registry client for the test's own setup and checks, to the registry the variant's tables
     * use (the secured one with basic auth, or the shared one behind the mutual-TLS front).
     */
    static SchemaRegistryClient setupRegistryClient(Variant variant) {
        SchemaRegistryConfig config =
                variant == Variant.MUTUAL_TLS
                        ? SchemaRegistryConfig.builder(ConfluentTestServices.registry().url())
                                .build()
                        : SchemaRegistryConfig.builder(registry.url())
                                .basicAuth(
                                        env("FLINK_CONFLUENT_IT_SR_KEY"),
                                        env("FLINK_CONFLUENT_IT_SR_SECRET"))
                                .truststore(certificates.caPem().toString(), null, "PEM")
                                .build();
        return SchemaRegistryClients.create(config);
    }

    /** Writes registry-Avro orders 0..count-1 through the plaintext listener. */
    static void produceOrders(SchemaRegistryClient setup, String topic, int count) {
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(
                        setup,
                        TestNames.valueSubject(topic),
                        ConfluentTableSourceITCase.ORDER,
                        true);
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < count; i++) {
                producer.send(
                        new ProducerRecord<>(
                                topic, ConfluentTableSourceITCase.avroOrder(serializer, i % 4, i)));
            }
        }
    }

    static String env(String name) {
        String value = System.getenv(name);
        assertThat(value).as(name + " is set by the build (failsafe)").isNotBlank();
        return value;
    }
}
