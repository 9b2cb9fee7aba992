package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.examples.avro.Order;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Avro serdes against the golden vectors of Confluent's own serializer, with an in-memory
 * registry holding the golden schemas under their golden ids.
 */
class ConfluentAvroSerdesTest {

    private InMemorySchemaRegistry registry;
    private RegistryClientFactory factory;

    @BeforeEach
    void setUp() {
        registry = GoldenVectors.registryWithAll();
        InMemorySchemaRegistry fake = registry;
        factory = () -> fake;
    }

    static List<String> goldenAvro() {
        return GoldenSpecifics.NAMES;
    }

    private static <T> T decode(RegistryRecordDeserializer<T> deserializer, byte[] bytes)
            throws Exception {
        deserializer.open();
        List<T> out = new ArrayList<>();
        deserializer.deserialize(
                new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 0L, null, bytes),
                new org.apache.flink.util.Collector<>() {
                    @Override
                    public void collect(T record) {
                        out.add(record);
                    }

                    @Override
                    public void close() {}
                });
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenAvro")
    void confluentBytesReadAsGeneratedClasses(String golden) throws Exception {
        GoldenVectors vector = GoldenVectors.load(golden);
        SpecificRecord expected = GoldenSpecifics.expected(golden);

        SpecificRecord read =
                decode(
                        ConfluentAvroDeserializer.forSpecific(
                                GoldenSpecifics.type(golden), factory),
                        vector.payload());

        assertThat(read).isInstanceOf(expected.getClass()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenAvro")
    void generatedClassesAreWrittenAsConfluentWritesThem(String golden) throws Exception {
        GoldenVectors vector = GoldenVectors.load(golden);
        SpecificRecord value = GoldenSpecifics.expected(golden);
        @SuppressWarnings({"unchecked", "rawtypes"})
        ConfluentAvroSerializer<SpecificRecord> serializer =
                (ConfluentAvroSerializer)
                        ConfluentAvroSerializer.forSpecific(value.getClass(), factory);
        serializer.open();

        byte[] bytes = serializer.encode(value, "orders", false);

        int id = registry.getLatest("orders-value").id();
        assertThat(registry.getById(id).text()).isEqualTo(value.getSchema().toString());
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length))
                .as("the Avro body Confluent's serializer wrote")
                .isEqualTo(Arrays.copyOfRange(vector.payload(), 5, vector.payload().length));
        assertThat(bytes[0]).isZero();
        assertThat(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenAvro")
    void genericRecordsOfTheWriterSchemaRoundTripToTheSameBytes(String golden) throws Exception {
        GoldenVectors vector = GoldenVectors.load(golden);
        GenericRecord read =
                decode(
                        ConfluentAvroDeserializer.forGenericWithWriterSchema(factory),
                        vector.payload());
        assertThat(read.getSchema().toString())
                .isEqualTo(new Schema.Parser().parse(vector.schema()).toString());

        ConfluentAvroSerializer<GenericRecord> serializer =
                ConfluentAvroSerializer.forGeneric(factory);
        serializer.open();
        String topic = vector.subject().substring(0, vector.subject().length() - "-value".length());
        int registrations = registry.registerCalls.get();

        assertThat(serializer.encode(read, topic, false))
                .as("the golden schema is the subject's latest: its id, nothing registered")
                .isEqualTo(vector.payload());
        assertThat(registry.registerCalls.get()).isEqualTo(registrations);
    }

    @Test
    void aReaderSchemaTakesDefaultsAndSkipsWhatItLacks() throws Exception {
        Schema reader =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"io.confluent.golden\","
                                    + "\"fields\":[{\"name\":\"order_id\",\"type\":\"long\"},"
                                    + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"none\"}]}");

        GenericRecord read =
                decode(
                        ConfluentAvroDeserializer.forGeneric(reader, factory),
                        GoldenVectors.load("avro-simple").payload());

        assertThat(read.getSchema()).isEqualTo(reader);
        assertThat(read.get("order_id")).isEqualTo(1001L);
        assertThat(read.get("note").toString()).isEqualTo("none");
        assertThat(read.hasField("customer_id")).isFalse();
    }

    @Test
    void badBytesAndUnreadableWritersAreWireFormatExceptions() throws Exception {
        ConfluentAvroDeserializer<Order> orders =
                ConfluentAvroDeserializer.forSpecific(Order.class, factory);
        orders.open();

        assertThatThrownBy(() -> orders.decode(new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(WireFormatException.Reason.BAD_MAGIC_BYTE));
        assertThatThrownBy(() -> orders.decode(new byte[] {0, 0, 0, 0, 1, (byte) 0x80}))
                .isInstanceOfSatisfying(
                        WireFormatException.class, e -> assertThat(e.schemaId()).isEqualTo(1));
        assertThatThrownBy(() -> orders.decode(GoldenVectors.load("avro-primitives").payload()))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(WireFormatException.Reason.INCOMPATIBLE_SCHEMA));
    }

    @Test
    void subjectsFollowTheStrategyOrTheFixedSubject() throws Exception {
        String name = Order.getClassSchema().getFullName();

        assertThat(subjectWritten(f -> ConfluentAvroSerializer.forSpecific(Order.class, f), false))
                .isEqualTo("orders-value");
        assertThat(subjectWritten(f -> ConfluentAvroSerializer.forSpecific(Order.class, f), true))
                .isEqualTo("orders-key");
        assertThat(
                        subjectWritten(
                                f ->
                                        ConfluentAvroSerializer.forSpecific(Order.class, f)
                                                .withSubjectNameStrategy(
                                                        SubjectNameStrategy.RECORD_NAME),
                                false))
                .isEqualTo(name);
        assertThat(
                        subjectWritten(
                                f ->
                                        ConfluentAvroSerializer.forSpecific(Order.class, f)
                                                .withSubjectNameStrategy(
                                                        SubjectNameStrategy.TOPIC_RECORD_NAME),
                                false))
                .isEqualTo("orders-" + name);
        assertThat(
                        subjectWritten(
                                f ->
                                        ConfluentAvroSerializer.forSpecific(Order.class, f)
                                                .withSubject("shared-orders"),
                                true))
                .isEqualTo("shared-orders");
    }

    /** Encodes with a fresh registry and returns the one subject the value was registered under. */
    private static String subjectWritten(
            java.util.function.Function<RegistryClientFactory, ConfluentAvroSerializer<Order>>
                    serializer,
            boolean isKey)
            throws Exception {
        InMemorySchemaRegistry fresh = new InMemorySchemaRegistry();
        ConfluentAvroSerializer<Order> created = serializer.apply(() -> fresh);
        created.open();
        created.encode(new Order(1, 2), "orders", isKey);
        assertThat(fresh.getSubjects()).hasSize(1);
        return fresh.getSubjects().get(0);
    }

    @Test
    void aLatestVersionThatIsTheSameSchemaIsReusedNotRegisteredAgain() throws Exception {
        // Same schema, other formatting: the registry gives it its own id, and the serializer uses
        // it.
        String reformatted = Order.getClassSchema().toString(true);
        int id = registry.register("orders-value", SchemaDefinition.avro(reformatted));
        int registrations = registry.registerCalls.get();
        ConfluentAvroSerializer<Order> serializer =
                ConfluentAvroSerializer.forSpecific(Order.class, factory);
        serializer.open();

        byte[] bytes = serializer.encode(new Order(1, 2), "orders", false);

        assertThat(java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(registry.registerCalls.get()).isEqualTo(registrations);
    }

    @Test
    void withoutAutoRegistrationAMissingSchemaIsAnErrorNamingTheSubject() throws Exception {
        ConfluentAvroSerializer<Order> serializer =
                ConfluentAvroSerializer.forSpecific(Order.class, factory).withoutAutoRegistration();
        serializer.open();

        assertThatThrownBy(() -> serializer.encode(new Order(1, 2), "unregistered", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'unregistered-value'")
                .hasMessageContaining("auto-registration is off");
        assertThat(registry.getSubjects()).doesNotContain("unregistered-value");
    }

    @Test
    void strategiesThatNeedARecordNameSayWhenThereIsNone() {
        assertThatThrownBy(() -> SubjectNameStrategy.RECORD_NAME.subject("t", false, null))
                .hasMessageContaining("RECORD_NAME")
                .hasMessageContaining("'t'");
        assertThat(SubjectNameStrategy.TOPIC_NAME.subject("t", false, null)).isEqualTo("t-value");
    }
}
