package io.github.flinkconfluent.connector.format;

import io.github.flinkconfluent.connector.format.avro.AvroRegistryDeserializer;
import io.github.flinkconfluent.connector.format.avro.AvroRowDataDecoder;
import io.github.flinkconfluent.connector.format.json.JsonRegistryDeserializer;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaReference;
import io.github.flinkconfluent.connector.registry.SchemaRegistryException;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A record whose writer id the registry refuses for reasons that belong to that id (it does not
 * know it, these credentials may not read it, a schema it references is gone) is a bad record that
 * {@code bad_data} governs, on every registry-aware decoder; a registry outage is not, so that
 * dropping bad records never drops good ones.
 */
class WriterIdRefusalsTest {

    private static final String ORDER =
            "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":"
                    + "[{\"name\":\"order_id\",\"type\":\"int\"}]}";

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    private interface Decoder {
        Object decode(byte[] message) throws WireFormatException;
    }

    private List<Decoder> avroDecoders() {
        RowType rowType =
                (RowType)
                        DataTypes.ROW(DataTypes.FIELD("order_id", DataTypes.INT()))
                                .getLogicalType();
        AvroRowDataDecoder rows = new AvroRowDataDecoder(rowType, "record", () -> registry);
        rows.open();
        AvroRegistryDeserializer records = new AvroRegistryDeserializer(registry, null);
        return List.of(rows::decode, records::deserialize);
    }

    /** An Avro record with {@code id} in its header and the body of order 1. */
    private static byte[] record(int id) {
        return ConfluentWireFormat.frame(id, new byte[] {2}, 0, 1);
    }

    private static void assertBadRecord(
            Decoder decoder, byte[] message, Reason reason, String... messageParts) {
        assertThatThrownBy(() -> decoder.decode(message))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(reason);
                            assertThat(e.getMessage()).contains(messageParts);
                        });
    }

    @Test
    void anIdTheseCredentialsMayNotReadIsABadRecord() {
        int id = registry.register("orders-value", SchemaDefinition.avro(ORDER));
        registry.failId(id, SchemaRegistryException.Kind.ACCESS_DENIED);

        for (Decoder decoder : avroDecoders()) {
            assertBadRecord(
                    decoder,
                    record(id),
                    Reason.UNREADABLE_SCHEMA,
                    "schema id " + id,
                    "read access");
        }
        JsonRegistryDeserializer json = new JsonRegistryDeserializer(registry, true);
        assertBadRecord(
                json::deserialize,
                ConfluentWireFormat.frame(id, "{}".getBytes(), 0, 2),
                Reason.UNREADABLE_SCHEMA,
                "read access");
    }

    @Test
    void aSchemaReferencingAMissingSubjectOrVersionIsABadRecord() {
        registry.register("money-value", SchemaDefinition.avro("\"string\""));
        String withReference =
                "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":"
                        + "[{\"name\":\"order_id\",\"type\":\"int\"},"
                        + "{\"name\":\"total\",\"type\":[\"null\",\"shop.Money\"],"
                        + "\"default\":null}]}";
        int missingSubject = 901;
        int missingVersion = 902;
        registry.put(
                missingSubject,
                "orders-value",
                new SchemaDefinition(
                        SchemaType.AVRO,
                        withReference,
                        List.of(new SchemaReference("shop.Money", "gone-value", 1))));
        registry.put(
                missingVersion,
                "orders-value",
                new SchemaDefinition(
                        SchemaType.AVRO,
                        withReference,
                        List.of(new SchemaReference("shop.Money", "money-value", 5))));

        for (Decoder decoder : avroDecoders()) {
            assertBadRecord(
                    decoder,
                    record(missingSubject),
                    Reason.UNREADABLE_SCHEMA,
                    "schema id " + missingSubject,
                    "'gone-value' version 1");
            assertBadRecord(
                    decoder,
                    record(missingVersion),
                    Reason.UNREADABLE_SCHEMA,
                    "'money-value' version 5");
        }
    }

    @Test
    void aSchemaThatDoesNotParseIsABadRecord() {
        registry.put(77, "orders-value", SchemaDefinition.avro("{\"type\":\"record\"}"));

        for (Decoder decoder : avroDecoders()) {
            assertBadRecord(decoder, record(77), Reason.INCOMPATIBLE_SCHEMA, "not valid Avro");
        }
    }

    @Test
    void anUnknownIdIsABadRecordAndIsAskedAgainOnceTheRegistryKnowsIt() throws Exception {
        List<Decoder> decoders = avroDecoders();
        for (Decoder decoder : decoders) {
            assertBadRecord(decoder, record(5), Reason.UNKNOWN_SCHEMA_ID, "schema id 5");
        }
        // The registry client (not the decoder) remembers a miss, and forgets it after a while:
        // a decoder asks again, and a schema registered since (a lagging replica) is found.
        registry.put(5, "orders-value", SchemaDefinition.avro(ORDER));
        for (Decoder decoder : decoders) {
            assertThat(decoder.decode(record(5))).isNotNull();
        }
    }

    @Test
    void anOutageIsNeverABadRecord() {
        int id = registry.register("orders-value", SchemaDefinition.avro(ORDER));
        registry.failEverything(SchemaRegistryException.Kind.UNAVAILABLE);

        for (Decoder decoder : avroDecoders()) {
            assertThatThrownBy(() -> decoder.decode(record(id)))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e ->
                                    assertThat(e.kind())
                                            .isEqualTo(SchemaRegistryException.Kind.UNAVAILABLE));
        }
        JsonRegistryDeserializer json = new JsonRegistryDeserializer(registry, false);
        assertThatThrownBy(
                        () ->
                                json.deserialize(
                                        ConfluentWireFormat.frame(id, "{}".getBytes(), 0, 2)))
                .isInstanceOf(SchemaRegistryException.class);
    }
}
