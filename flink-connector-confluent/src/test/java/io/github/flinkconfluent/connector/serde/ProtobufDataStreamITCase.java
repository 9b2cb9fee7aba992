package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.options.CommitMode;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaType;
import io.github.flinkconfluent.connector.sink.ConfluentSink;
import io.github.flinkconfluent.connector.source.ConfluentSource;
import io.github.flinkconfluent.connector.testing.TestClients;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Sends;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protobuf through the DataStream API, on a real broker and registry: records Confluent's own
 * Protobuf serializer wrote read as rows, and rows written by a DataStream job with exactly-once
 * read back.
 */
@ExtendWith(ConfluentServicesExtension.class)
class ProtobufDataStreamITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static final RowType PAYMENT =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                                    DataTypes.FIELD("payer", DataTypes.STRING()),
                                    DataTypes.FIELD("amount", DataTypes.DOUBLE()))
                            .getLogicalType();

    private static ConnectionProfile profile(KafkaBroker kafka, ApicurioRegistry registry) {
        return TestClients.profile(kafka, registry);
    }

    private static StreamExecutionEnvironment environment() {
        Configuration config = new Configuration();
        config.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(1);
        return env;
    }

    private static List<RowData> readRows(ConnectionProfile profile, String topic, RowType rowType)
            throws Exception {
        List<RowData> rows = new ArrayList<>();
        try (CloseableIterator<RowData> it =
                environment()
                        .fromSource(
                                ConfluentSource.<RowData>builder()
                                        .setConnectionProfile(profile)
                                        .setTopic(topic)
                                        .setStartingOffset(OffsetMode.EARLIEST)
                                        .setBounded(true)
                                        .setDeserializer(
                                                ConfluentRowDataDeserializer.of(
                                                        DataFormat.PROTOBUF, rowType, profile))
                                        .build(),
                                WatermarkStrategy.noWatermarks(),
                                "rows")
                        .rebalance()
                        .executeAndCollect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void recordsOfConfluentsProtobufSerializerAreReadAsRows(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("pb-golden");
        GoldenVectors vector = GoldenVectors.load("protobuf-order");
        int id;
        try (SchemaRegistryClient client = TestClients.registryClient(registry)) {
            id = client.register(TestNames.valueSubject(topic), vector.definition());
        }
        byte[] payload = vector.payload().clone();
        ConfluentWireFormat.writeHeader(id, payload, 0);
        kafka.createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = TestClients.producer(kafka)) {
            Sends.confirm(List.of(producer.send(new ProducerRecord<>(topic, payload))));
        }
        RowType order =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("id", DataTypes.BIGINT()),
                                        DataTypes.FIELD("customer", DataTypes.STRING()),
                                        DataTypes.FIELD(
                                                "quantities",
                                                DataTypes.ARRAY(DataTypes.INT().notNull())))
                                .getLogicalType();

        List<RowData> rows = readRows(profile(kafka, registry), topic, order);

        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getLong(0)).isEqualTo(vector.value().get("id").asLong());
        assertThat(rows.get(0).getString(1).toString())
                .isEqualTo(vector.value().get("customer").asText());
        assertThat(rows.get(0).getArray(2).toIntArray()).containsExactly(1, 2, 3, -4);
    }

    @Test
    void rowsWrittenExactlyOnceByADataStreamJobReadBack(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("pb-rows");
        kafka.createTopic(topic, 1);
        ConnectionProfile profile = profile(kafka, registry);
        List<RowData> input = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            input.add(
                    GenericRowData.of(
                            (long) i,
                            i % 5 == 0 ? null : StringData.fromString("payer-" + i),
                            i % 7 == 0 ? null : i * 1.5));
        }
        StreamExecutionEnvironment env = environment();
        env.enableCheckpointing(200);
        env.fromData(input, InternalTypeInfo.of(PAYMENT))
                .sinkTo(
                        ConfluentSink.<RowData>builder()
                                .setConnectionProfile(profile)
                                .setTopic(topic)
                                .setCommitMode(CommitMode.EXACTLY_ONCE)
                                .setRecordSerializer(
                                        ConfluentRowDataSerializer.of(
                                                        DataFormat.PROTOBUF, PAYMENT, profile)
                                                .withRecordName("billing.Payment"))
                                .build());
        env.execute("protobuf rows");

        try (SchemaRegistryClient client = TestClients.registryClient(registry)) {
            var latest = client.getLatest(TestNames.valueSubject(topic)).definition();
            assertThat(latest.type()).isEqualTo(SchemaType.PROTOBUF);
            assertThat(latest.text()).contains("message Payment");
        }
        List<ConsumerRecord<byte[], byte[]>> committed = kafka.readCommitted(topic);
        assertThat(committed).hasSize(input.size());

        List<String> read = new ArrayList<>();
        for (RowData row : readRows(profile, topic, PAYMENT)) {
            read.add(
                    row.getLong(0)
                            + "/"
                            + (row.isNullAt(1) ? null : row.getString(1))
                            + "/"
                            + (row.isNullAt(2) ? null : row.getDouble(2)));
        }
        List<String> expected = new ArrayList<>();
        for (RowData row : input) {
            expected.add(
                    row.getLong(0)
                            + "/"
                            + (row.isNullAt(1) ? null : row.getString(1))
                            + "/"
                            + (row.isNullAt(2) ? null : row.getDouble(2)));
        }
        assertThat(read).containsExactlyElementsOf(expected);
    }
}
