package io.github.flinkconfluent.examples;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.serde.ConfluentAvroDeserializer;
import io.github.flinkconfluent.connector.serde.ConfluentAvroSerializer;
import io.github.flinkconfluent.connector.serde.ConfluentJsonDeserializer;
import io.github.flinkconfluent.connector.serde.ConfluentJsonSerializer;
import io.github.flinkconfluent.connector.serde.ConfluentRowDataDeserializer;
import io.github.flinkconfluent.connector.serde.ConfluentRowDataSerializer;
import io.github.flinkconfluent.connector.serde.SubjectNameStrategy;
import io.github.flinkconfluent.connector.source.ConfluentSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The GenericRecord, RowData and JSON Schema examples of {@code docs/datastream.md} (quoted from
 * the regions between {@code [START name]} and {@code [END name]}; {@code DataStreamDocsTest} keeps
 * the doc and this file equal).
 */
public final class GenericAndRowExamples {

    private GenericAndRowExamples() {}

    static DataStream<GenericRecord> readGeneric(
            StreamExecutionEnvironment env, ConnectionProfile profile) {
        // [START read-generic]
        Schema readerSchema =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
                                        + "{\"name\":\"order_id\",\"type\":\"long\"},"
                                        + "{\"name\":\"note\",\"type\":\"string\","
                                        + "\"default\":\"\"}]}");
        DataStream<GenericRecord> orders =
                env.fromSource(
                        ConfluentSource.<GenericRecord>builder()
                                .setConnectionProfile(profile)
                                .setTopic("orders")
                                .setDeserializer(
                                        ConfluentAvroDeserializer.forGeneric(readerSchema, profile))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "orders");
        // [END read-generic]
        return orders;
    }

    static void serializerChoices(ConnectionProfile profile) {
        // [START subjects]
        // <topic>-value (TopicNameStrategy), registering the schema if the subject lacks it:
        ConfluentAvroSerializer.forGeneric(profile);
        // one subject per record type, across topics (RecordNameStrategy):
        ConfluentAvroSerializer.forGeneric(profile)
                .withSubjectNameStrategy(SubjectNameStrategy.RECORD_NAME);
        // <topic>-<record name>, several record types in one topic (TopicRecordNameStrategy):
        ConfluentAvroSerializer.forGeneric(profile)
                .withSubjectNameStrategy(SubjectNameStrategy.TOPIC_RECORD_NAME);
        // a subject you name, whose schema a schema pipeline registered beforehand:
        ConfluentAvroSerializer.forGeneric(profile)
                .withSubject("orders-v2")
                .withoutAutoRegistration();
        // [END subjects]
    }

    static void rowsAndJson(StreamExecutionEnvironment env, ConnectionProfile profile) {
        // [START rows-and-json]
        RowType columns =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                        DataTypes.FIELD("order_id", DataTypes.INT().notNull()))
                                .getLogicalType();
        // Avro, JSON Schema or Protobuf values as rows, mapped as SQL tables map them:
        ConfluentRowDataDeserializer rows =
                ConfluentRowDataDeserializer.of(DataFormat.AVRO, columns, profile);
        ConfluentRowDataSerializer rowWriter =
                ConfluentRowDataSerializer.of(DataFormat.AVRO, columns, profile)
                        .withRecordName("com.acme.Order");
        // JSON Schema values as Jackson trees (Flink's shaded Jackson) or bound to a class:
        ConfluentJsonDeserializer<JsonNode> trees = ConfluentJsonDeserializer.forJsonNode(profile);
        ConfluentJsonDeserializer<OrderEvent> events =
                ConfluentJsonDeserializer.forClass(OrderEvent.class, profile);
        ConfluentJsonSerializer<OrderEvent> eventWriter =
                ConfluentJsonSerializer.of(
                        "{\"title\":\"OrderEvent\",\"type\":\"object\",\"properties\":{"
                                + "\"customer_id\":{\"type\":\"integer\"},"
                                + "\"order_id\":{\"type\":\"integer\"}}}",
                        profile);
        DataStream<RowData> orderRows =
                env.fromSource(
                        ConfluentSource.<RowData>builder()
                                .setConnectionProfile(profile)
                                .setTopic("orders")
                                .setDeserializer(rows)
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "order rows");
        // [END rows-and-json]
    }
}
