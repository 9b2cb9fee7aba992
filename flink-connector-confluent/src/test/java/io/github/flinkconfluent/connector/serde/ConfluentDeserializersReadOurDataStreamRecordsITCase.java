package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.testing.ConfluentNodeDeserializers;
import io.github.flinkconfluent.examples.OrderEvent;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the DataStream serializers write, read by Confluent's own deserializers ({@code
 * @confluentinc/schemaregistry} on Node.js, see {@link ConfluentNodeDeserializers}) with the writer
 * schemas fetched by id from the real registry our serializers registered them in: the reverse of
 * {@link DataStreamSerdesITCase}. Each value is the one of a golden vector, so what Confluent's
 * code decodes must equal that vector's {@code value}.
 */
@ExtendWith(ConfluentServicesExtension.class)
class ConfluentDeserializersReadOurDataStreamRecordsITCase {

    /** One record our serializers wrote and the golden vector whose value it holds. */
    private record Written(String what, String format, String topic, byte[] value, String golden) {}

    @Test
    void confluentReadsWhatEverySerializerWrites(ApicurioRegistry registry, TestNames names)
            throws Exception {
        ConnectionProfile profile =
                ConnectionProfiles.resolve(
                        null,
                        new Configuration(),
                        Map.of(
                                "bootstrap.servers",
                                "127.0.0.1:9",
                                "schema-registry.endpoint",
                                registry.url()));
        List<Written> written = new ArrayList<>();
        for (String golden : GoldenSpecifics.NAMES) {
            SpecificRecord value = GoldenSpecifics.expected(golden);
            @SuppressWarnings({"unchecked", "rawtypes"})
            ConfluentAvroSerializer<SpecificRecord> serializer =
                    (ConfluentAvroSerializer)
                            ConfluentAvroSerializer.forSpecific(value.getClass(), profile);
            written.add(encode("specific " + golden, "AVRO", serializer, value, names, golden));
        }
        RowType orderRow =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                        DataTypes.FIELD("order_id", DataTypes.INT().notNull()))
                                .getLogicalType();
        written.add(
                encode(
                        "rows avro",
                        "AVRO",
                        ConfluentRowDataSerializer.of(DataFormat.AVRO, orderRow, profile),
                        GenericRowData.of(42, 1001),
                        names,
                        "avro-simple"));
        written.add(
                encode(
                        "rows json",
                        "JSON",
                        ConfluentRowDataSerializer.of(DataFormat.JSON, orderRow, profile),
                        GenericRowData.of(42, 1001),
                        names,
                        "json-simple"));
        for (String golden : GoldenVectors.JSON) {
            GoldenVectors vector = GoldenVectors.load(golden);
            written.add(
                    encode(
                            "tree " + golden,
                            "JSON",
                            ConfluentJsonSerializer.<JsonNode>of(vector.schema(), profile),
                            vector.value(),
                            names,
                            golden));
        }
        written.add(
                encode(
                        "pojo",
                        "JSON",
                        ConfluentJsonSerializer.<OrderEvent>of(
                                GoldenVectors.load("json-simple").schema(), profile),
                        new OrderEvent(42, 1001),
                        names,
                        "json-simple"));

        ConfluentNodeDeserializers node = ConfluentNodeDeserializers.against(registry.url());
        written.forEach(w -> node.add(w.format(), w.topic(), w.value()));
        List<JsonNode> read = node.read();

        assertThat(read).hasSize(written.size());
        for (int i = 0; i < written.size(); i++) {
            Written w = written.get(i);
            assertThat(read.get(i).has("value")).as(w.what() + ": " + read.get(i)).isTrue();
            assertThat(plain(read.get(i).get("value")))
                    .as(w.what() + " read by Confluent's deserializer")
                    .isEqualTo(GoldenVectors.load(w.golden()).value());
        }
    }

    private static <T> Written encode(
            String what,
            String format,
            RegistryRecordSerializer<T> serializer,
            T value,
            TestNames names,
            String golden)
            throws Exception {
        String topic = names.topic(what.replace(' ', '-'));
        serializer.open();
        try {
            return new Written(what, format, topic, serializer.encode(value, topic, false), golden);
        } finally {
            serializer.close();
        }
    }

    /** The script's {@code {"$bytes": hex}} as the plain hex string the golden values use. */
    private static JsonNode plain(JsonNode node) {
        if (node.isObject()) {
            if (node.size() == 1 && node.has("$bytes")) {
                return node.get("$bytes");
            }
            ObjectNode copy = ((ObjectNode) node).deepCopy();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                copy.set(field, plain(node.get(field)));
            }
            return copy;
        }
        if (node.isArray()) {
            var copy = node.deepCopy();
            for (int i = 0; i < node.size(); i++) {
                ((org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode)
                                copy)
                        .set(i, plain(node.get(i)));
            }
            return copy;
        }
        return node;
    }
}
