package io.github.flinkconfluent.connector.format;

import io.github.flinkconfluent.connector.format.protobuf.RegistryProtobufSchemas;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.testing.ConfluentNodeDeserializers;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

import static io.github.flinkconfluent.connector.testing.TestClients.registryClient;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records our sink wrote, read by Confluent's own deserializers
 * ({@code @confluentinc/schemaregistry} on Node.js, see {@link ConfluentNodeDeserializers}), which
 * fetch the writer schema by id from the real Apicurio registry: the reverse of the golden vectors
 * (Confluent's bytes read by us). Each format writes the same two rows, one with every column set
 * and one with the nullable columns NULL, and the values Confluent's code decodes are compared
 * field by field.
 */
@ExtendWith(ConfluentServicesExtension.class)
class ConfluentDeserializersReadOurRecordsITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Columns every format writes. */
    private static final String COLUMNS =
            "id BIGINT NOT NULL, customer STRING, tags ARRAY<INT NOT NULL>,"
                    + " address ROW<city STRING>, placed_at TIMESTAMP_LTZ(3), paid BOOLEAN,"
                    + " ratio DOUBLE, payload BYTES, counters MAP<STRING, BIGINT>";

    private static final String VALUES =
            "(1, 'ada', ARRAY[1, -2], ROW('Paris'), TO_TIMESTAMP_LTZ(1700000000123, 3), TRUE,"
                    + " 0.5, X'00ff10', MAP['clicks', CAST(3 AS BIGINT)]";

    private static final String NULLS =
            "(2, CAST(NULL AS STRING), ARRAY[7], CAST(NULL AS ROW<city STRING>),"
                    + " CAST(NULL AS TIMESTAMP_LTZ(3)), CAST(NULL AS BOOLEAN), CAST(NULL AS"
                    + " DOUBLE), CAST(NULL AS BYTES), CAST(NULL AS MAP<STRING, BIGINT>)";

    @Test
    void avroRecordsReadByConfluentsAvroDeserializer(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("npm-avro");
        List<ConsumerRecord<byte[], byte[]>> records =
                writeWithDecimalAndDate(kafka, registry, topic, "avro");
        ConfluentNodeDeserializers node = ConfluentNodeDeserializers.against(registry.url());
        records.forEach(r -> node.add("AVRO", topic, r.value()));
        List<JsonNode> read = node.read();

        // avsc, as Confluent's serde uses it: long as a number, bytes as a Buffer, unions as the
        // plain branch value, no logical-type conversion (timestamps in ms, dates in days,
        // decimals as unscaled two's-complement bytes).
        assertThat(value(read, 0))
                .isEqualTo(
                        json(
                                "{'id':1,'customer':'ada','tags':[1,-2],'address':{'city':'Paris'},"
                                        + "'placed_at':1700000000123,'paid':true,'ratio':0.5,"
                                        + "'payload':{'$bytes':'00ff10'},'counters':{'clicks':3},"
                                        + "'price':{'$bytes':'04d2'},'ship_day':19675}"));
        assertThat(value(read, 1)).isEqualTo(json(NULLS_WITH_DECIMAL_AND_DATE));
    }

    @Test
    void jsonRecordsReadAndValidatedByConfluentsJsonDeserializer(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("npm-json");
        List<ConsumerRecord<byte[], byte[]>> records =
                writeWithDecimalAndDate(kafka, registry, topic, "json");
        ConfluentNodeDeserializers node = ConfluentNodeDeserializers.against(registry.url());
        records.forEach(r -> node.add("JSON", topic, r.value()));
        List<JsonNode> read = node.read();

        // Validated against the registered JSON Schema by Confluent's validator on the way.
        assertThat(value(read, 0))
                .isEqualTo(
                        json(
                                "{'id':1,'customer':'ada','tags':[1,-2],'address':{'city':'Paris'},"
                                        + "'placed_at':'2023-11-14T22:13:20.123Z','paid':true,"
                                        + "'ratio':0.5,'payload':'"
                                        + Base64.getEncoder()
                                                .encodeToString(new byte[] {0, (byte) 0xff, 0x10})
                                        + "','counters':{'clicks':3},'price':12.34,"
                                        + "'ship_day':'2023-11-14'}"));
        assertThat(value(read, 1)).isEqualTo(json(NULLS_WITH_DECIMAL_AND_DATE));
    }

    @Test
    void protobufRecordsReadByConfluentsProtobufDeserializer(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("npm-protobuf");
        List<ConsumerRecord<byte[], byte[]>> records =
                write(kafka, registry, topic, "protobuf", "", ")", ")");
        ConfluentNodeDeserializers node = ConfluentNodeDeserializers.against(registry.url());
        try (SchemaRegistryClient client = registryClient(registry)) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                int id = ConfluentWireFormat.readSchemaId(record.value());
                byte[] descriptor =
                        resolved(RegistryProtobufSchemas.build(client.getById(id), client))
                                .toByteArray();
                node.addProtobuf(
                        topic, record.value(), id, Base64.getEncoder().encodeToString(descriptor));
            }
        }
        List<JsonNode> read = node.read();

        // The proto3 JSON mapping: int64 as text, lowerCamelCase names, bytes in base64, unset
        // fields left out.
        assertThat(value(read, 0))
                .isEqualTo(
                        json(
                                "{'id':'1','customer':'ada','tags':[1,-2],'address':{'city':'Paris'},"
                                    + "'placedAt':'2023-11-14T22:13:20.123Z','paid':true,"
                                    + "'ratio':0.5,'payload':'AP8Q','counters':{'clicks':'3'}}"));
        assertThat(value(read, 1)).isEqualTo(json("{'id':'2','tags':[7]}"));
    }

    /** The row of {@link #NULLS} as Avro and JSON read it: every nullable field null. */
    private static final String NULLS_WITH_DECIMAL_AND_DATE =
            "{'id':2,'customer':null,'tags':[7],'address':null,'placed_at':null,'paid':null,"
                    + "'ratio':null,'payload':null,'counters':null,'price':null,'ship_day':null}";

    /** {@link #write} with a DECIMAL and a DATE column besides {@link #COLUMNS} (Avro, JSON). */
    private static List<ConsumerRecord<byte[], byte[]>> writeWithDecimalAndDate(
            KafkaBroker kafka, ApicurioRegistry registry, String topic, String format)
            throws Exception {
        return write(
                kafka,
                registry,
                topic,
                format,
                ", price DECIMAL(10, 2), ship_day DATE",
                ", 12.34, DATE '2023-11-14')",
                ", CAST(NULL AS DECIMAL(10, 2)), CAST(NULL AS DATE))");
    }

    /**
     * Writes {@link #VALUES} and {@link #NULLS} (each completed by the format's extra values) with
     * a {@code 'confluent'} sink table of {@code format}, and returns the records in id order.
     */
    private static List<ConsumerRecord<byte[], byte[]>> write(
            KafkaBroker kafka,
            ApicurioRegistry registry,
            String topic,
            String format,
            String extraColumns,
            String extraValues,
            String extraNulls)
            throws Exception {
        kafka.createTopic(topic, 1);
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("confluent.profiles.local.bootstrap.servers", kafka.bootstrapServers());
        env.getConfig().set("confluent.profiles.local.schema-registry.endpoint", registry.url());
        env.getConfig().set("table.exec.resource.default-parallelism", "1");
        env.executeSql(
                "CREATE TABLE out_table ("
                        + COLUMNS
                        + extraColumns
                        + ") WITH ('connector' = 'confluent', 'connection_profile' = 'local',"
                        + " 'format' = '"
                        + format
                        + "', 'topic' = '"
                        + topic
                        + "', 'type' = 'sink')");
        env.executeSql(
                        "INSERT INTO out_table VALUES "
                                + VALUES
                                + extraValues
                                + ", "
                                + NULLS
                                + extraNulls)
                .await();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(kafka.readCommitted(topic));
        records.sort(Comparator.comparingLong(ConsumerRecord::offset));
        assertThat(records).hasSize(2);
        return records;
    }

    /**
     * The file's descriptor as a Confluent registry serves it ({@code ?format=serialized}): every
     * message or enum field with its type and fully qualified type name. The parser's own {@code
     * FileDescriptorProto} may leave the type out where the type name says it ({@code
     * descriptor.proto} allows that, protobuf-java resolves it), which the npm package's descriptor
     * reader does not accept.
     */
    private static FileDescriptorProto resolved(FileDescriptor file) {
        FileDescriptorProto.Builder proto = file.toProto().toBuilder();
        for (int i = 0; i < proto.getMessageTypeCount(); i++) {
            resolve(proto.getMessageTypeBuilder(i), file.getMessageTypes().get(i));
        }
        return proto.build();
    }

    private static void resolve(DescriptorProto.Builder proto, Descriptor message) {
        for (int i = 0; i < proto.getFieldCount(); i++) {
            FieldDescriptor field = message.getFields().get(i);
            FieldDescriptorProto.Builder fieldProto = proto.getFieldBuilder(i);
            fieldProto.setType(field.getType().toProto()).setJsonName(field.getJsonName());
            if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                fieldProto.setTypeName("." + field.getMessageType().getFullName());
            } else if (field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                fieldProto.setTypeName("." + field.getEnumType().getFullName());
            }
        }
        for (int i = 0; i < proto.getNestedTypeCount(); i++) {
            resolve(proto.getNestedTypeBuilder(i), message.getNestedTypes().get(i));
        }
    }

    private static JsonNode value(List<JsonNode> read, int index) {
        JsonNode result = read.get(index);
        assertThat(result.has("error"))
                .as("Confluent's deserializer failed: %s", result.path("error").asText())
                .isFalse();
        return result.get("value");
    }

    private static JsonNode json(String singleQuoted) throws Exception {
        return JSON.readTree(singleQuoted.replace('\'', '"'));
    }
}
