package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.examples.avro.Order;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RowData and JSON Schema serdes against the golden vectors, and serdes built from profiles. */
class RowDataAndJsonSerdesTest {

    private static final RowType ORDER_ROW =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                    DataTypes.FIELD("order_id", DataTypes.INT().notNull()))
                            .notNull()
                            .getLogicalType();

    private InMemorySchemaRegistry registry;
    private RegistryClientFactory factory;

    /** A plain class bound by Jackson, as a user's event class would be. */
    public static final class OrderEvent {
        public int customer_id;
        public int order_id;
    }

    @BeforeEach
    void setUp() {
        registry = GoldenVectors.registryWithAll();
        InMemorySchemaRegistry fake = registry;
        factory = () -> fake;
    }

    @Test
    void confluentAvroAndJsonRecordsReadAsRows() throws Exception {
        for (var format :
                Map.of(DataFormat.AVRO, "avro-simple", DataFormat.JSON, "json-simple").entrySet()) {
            ConfluentRowDataDeserializer rows =
                    ConfluentRowDataDeserializer.of(format.getKey(), ORDER_ROW, factory);
            rows.open();
            RowData row = rows.decode(GoldenVectors.load(format.getValue()).payload());
            assertThat(row.getInt(0)).as(format.getValue()).isEqualTo(42);
            assertThat(row.getInt(1)).isEqualTo(1001);
            rows.close();
        }
    }

    @Test
    void rowsWrittenUnderTheTopicSubjectReadBack() throws Exception {
        for (DataFormat format :
                new DataFormat[] {DataFormat.AVRO, DataFormat.JSON, DataFormat.PROTOBUF}) {
            ConfluentRowDataSerializer writer =
                    ConfluentRowDataSerializer.of(format, ORDER_ROW, factory);
            writer.open();
            byte[] bytes = writer.encode(GenericRowData.of(7, 8), "rows-" + format, false);
            assertThat(ConfluentWireFormat.readSchemaId(bytes))
                    .isEqualTo(registry.getLatest("rows-" + format + "-value").id());

            ConfluentRowDataDeserializer reader =
                    ConfluentRowDataDeserializer.of(format, ORDER_ROW, factory);
            reader.open();
            RowData row = reader.decode(bytes);
            assertThat(row.getInt(0)).as(format.toString()).isEqualTo(7);
            assertThat(row.getInt(1)).isEqualTo(8);
            assertThat(reader.getProducedType().getTypeClass()).isEqualTo(RowData.class);
        }
    }

    @Test
    void confluentJsonReadsAsTreesAndObjects() throws Exception {
        GoldenVectors nested = GoldenVectors.load("json-nested");
        ConfluentJsonDeserializer<JsonNode> trees = ConfluentJsonDeserializer.forJsonNode(factory);
        trees.open();
        assertThat(trees.decode(nested.payload())).isEqualTo(nested.value());
        assertThat(trees.getProducedType()).isEqualTo(JsonNodeTypeInfo.INSTANCE);

        ConfluentJsonDeserializer<OrderEvent> events =
                ConfluentJsonDeserializer.forClass(OrderEvent.class, factory);
        events.open();
        OrderEvent event = events.decode(GoldenVectors.load("json-simple").payload());
        assertThat(event.customer_id).isEqualTo(42);
        assertThat(event.order_id).isEqualTo(1001);
        assertThat(events.getProducedType().getTypeClass()).isEqualTo(OrderEvent.class);
    }

    @Test
    void jsonThatViolatesItsSchemaOrDoesNotBindIsBadData() throws Exception {
        byte[] wrongType = frame(6, "{\"customer_id\":\"x\",\"order_id\":1}");
        ConfluentJsonDeserializer<OrderEvent> validating =
                ConfluentJsonDeserializer.forClass(OrderEvent.class, factory);
        validating.open();
        assertThatThrownBy(() -> validating.decode(wrongType))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(WireFormatException.Reason.SCHEMA_VIOLATION));

        ConfluentJsonDeserializer<OrderEvent> binding =
                ConfluentJsonDeserializer.forClass(OrderEvent.class, factory).withoutValidation();
        binding.open();
        assertThatThrownBy(() -> binding.decode(wrongType))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> assertThat(e.getMessage()).contains(OrderEvent.class.getName()));
    }

    private static byte[] frame(int id, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return ConfluentWireFormat.frame(id, body, 0, body.length);
    }

    @Test
    void jsonWrittenWithTheGoldenSchemaIsConfluentsBytes() throws Exception {
        GoldenVectors vector = GoldenVectors.load("json-simple");
        ConfluentJsonSerializer<JsonNode> trees =
                ConfluentJsonSerializer.of(vector.schema(), factory);
        trees.open();
        int registrations = registry.registerCalls.get();

        assertThat(trees.encode(vector.value(), "golden-json-simple", false))
                .isEqualTo(vector.payload());
        assertThat(registry.registerCalls.get())
                .as("the latest version fits")
                .isEqualTo(registrations);

        OrderEvent event = new OrderEvent();
        event.customer_id = 1;
        ConfluentJsonSerializer<OrderEvent> objects =
                ConfluentJsonSerializer.<OrderEvent>of(vector.schema(), factory)
                        .withSubjectNameStrategy(SubjectNameStrategy.RECORD_NAME);
        objects.open();
        byte[] bytes = objects.encode(event, "any-topic", false);
        assertThat(registry.getLatest("Order").id())
                .isEqualTo(ConfluentWireFormat.readSchemaId(bytes));
        ConfluentJsonDeserializer<OrderEvent> reader =
                ConfluentJsonDeserializer.forClass(OrderEvent.class, factory);
        reader.open();
        assertThat(reader.decode(bytes).customer_id).isEqualTo(1);
    }

    @Test
    void aValueThatViolatesTheSchemaIsNotWritten() throws Exception {
        ConfluentJsonSerializer<JsonNode> trees =
                ConfluentJsonSerializer.of(GoldenVectors.load("json-simple").schema(), factory);
        trees.open();
        JsonNode missing = GoldenVectors.load("json-nested").value();

        assertThatThrownBy(() -> trees.encode(missing, "orders", false))
                .hasMessageContaining("'orders-value'")
                .hasMessageContaining("violates");
    }

    @Test
    void serdesFromAProfileCarryTemplatesAndResolveThemOnOpen() throws Exception {
        ConnectionProfile profile =
                ConnectionProfiles.resolve(
                        null,
                        new Configuration(),
                        Map.of(
                                "bootstrap.servers", "localhost:9092",
                                "schema-registry.endpoint",
                                        "{{FLINK_CONFLUENT_SERDES_TEST_UNSET}}"));
        ConfluentAvroDeserializer<Order> deserializer =
                ConfluentAvroDeserializer.forSpecific(Order.class, profile);
        ConfluentAvroSerializer<Order> serializer =
                ConfluentAvroSerializer.forSpecific(Order.class, profile);

        ConfluentAvroDeserializer<Order> shipped =
                InstantiationUtil.deserializeObject(
                        InstantiationUtil.serializeObject(deserializer),
                        getClass().getClassLoader());
        InstantiationUtil.serializeObject(serializer);

        assertThatThrownBy(shipped::open).hasMessageContaining("FLINK_CONFLUENT_SERDES_TEST_UNSET");
    }

    @Test
    void aProfileWithoutARegistryIsRefusedByName() {
        ConnectionProfile profile =
                ConnectionProfiles.resolve(
                        null, new Configuration(), Map.of("bootstrap.servers", "localhost:9092"));

        assertThatThrownBy(() -> ConfluentAvroDeserializer.forSpecific(Order.class, profile))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema-registry.endpoint")
                .hasMessageContaining(Order.class.getName());
    }
}
