package io.github.flinkconfluent.connector.registry;

import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.SelfSignedCertificate;
import io.github.flinkconfluent.testing.TestNames;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every client call against a real registry (Apicurio's Confluent-compatible API). */
@ExtendWith(ConfluentServicesExtension.class)
class SchemaRegistryClientITCase {

    static final String ORDER_V1 =
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it\",\"fields\":["
                    + "{\"name\":\"customer_id\",\"type\":\"int\"},"
                    + "{\"name\":\"order_id\",\"type\":\"int\"}]}";
    static final String ORDER_V2_OPTIONAL_FIELD =
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it\",\"fields\":["
                    + "{\"name\":\"customer_id\",\"type\":\"int\"},"
                    + "{\"name\":\"order_id\",\"type\":\"int\"},"
                    + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    static final String ORDER_REQUIRED_FIELD =
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it\",\"fields\":["
                    + "{\"name\":\"customer_id\",\"type\":\"int\"},"
                    + "{\"name\":\"order_id\",\"type\":\"int\"},"
                    + "{\"name\":\"amount\",\"type\":\"double\"}]}";
    static final String JSON_SCHEMA =
            "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"}},"
                    + "\"required\":[\"id\"]}";

    private static RestSchemaRegistryClient client(ApicurioRegistry registry) {
        return new RestSchemaRegistryClient(
                SchemaRegistryConfig.builder(registry.url())
                        .retries(3, Duration.ofMillis(50), Duration.ofMillis(200))
                        .build());
    }

    @Test
    void registersLooksUpAndFetchesVersions(ApicurioRegistry registry, TestNames names) {
        RestSchemaRegistryClient client = client(registry);
        String subject = TestNames.valueSubject(names.topic("orders"));

        int v1 = client.register(subject, SchemaDefinition.avro(ORDER_V1));
        assertThat(client.register(subject, SchemaDefinition.avro(ORDER_V1)))
                .as("registering the same schema again returns its id")
                .isEqualTo(v1);
        int v2 = client.register(subject, SchemaDefinition.avro(ORDER_V2_OPTIONAL_FIELD));
        assertThat(v2).isNotEqualTo(v1);

        assertThat(client.getById(v1).text()).contains("\"Order\"");
        assertThat(client.getById(v1).type()).isEqualTo(SchemaType.AVRO);
        assertThat(client.getVersions(subject)).containsExactly(1, 2);
        RegisteredSchema latest = client.getLatest(subject);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.id()).isEqualTo(v2);
        assertThat(latest.subject()).isEqualTo(subject);
        assertThat(client.getVersion(subject, 1).id()).isEqualTo(v1);
        RegisteredSchema found = client.lookup(subject, SchemaDefinition.avro(ORDER_V1));
        assertThat(found.id()).isEqualTo(v1);
        assertThat(found.version()).isEqualTo(1);
        assertThat(client.getSubjects()).contains(subject);
    }

    @Test
    void jsonSchemasKeepTheirType(ApicurioRegistry registry, TestNames names) {
        RestSchemaRegistryClient client = client(registry);
        String subject = TestNames.valueSubject(names.topic("json"));

        int id = client.register(subject, SchemaDefinition.json(JSON_SCHEMA));

        assertThat(client.getById(id).type()).isEqualTo(SchemaType.JSON);
        assertThat(client.getLatest(subject).definition().type()).isEqualTo(SchemaType.JSON);
    }

    @Test
    void avroReferencesAreRegisteredAndReturned(ApicurioRegistry registry, TestNames names) {
        RestSchemaRegistryClient client = client(registry);
        String addressSubject = names.topic("address");
        String address =
                "{\"type\":\"record\",\"name\":\"Address\",\"namespace\":\"it\","
                        + "\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}";
        client.register(addressSubject, SchemaDefinition.avro(address));
        String customer =
                "{\"type\":\"record\",\"name\":\"Customer\",\"namespace\":\"it\","
                        + "\"fields\":[{\"name\":\"home\",\"type\":\"it.Address\"}]}";
        SchemaDefinition withReference =
                new SchemaDefinition(
                        SchemaType.AVRO,
                        customer,
                        List.of(new SchemaReference("it.Address", addressSubject, 1)));
        String subject = TestNames.valueSubject(names.topic("customer"));

        int id = client.register(subject, withReference);

        assertThat(client.getById(id).references())
                .containsExactly(new SchemaReference("it.Address", addressSubject, 1));
    }

    @Test
    void compatibilityIsCheckedAndConfigurable(ApicurioRegistry registry, TestNames names) {
        RestSchemaRegistryClient client = client(registry);
        String subject = TestNames.valueSubject(names.topic("compat"));
        assertThat(client.testCompatibility(subject, SchemaDefinition.avro(ORDER_V1)).compatible())
                .as("anything is compatible with a subject that does not exist")
                .isTrue();
        client.register(subject, SchemaDefinition.avro(ORDER_V1));

        assertThat(
                        client.testCompatibility(
                                        subject, SchemaDefinition.avro(ORDER_V2_OPTIONAL_FIELD))
                                .compatible())
                .isTrue();
        assertThat(
                        client.testCompatibility(
                                        subject, SchemaDefinition.avro(ORDER_REQUIRED_FIELD))
                                .compatible())
                .isFalse();
        assertThatThrownBy(
                        () -> client.register(subject, SchemaDefinition.avro(ORDER_REQUIRED_FIELD)))
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.kind())
                                    .isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE);
                            assertThat(e.httpStatus()).isEqualTo(409);
                            assertThat(e.getMessage()).contains(subject);
                        });

        assertThat(client.getCompatibility(null)).isEqualTo("BACKWARD");
        client.setCompatibility(subject, "NONE");
        assertThat(client.getCompatibility(subject)).isEqualTo("NONE");
        assertThat(client.register(subject, SchemaDefinition.avro(ORDER_REQUIRED_FIELD)))
                .as("NONE lets the incompatible schema in")
                .isPositive();
    }

    @Test
    void errorsNameWhatWasNotFound(ApicurioRegistry registry, TestNames names) {
        RestSchemaRegistryClient client = client(registry);
        String missing = TestNames.valueSubject(names.topic("missing"));
        String subject = TestNames.valueSubject(names.topic("present"));
        client.register(subject, SchemaDefinition.avro(ORDER_V1));

        assertKind(
                () -> client.getLatest(missing),
                SchemaRegistryException.Kind.SUBJECT_NOT_FOUND,
                missing);
        assertKind(
                () -> client.getVersion(subject, 42),
                SchemaRegistryException.Kind.VERSION_NOT_FOUND,
                "Version 42");
        assertKind(
                () -> client.getById(Integer.MAX_VALUE - 7),
                SchemaRegistryException.Kind.SCHEMA_NOT_FOUND,
                "id " + (Integer.MAX_VALUE - 7));
        assertKind(
                () -> client.lookup(subject, SchemaDefinition.avro(ORDER_REQUIRED_FIELD)),
                SchemaRegistryException.Kind.SCHEMA_NOT_FOUND,
                subject);
        assertKind(
                () -> client.register(subject, SchemaDefinition.avro("{\"type\":\"recor")),
                SchemaRegistryException.Kind.INVALID_SCHEMA,
                subject);
    }

    @Test
    void subjectsAreSoftThenPermanentlyDeleted(ApicurioRegistry registry, TestNames names) {
        RestSchemaRegistryClient client = client(registry);
        String subject = TestNames.valueSubject(names.topic("delete"));
        int id = client.register(subject, SchemaDefinition.avro(ORDER_V1));

        assertThat(client.deleteSubject(subject, false)).containsExactly(1);
        assertThat(client.getSubjects()).doesNotContain(subject);
        assertThat(client.getById(id).text())
                .as("a soft delete keeps the id readable for old records")
                .contains("Order");

        assertThat(client.deleteSubject(subject, true)).containsExactly(1);
        assertKind(
                () -> client.getLatest(subject),
                SchemaRegistryException.Kind.SUBJECT_NOT_FOUND,
                subject);
    }

    @Test
    void wrongCredentialsAreRejectedWithoutLeakingTheSecret() {
        try (ApicurioRegistry secured = ApicurioRegistry.withBasicAuth("sr-key", "right-secret")) {
            secured.start();
            SchemaRegistryConfig.Builder config =
                    SchemaRegistryConfig.builder(secured.url())
                            .retries(2, Duration.ofMillis(10), Duration.ofMillis(10));

            assertThat(
                            new RestSchemaRegistryClient(
                                            config.basicAuth("sr-key", "right-secret").build())
                                    .getSubjects())
                    .isEmpty();
            RestSchemaRegistryClient wrong =
                    new RestSchemaRegistryClient(
                            SchemaRegistryConfig.builder(secured.url())
                                    .basicAuth("sr-key", "wrong-secret-value")
                                    .build());
            assertThatThrownBy(wrong::getSubjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind())
                                        .isEqualTo(SchemaRegistryException.Kind.AUTHENTICATION);
                                assertThat(e.getMessage())
                                        .contains(secured.url())
                                        .doesNotContain("wrong-secret-value");
                            });
            assertThatThrownBy(
                            new RestSchemaRegistryClient(
                                            SchemaRegistryConfig.builder(secured.url()).build())
                                    ::getSubjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e ->
                                    assertThat(e.kind())
                                            .isEqualTo(
                                                    SchemaRegistryException.Kind.AUTHENTICATION));
        }
    }

    @Test
    void httpsRegistryIsTrustedThroughACustomTrustStore(@TempDir Path dir) {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "store-pass");
        try (ApicurioRegistry secured =
                new ApicurioRegistry().tls(certificate.keystore(), certificate.password())) {
            secured.start();
            assertThat(secured.url()).startsWith("https://");

            SchemaRegistryConfig pem =
                    SchemaRegistryConfig.builder(secured.url())
                            .truststore(certificate.certificatePem().toString(), null, "PEM")
                            .build();
            assertThat(new RestSchemaRegistryClient(pem).getSubjects()).isEmpty();

            SchemaRegistryConfig pkcs12 =
                    SchemaRegistryConfig.builder(secured.url())
                            .truststore(
                                    certificate.keystore().toString(), "{{TS_PASSWORD}}", "PKCS12")
                            .build();
            assertThat(
                            new RestSchemaRegistryClient(
                                            pkcs12, Map.of("TS_PASSWORD", "store-pass")::get)
                                    .getSubjects())
                    .isEmpty();

            RestSchemaRegistryClient untrusting =
                    new RestSchemaRegistryClient(
                            SchemaRegistryConfig.builder(secured.url()).build());
            assertThatThrownBy(untrusting::getSubjects)
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageContaining("TLS handshake")
                    .hasMessageContaining("truststore");
        }
    }

    @Test
    void callsRetryUntilAStoppedRegistryIsBack(ApicurioRegistry registry, TestNames names)
            throws Exception {
        String subject = TestNames.valueSubject(names.topic("outage"));
        RestSchemaRegistryClient patient =
                new RestSchemaRegistryClient(
                        SchemaRegistryConfig.builder(registry.url())
                                .connectTimeout(Duration.ofSeconds(1))
                                // At least 250 ms per retry: minutes, more than any restart.
                                .retries(1000, Duration.ofMillis(100), Duration.ofMillis(500))
                                .build());
        patient.register(subject, SchemaDefinition.avro(ORDER_V1));

        registry.stop();
        CompletableFuture<RegisteredSchema> during =
                CompletableFuture.supplyAsync(() -> patient.getLatest(subject));
        assertThat(during).as("no answer while the registry is down").isNotDone();
        registry.start();

        assertThat(during.get(120, TimeUnit.SECONDS).version()).isEqualTo(1);
    }

    @Test
    void aStoppedRegistryEndsAsUnavailableNamingTheEndpoint(ApicurioRegistry registry) {
        RestSchemaRegistryClient impatient =
                new RestSchemaRegistryClient(
                        SchemaRegistryConfig.builder(registry.url())
                                .connectTimeout(Duration.ofSeconds(1))
                                .retries(3, Duration.ofMillis(20), Duration.ofMillis(50))
                                .build());
        registry.stop();
        try {
            assertThatThrownBy(impatient::getSubjects)
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e -> {
                                assertThat(e.kind())
                                        .isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE);
                                assertThat(e.getMessage())
                                        .contains(registry.url())
                                        .contains("failed 3 times");
                            });
        } finally {
            registry.start();
        }
    }

    private static void assertKind(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            SchemaRegistryException.Kind kind,
            String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        SchemaRegistryException.class,
                        e -> {
                            assertThat(e.kind()).as(e.getMessage()).isEqualTo(kind);
                            assertThat(e.getMessage()).contains(messagePart);
                        });
    }
}
